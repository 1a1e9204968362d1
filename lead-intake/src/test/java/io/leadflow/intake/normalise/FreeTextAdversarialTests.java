package io.leadflow.intake.normalise;

import io.leadflow.avro.Need;
import io.leadflow.avro.PlanInterest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Free text as an attacker sends it, up to the body limits (1 MB of JSON, 10 MB of email): every input
 * gives a result. The 5 s guard only catches super-linear blow-ups (these inputs took seconds to minutes,
 * or overflowed the stack); a linear run takes milliseconds.
 */
class FreeTextAdversarialTests {

    static final Duration GUARD = Duration.ofSeconds(5);
    static final FreeText.Signals NOTHING = new FreeText.Signals(null, null, null, Set.of(), false, false);

    static Stream<Arguments> repeatedCharacters() {
        return Stream.of(
                arguments("'a' x 5,000", "a".repeat(5_000)),
                arguments("'1' x 200,000", "1".repeat(200_000)),
                arguments("'-' x 100,000", "-".repeat(100_000)),
                arguments("'<' x 100,000", "<".repeat(100_000)),
                arguments("' ' x 1,000,000, then x", " ".repeat(1_000_000) + "x"),
                arguments("'\\n' x 1,000,000, then x", "\n".repeat(1_000_000) + "x"),
                arguments("': ' x 500,000", ": ".repeat(500_000)),
                arguments("'monthly ' x 125,000", "monthly ".repeat(125_000)),
                arguments("'1,' x 500,000", "1,".repeat(500_000)),
                arguments("'approx.' x 1,000,000", "approx.".repeat(1_000_000)),
                arguments("'\\u00e9' x 5,000,000", "\u00e9".repeat(5_000_000)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("repeatedCharacters")
    void readsNothingFromRepeatedCharacters(String name, String text) {
        FreeText.Signals signals = assertTimeoutPreemptively(GUARD, () -> FreeText.read(text));

        assertThat(signals).isEqualTo(NOTHING);
    }

    @Test
    void readsAQuantityAcrossThousandsOfLinkingCharactersWhereThePatternsOverflowedTheStack() {
        FreeText.Signals events = assertTimeoutPreemptively(GUARD, () -> FreeText.read("events" + " ".repeat(5_000) + "5m"));
        FreeText.Signals users = assertTimeoutPreemptively(GUARD, () -> FreeText.read("MAU" + " :".repeat(2_500) + " 5"));
        FreeText.Signals filler = assertTimeoutPreemptively(GUARD, () -> FreeText.read("5" + " monthly".repeat(2_000) + " events"));

        assertThat(events.monthlyEvents()).isEqualTo(5_000_000L);
        assertThat(users.monthlyActiveUsers()).isEqualTo(5L);
        assertThat(filler.monthlyEvents()).isEqualTo(5L);
    }

    @Test
    void readsLongNumberLiteralsWithoutParsingEveryDigit() {
        FreeText.Signals decimals = assertTimeoutPreemptively(GUARD, () -> FreeText.read("1." + "9".repeat(15_000) + " million events"));
        FreeText.Signals digits = assertTimeoutPreemptively(GUARD, () -> FreeText.read("events: " + "7".repeat(19_000)));

        assertThat(decimals.monthlyEvents()).isEqualTo(1_999_999L);
        assertThat(digits.monthlyEvents()).isNull();
    }

    @Test
    void readsTheBeginningOfATenMegabyteEmailBody() {
        String body = "We need SSO and the scale plan. " + "lorem ipsum ".repeat(870_000) + "Enterprise, 80m events a month.";

        FreeText.Signals signals = assertTimeoutPreemptively(GUARD, () -> FreeText.read(body));

        assertThat(body.length()).isGreaterThan(10_000_000);
        assertThat(signals.needs()).containsExactly(Need.SSO);
        assertThat(signals.planInterest()).isEqualTo(PlanInterest.SCALE);
        assertThat(signals.monthlyEvents()).isNull();
    }

    @Test
    void readsAMegabyteJobTitle() {
        Boolean technical = assertTimeoutPreemptively(GUARD,
                () -> FreeText.technicalTitle("Senior Software Engineer" + " and more".repeat(120_000)));
        Boolean repeated = assertTimeoutPreemptively(GUARD, () -> FreeText.technicalTitle("-".repeat(1_000_000)));

        assertThat(technical).isTrue();
        assertThat(repeated).isNull();
    }
}
