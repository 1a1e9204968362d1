package io.leadflow.intake.email;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** SendGrid's {@code headers} field: RFC 5322 header lines, up to the 10 MB email limit. */
class MailHeadersTests {

    static final Duration GUARD = Duration.ofSeconds(5);

    @Test
    void readsHeadersByLowerCasedNameFirstOneWinsFoldedLinesUnfolded() {
        Map<String, String> headers = MailHeaders.parse("Received: by mx.example\r\nMessage-ID: <m1@acme.com>\r\n"
                + "Subject: Enterprise\r\n\tevaluation,\r\n   part two\r\nReceived: by another\r\nnot a header\r\nX-Empty:\r\n");

        assertThat(headers).containsExactly(entry("received", "by mx.example"), entry("message-id", "<m1@acme.com>"),
                entry("subject", "Enterprise evaluation, part two"), entry("x-empty", ""));
    }

    @Test
    void readsLinesEndingInLfAloneAndUtf8Values() {
        Map<String, String> headers = MailHeaders.parse("From: Chlo\u00e9 <chloe@initech.fr>\nAuto-Submitted: auto-replied\n");

        assertThat(headers).containsEntry("from", "Chlo\u00e9 <chloe@initech.fr>").containsEntry("auto-submitted", "auto-replied");
    }

    @Test
    void keepsNoHeadersForNull() {
        assertThat(MailHeaders.parse(null)).isEmpty();
    }

    @Test
    void unfoldsAMillionContinuationLinesInOnePass() {
        String block = "Subject: a" + "\r\n b".repeat(1_000_000) + "\r\nMessage-ID: <m2@acme.com>\r\n";

        Map<String, String> headers = assertTimeoutPreemptively(GUARD, () -> MailHeaders.parse(block));

        assertThat(headers.get("subject")).hasSize(1 + 2 * 1_000_000).startsWith("a b b").endsWith(" b");
        assertThat(headers).containsEntry("message-id", "<m2@acme.com>");
    }

    @Test
    void readsATenMegabyteHeaderLineAndAMillionEmptyLines() {
        Map<String, String> longLine = assertTimeoutPreemptively(GUARD, () -> MailHeaders.parse("X-Long: " + "x".repeat(10_000_000) + "\r\nSubject: Hi"));
        Map<String, String> emptyLines = assertTimeoutPreemptively(GUARD, () -> MailHeaders.parse("\n".repeat(1_000_000) + "Subject: Hi"));
        Map<String, String> colons = assertTimeoutPreemptively(GUARD, () -> MailHeaders.parse(":".repeat(1_000_000)));

        assertThat(longLine.get("x-long")).hasSize(10_000_000);
        assertThat(longLine).containsEntry("subject", "Hi");
        assertThat(emptyLines).isEmpty();
        assertThat(colons).isEmpty();
    }
}
