package io.leadflow.intake.normalise;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import static org.assertj.core.api.Assertions.assertThat;

/** Free text of any shape: read without an exception, and unrelated words around it change no signal. */
class FreeTextPropertyTests {

    /** Words no rule reads, alone or next to any other word. */
    static final String[] NEUTRAL = {"lorem", "ipsum", "dolor", "sit", "amet", "consectetur", "adipiscing", "elit", "sed", "tempor"};

    @Property(tries = 500)
    void readsAnyTextWithoutAnException(@ForAll("anyText") String text) {
        FreeText.Signals signals = FreeText.read(text);
        FreeText.technicalTitle(text);

        assertThat(signals.needs()).isNotNull();
    }

    @Property(tries = 500)
    void readsTheSameSignalsWithUnrelatedWordsAroundTheText(@ForAll("signalText") String text, @ForAll("padding") String before,
                                                           @ForAll("padding") String after, @ForAll("whitespace") String space) {
        FreeText.Signals padded = FreeText.read(before + space + text + space + after);

        assertThat(padded).isEqualTo(FreeText.read(text));
    }

    @Provide
    static Arbitrary<String> anyText() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, Arbitraries.strings().all().ofMaxLength(300)),
                net.jqwik.api.Tuple.of(1, Arbitraries.strings().all().ofMinLength(1_000).ofMaxLength(50_000)),
                net.jqwik.api.Tuple.of(2, repeated()),
                net.jqwik.api.Tuple.of(3, signalText()));
    }

    /** A short unit (any characters) repeated up to 50,000 characters. */
    static Arbitrary<String> repeated() {
        return Combinators.combine(Arbitraries.strings().all().ofMinLength(1).ofMaxLength(8), Arbitraries.integers().between(1, 50_000))
                .as((unit, length) -> unit.repeat(Math.max(1, length / unit.length())));
    }

    /** Signal words, numbers and separators mixed with any characters, at most 10,000 of them. */
    @Provide
    static Arbitrary<String> signalText() {
        Arbitrary<String> word = Arbitraries.oneOf(
                Arbitraries.of("events", "event", "monthly", "per month", "MAU", "active users", "users", "about", "approx.", "ca.",
                        "~", ":", "enterprise", "scale plan", "the scale", "open-source", "posthog cloud", "SSO", "SAML", "okta",
                        "RBAC", "self-hosted", "on-prem", "HIPAA", "SOC 2", "GDPR", "MSA", "annual contract", "invoice", "air-gapped",
                        "YC", "Y Combinator", "group demo", "k", "m", "million", "bn", "-", "to", "between", "and",
                        "scale", "cloud", "source", "open", "plan", "group", "demo", "sign", "on", "y", "combinator", "active", "unique"),
                Arbitraries.of("5", "50m", "2.5M", "1,5", "2,000,000", "1.000.000", "2 000 000", "500k", "10-50m", "007", "12345678901234567890123"),
                Arbitraries.strings().all().ofMaxLength(12));
        Arbitrary<String> separator = Arbitraries.of(" ", " ", "  ", "\n", "\t", ", ", ": ", ".", "", "\u000b", "\u00a0", "/");
        return Combinators.combine(word, separator).as((w, s) -> w + s).list().ofMaxSize(200)
                .map(parts -> String.join("", parts))
                .filter(text -> text.length() <= 10_000);
    }

    @Provide
    static Arbitrary<String> padding() {
        return Arbitraries.of(NEUTRAL).list().ofMaxSize(300).map(words -> String.join(" ", words));
    }

    @Provide
    static Arbitrary<String> whitespace() {
        return Arbitraries.of(" ", "\n", "\t", "\r\n", "  ");
    }
}
