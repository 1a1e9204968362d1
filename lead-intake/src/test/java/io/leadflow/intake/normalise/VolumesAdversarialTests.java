package io.leadflow.intake.normalise;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.OptionalLong;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Volume fields as an attacker fills them (a 1 MB JSON body): a count or none, in linear time. Parsing a
 * 200,000-digit literal took a second (BigDecimal is quadratic in its digits); the 5 s guard only catches
 * such blow-ups.
 */
class VolumesAdversarialTests {

    static final Duration GUARD = Duration.ofSeconds(5);

    static Stream<Arguments> noVolume() {
        return Stream.of(
                arguments("'1' x 200,000", "1".repeat(200_000)),
                arguments("'1' x 1,000,000 million", "1".repeat(1_000_000) + " million"),
                arguments("1 then ',000' x 250,000", "1" + ",000".repeat(250_000)),
                arguments("1 then ' 000' x 250,000", "1" + " 000".repeat(250_000)),
                arguments("20 nines", "9".repeat(20)),
                arguments("Long.MAX_VALUE + 1", "9223372036854775808"),
                arguments("'-' x 100,000", "-".repeat(100_000)),
                arguments("'<' x 100,000", "<".repeat(100_000)),
                arguments("'between ' x 100,000", "between ".repeat(100_000)),
                arguments("' ' x 1,000,000", " ".repeat(1_000_000)),
                arguments("'a' x 1,000,000 then 50m", "a".repeat(1_000_000) + " 50m"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("noVolume")
    void findsNoVolumeInHostileText(String name, String text) {
        OptionalLong volume = assertTimeoutPreemptively(GUARD, () -> Volumes.parse(text));

        assertThat(volume).isEmpty();
    }

    static Stream<Arguments> volume() {
        return Stream.of(
                arguments("Long.MAX_VALUE", "9223372036854775807", Long.MAX_VALUE),
                arguments("100 leading zeros", "0".repeat(100) + "12", 12L),
                arguments("'\\n' x 1,000,000 around 50m", "\n".repeat(1_000_000) + "50m" + "\n".repeat(1_000_000), 50_000_000L),
                arguments("50m then ' to' x 300,000", "50m" + " to".repeat(300_000), 50_000_000L),
                arguments("a range of 100,000 dashes", "10" + "-".repeat(100_000) + "50m", 10L));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("volume")
    void readsTheVolumeInHostileText(String name, String text, long expected) {
        OptionalLong volume = assertTimeoutPreemptively(GUARD, () -> Volumes.parse(text));

        assertThat(volume).hasValue(expected);
    }
}
