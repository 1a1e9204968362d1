package io.leadflow.intake.normalise;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;

import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/** Volumes: any text is read without an exception; every count reads back as itself, however it is grouped. */
class VolumesPropertyTests {

    @Property(tries = 500)
    void readsAnyTextWithoutAnException(@ForAll("anyText") String text) {
        assertThat(Volumes.parse(text)).isNotNull();
    }

    @Property
    void readsEveryCountAsPeopleWriteIt(@ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long count) {
        assertThat(Volumes.parse(Long.toString(count))).hasValue(count);
        assertThat(Volumes.parse(String.format(Locale.US, "%,d", count))).hasValue(count);
        assertThat(Volumes.parse(String.format(Locale.GERMANY, "%,d", count))).hasValue(count);
    }

    @Property
    void readsAMagnitudeWordAsItsMultiple(@ForAll @LongRange(min = 0, max = 9_000_000) long count) {
        assertThat(Volumes.parse(count + "k")).hasValue(count * 1_000);
        assertThat(Volumes.parse(count + " million")).hasValue(count * 1_000_000);
        assertThat(Volumes.parse(count + "bn")).hasValue(count * 1_000_000_000);
    }

    @Property(tries = 500)
    void ignoresControlCharactersAndSpacesAroundAField(@ForAll("anyText") String text, @ForAll("blank") String before, @ForAll("blank") String after) {
        String field = text.length() > 900 ? text.substring(0, 900) : text;

        assertThat(Volumes.parse(before + field + after)).isEqualTo(Volumes.parse(field));
    }

    @Provide
    static Arbitrary<String> anyText() {
        return FreeTextPropertyTests.anyText();
    }

    @Provide
    static Arbitrary<String> blank() {
        return Arbitraries.strings().withCharRange('\u0000', ' ').ofMaxLength(2_000);
    }
}
