package io.leadflow.intake.calendar;

import io.leadflow.avro.LeadReceived;
import io.leadflow.intake.normalise.LeadDraft;
import io.leadflow.intake.normalise.LeadNormaliser;
import io.leadflow.intake.system.WebhookSource;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Booking answers as an attacker fills them (a 1 MB JSON body): the lead is read in linear time. An answer
 * of 2,000 to 5,000 repeated characters overflowed the stack in the free-text and host patterns (a 500); the
 * 5 s guard only catches super-linear blow-ups.
 */
class BookingAnswersAdversarialTests {

    static final Duration GUARD = Duration.ofSeconds(5);

    static LeadReceived lead(Consumer<BookingAnswers> answers) {
        return assertTimeoutPreemptively(GUARD, () -> {
            LeadDraft draft = new LeadDraft().email("bob@globex.io", "payload.email");
            BookingAnswers booking = new BookingAnswers(draft);
            answers.accept(booking);
            booking.finish();
            return LeadNormaliser.normalise(draft, WebhookSource.CALENDLY, "invitee-1", Instant.parse("2026-01-05T10:00:00Z"));
        });
    }

    @Test
    void readsSignalsAcrossThousandsOfRepeatedCharactersInAnAnswer() {
        LeadReceived lead = lead(answers -> {
            answers.answer("Anything we should know?", "MAU" + " :".repeat(2_500) + " 20k");
            answers.answer("How many events do you send?", "events" + " ".repeat(5_000) + "5m");
        });

        assertThat(lead.getMonthlyActiveUsers()).isEqualTo(20_000L);
        assertThat(lead.getMonthlyEvents()).as("read from the message, as no volume starts the answer").isEqualTo(5_000_000L);
    }

    @Test
    void keepsTheEmailDomainWhenTheWebsiteAnswerIsHostile() {
        LeadReceived lead = lead(answers -> answers.answer("Company website", "a.".repeat(2_500) + "com"));

        assertThat(lead.getContact().getCompanyDomain()).isEqualTo("globex.io");
    }

    @Test
    void readsAMegabyteQuestionAndAnswer() {
        LeadReceived lead = lead(answers -> {
            answers.answer("x".repeat(1_000_000) + " company", "Globex");
            answers.answer("How many events?", "1".repeat(1_000_000));
            answers.answer("What is your role?", "-".repeat(1_000_000));
            answers.note("<".repeat(1_000_000));
        });

        assertThat(lead.getContact().getCompanyName()).as("only a question's beginning names its field").isNull();
        assertThat(lead.getMonthlyEvents()).isNull();
        assertThat(lead.getContact().getTitle()).as("cut to fit a Kafka record").hasSize(1_000 + "…".length()).startsWith("---");
        assertThat(lead.getTechnical()).isNull();
        assertThat(lead.getMessage()).startsWith("x".repeat(100)).hasSize(10_000 + "…".length());
    }
}
