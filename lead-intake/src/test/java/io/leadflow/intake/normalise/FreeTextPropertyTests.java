package io.leadflow.intake.normalise;

import io.leadflow.intake.Seeded;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Free text of any shape: read without an exception, and unrelated words around it change no signal. */
class FreeTextPropertyTests {

    /** Words no rule reads, alone or next to any other word. */
    static final String[] NEUTRAL = {"lorem", "ipsum", "dolor", "sit", "amet", "consectetur", "adipiscing", "elit", "sed", "tempor"};

    static final String[] SIGNAL_WORDS = {"events", "event", "monthly", "per month", "MAU", "active users", "users", "about",
            "approx.", "ca.", "~", ":", "enterprise", "scale plan", "the scale", "open-source", "posthog cloud", "SSO", "SAML", "okta",
            "RBAC", "self-hosted", "on-prem", "HIPAA", "SOC 2", "GDPR", "MSA", "annual contract", "invoice", "air-gapped",
            "YC", "Y Combinator", "group demo", "k", "m", "million", "bn", "-", "to", "between", "and",
            "scale", "cloud", "source", "open", "plan", "group", "demo", "sign", "on", "y", "combinator", "active", "unique"};
    static final String[] NUMBERS = {"5", "50m", "2.5M", "1,5", "2,000,000", "1.000.000", "2 000 000", "500k", "10-50m", "007",
            "12345678901234567890123"};
    static final String[] SEPARATORS = {" ", " ", "  ", "\n", "\t", ", ", ": ", ".", "", "\u000b", "\u00a0", "/"};

    record Padded(String text, String before, String after, String space) {
    }

    @TestFactory
    Stream<DynamicTest> readsAnyTextWithoutAnException() {
        return Seeded.check(500, FreeTextPropertyTests::anyText, text -> {
            FreeText.Signals signals = FreeText.read(text);
            FreeText.technicalTitle(text);

            assertThat(signals.needs()).isNotNull();
        });
    }

    @TestFactory
    Stream<DynamicTest> readsTheSameSignalsWithUnrelatedWordsAroundTheText() {
        return Seeded.check(500, random -> new Padded(signalText(random), padding(random), padding(random),
                random.element(" ", "\n", "\t", "\r\n", "  ")), sample -> {
            FreeText.Signals padded = FreeText.read(sample.before() + sample.space() + sample.text() + sample.space() + sample.after());

            assertThat(padded).isEqualTo(FreeText.read(sample.text()));
        });
    }

    /** Short text of any characters (4 in 10), long text (1 in 10), a repeated unit (2 in 10), signal words (3 in 10). */
    static String anyText(Seeded random) {
        return switch (random.weighted(4, 1, 2, 3)) {
            case 0 -> random.anyString(0, 300);
            case 1 -> random.anyString(1_000, 50_000);
            case 2 -> repeated(random);
            default -> signalText(random);
        };
    }

    /** A short unit (any characters) repeated up to 50,000 characters. */
    static String repeated(Seeded random) {
        String unit = random.anyString(1, 8);
        int length = random.between(1, 50_000);
        return unit.repeat(Math.max(1, length / unit.length()));
    }

    /** Signal words, numbers and separators mixed with any characters, at most 10,000 of them. */
    static String signalText(Seeded random) {
        StringBuilder text = new StringBuilder();
        for (String part : random.list(0, 200, r -> r.oneOf(s -> s.element(SIGNAL_WORDS), s -> s.element(NUMBERS), s -> s.anyString(0, 12))
                + r.element(SEPARATORS))) {
            text.append(part);
        }
        return text.toString();
    }

    static String padding(Seeded random) {
        return String.join(" ", random.list(0, 300, r -> r.element(NEUTRAL)));
    }
}
