package io.leadflow.intake.normalise;

import io.leadflow.intake.Seeded;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.Locale;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Volumes: any text is read without an exception; every count reads back as itself, however it is grouped. */
class VolumesPropertyTests {

    record Surrounded(String text, String before, String after) {
    }

    @TestFactory
    Stream<DynamicTest> readsAnyTextWithoutAnException() {
        return Seeded.check(500, FreeTextPropertyTests::anyText, text -> assertThat(Volumes.parse(text)).isNotNull());
    }

    @TestFactory
    Stream<DynamicTest> readsEveryCountAsPeopleWriteIt() {
        return Seeded.check(1_000, random -> random.longBetween(0, Long.MAX_VALUE), count -> {
            assertThat(Volumes.parse(Long.toString(count))).hasValue(count);
            assertThat(Volumes.parse(String.format(Locale.US, "%,d", count))).hasValue(count);
            assertThat(Volumes.parse(String.format(Locale.GERMANY, "%,d", count))).hasValue(count);
        });
    }

    @TestFactory
    Stream<DynamicTest> readsAMagnitudeWordAsItsMultiple() {
        return Seeded.check(1_000, random -> random.longBetween(0, 9_000_000), count -> {
            assertThat(Volumes.parse(count + "k")).hasValue(count * 1_000);
            assertThat(Volumes.parse(count + " million")).hasValue(count * 1_000_000);
            assertThat(Volumes.parse(count + "bn")).hasValue(count * 1_000_000_000);
        });
    }

    @TestFactory
    Stream<DynamicTest> ignoresControlCharactersAndSpacesAroundAField() {
        return Seeded.check(500, random -> new Surrounded(FreeTextPropertyTests.anyText(random), blank(random), blank(random)), sample -> {
            String field = sample.text().length() > 900 ? sample.text().substring(0, 900) : sample.text();

            assertThat(Volumes.parse(sample.before() + field + sample.after())).isEqualTo(Volumes.parse(field));
        });
    }

    /** Controls and spaces, up to 2,000 of them. */
    static String blank(Seeded random) {
        return random.string(0, 2_000, r -> r.charBetween('\u0000', ' '));
    }
}
