package io.leadflow.intake.normalise;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.Optional;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** Country fields at the 1 MB body limit: a country or none, and no work on text longer than any country's name. */
class CountriesAdversarialTests {

    static final Duration GUARD = Duration.ofSeconds(5);

    static Stream<Arguments> countries() {
        return Stream.of(
                arguments("the longest alias", "The United Kingdom of Great Britain and Northern Ireland", "GB"),
                arguments("a megabyte of spaces around a name", " ".repeat(500_000) + "Germany" + " ".repeat(500_000), "DE"),
                arguments("a megabyte of combining accents", "\u0301".repeat(1_000_000), null),
                arguments("a megabyte of letters", "a".repeat(1_000_000), null),
                arguments("a name past the limit", "Germany" + ".".repeat(Countries.MAX_NAME_CHARS), null),
                arguments("'<' x 100,000", "<".repeat(100_000), null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("countries")
    void readsACountryOrNoneFromAnyText(String name, String text, String expected) {
        Optional<String> iso = assertTimeoutPreemptively(GUARD, () -> Countries.isoCode(text));

        assertThat(iso).isEqualTo(Optional.ofNullable(expected));
    }
}
