package io.leadflow.intake.email;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** Subjects, senders and headers at the 10 MB email limit: classified in linear time. */
class InboundEmailAdversarialTests {

    static final Duration GUARD = Duration.ofSeconds(5);

    @Test
    void recognisesAnAutoReplyWhateverFollowsItsSubject() {
        InboundEmail mail = new InboundEmail("Jane <jane@acme.com>", "Automatic reply: " + "x".repeat(10_000_000), "body", null, Map.of());

        assertThat(assertTimeoutPreemptively(GUARD, mail::notALeadReason)).isEqualTo("is an auto-reply or bounce (subject)");
    }

    @Test
    void readsAHugeSubjectAndSenderAsAnOrdinaryMail() {
        InboundEmail mail = new InboundEmail("\"".repeat(1_000_000) + "Jane\"" + " <jane@acme.com>",
                " ".repeat(5_000_000) + "x auto reply", "-".repeat(5_000_000), null, Map.of("precedence", " bulk-ish " + "x".repeat(1_000_000)));

        assertThat(assertTimeoutPreemptively(GUARD, mail::notALeadReason)).isNull();
        assertThat(assertTimeoutPreemptively(GUARD, () -> InboundEmail.displayName(mail.from()))).startsWith("\"\"\"").endsWith("Jane");
        assertThat(assertTimeoutPreemptively(GUARD, mail::sourceEventId)).startsWith("sha256:");
    }

    @Test
    void recognisesABounceFromItsSenderAndBulkMailFromItsPrecedence() {
        InboundEmail bounce = new InboundEmail("MAILER-DAEMON@" + "a".repeat(1_000_000), "Hi", "body", null, Map.of());
        InboundEmail bulk = new InboundEmail("jane@acme.com", "Hi", "body", null, Map.of("precedence", " Bulk "));

        assertThat(assertTimeoutPreemptively(GUARD, bounce::notALeadReason)).isEqualTo("is a bounce from MAILER-DAEMON");
        assertThat(bulk.notALeadReason()).isEqualTo("is bulk or list mail (Precedence: Bulk)");
    }
}
