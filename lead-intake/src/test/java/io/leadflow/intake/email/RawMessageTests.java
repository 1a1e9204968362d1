package io.leadflow.intake.email;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** SendGrid's raw MIME {@code email} field: headers and the body as text, whatever the message holds. */
class RawMessageTests {

    static final Duration GUARD = Duration.ofSeconds(5);
    static final String HEADERS = "From: Gavin Belson <gavin@hooli.xyz>\r\nTo: hey@posthog.example\r\n"
            + "Subject: Enterprise\r\n evaluation\r\nMessage-ID: <raw-1@mail.hooli.xyz>\r\nMIME-Version: 1.0\r\n";

    static RawMessage parse(String message) {
        return RawMessage.parse(message.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readsTheTextPartOfAnAlternativeMessageAndItsHeaders() {
        RawMessage message = parse(HEADERS + "Content-Type: multipart/alternative; boundary=\"alt\"\r\n\r\n"
                + "--alt\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\nWe need SSO, about 80m events.\r\n"
                + "--alt\r\nContent-Type: text/html; charset=UTF-8\r\n\r\n<p>HTML version</p>\r\n"
                + "--alt--\r\n");

        assertThat(message.text()).isEqualTo("We need SSO, about 80m events.");
        assertThat(message.headers()).containsEntry("from", "Gavin Belson <gavin@hooli.xyz>")
                .containsEntry("subject", "Enterprise evaluation").containsEntry("message-id", "<raw-1@mail.hooli.xyz>");
    }

    @Test
    void readsTheHtmlPartAsTextWhenThereIsNoTextPartAndSkipsTextAttachments() {
        RawMessage message = parse(HEADERS + "Content-Type: multipart/mixed; boundary=mixed\r\n\r\n"
                + "--mixed\r\nContent-Type: text/plain\r\nContent-Disposition: attachment; filename=notes.txt\r\n\r\nattached\r\n"
                + "--mixed\r\nContent-Type: multipart/related; boundary=rel\r\n\r\n"
                + "--rel\r\nContent-Type: text/html; charset=ISO-8859-1\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
                + "<p>Caf=E9 &amp; SSO</p><p>Enterprise plan</p>\r\n"
                + "--rel--\r\n"
                + "--mixed--\r\n");

        assertThat(message.text()).isEqualTo("Caf\u00e9 & SSO\nEnterprise plan");
    }

    @Test
    void decodesATextBodyInBase64WithItsCharset() {
        String body = Base64.getMimeEncoder().encodeToString("Gr\u00fc\u00dfe, we need HIPAA".getBytes(StandardCharsets.ISO_8859_1));

        RawMessage message = parse(HEADERS + "Content-Type: text/plain; charset=ISO-8859-1\r\nContent-Transfer-Encoding: base64\r\n\r\n" + body);

        assertThat(message.text()).isEqualTo("Gr\u00fc\u00dfe, we need HIPAA");
    }

    @Test
    void readsABodyInACharsetJavaDoesNotKnowAsUtf8() {
        RawMessage message = parse(HEADERS + "Content-Type: text/plain; charset=x-unknown-charset\r\n\r\nWe need SSO");

        assertThat(message.text()).isEqualTo("We need SSO");
    }

    static String nested(int depth, String innermost) {
        StringBuilder message = new StringBuilder(HEADERS);
        for (int i = 0; i < depth; i++) {
            message.append("Content-Type: multipart/mixed; boundary=level").append(i).append("\r\n\r\n--level").append(i).append("\r\n");
        }
        message.append("Content-Type: text/plain\r\n\r\n").append(innermost);
        for (int i = depth - 1; i >= 0; i--) {
            message.append("\r\n--level").append(i).append("--\r\n");
        }
        return message.toString();
    }

    @Test
    void readsTextNestedAsDeepAsTheLimit() {
        RawMessage message = parse(nested(RawMessage.MAX_DEPTH, "nested text"));

        assertThat(message.text()).isEqualTo("nested text");
    }

    static Stream<Arguments> messagesWithoutText() {
        String bigBoundary = "b".repeat(100_000);
        return Stream.of(
                arguments("a boundary of 100,000 characters", HEADERS + "Content-Type: multipart/mixed; boundary=\"" + bigBoundary + "\"\r\n\r\n--"
                        + bigBoundary + "\r\nContent-Type: text/plain\r\n\r\nhidden\r\n--" + bigBoundary + "--\r\n"),
                arguments("a multipart without a boundary", HEADERS + "Content-Type: multipart/mixed\r\n\r\n--" + "-".repeat(1_000_000) + "x\r\ntext\r\n"),
                arguments("multiparts nested 10,000 deep", nested(10_000, "too deep")),
                arguments("broken base64", HEADERS + "Content-Transfer-Encoding: base64\r\n\r\n" + "!".repeat(1_000_000)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("messagesWithoutText")
    void readsNoTextFromAHostileMessage(String name, String raw) {
        RawMessage message = assertTimeoutPreemptively(GUARD, () -> parse(raw));

        assertThat(message.text()).isNullOrEmpty();
    }

    static Stream<Arguments> messagesWithText() {
        return Stream.of(
                arguments("10,000 empty parts before the text", HEADERS + "Content-Type: multipart/mixed; boundary=p\r\n\r\n"
                        + "--p\r\nContent-Type: image/png\r\n\r\n\r\n".repeat(10_000) + "--p\r\nContent-Type: text/plain\r\n\r\nfound\r\n--p--\r\n", "found"),
                arguments("a part that never closes", HEADERS + "Content-Type: multipart/mixed; boundary=p\r\n\r\n--p\r\nContent-Type: text/plain\r\n\r\n"
                        + "open ".repeat(1_000_000), "open open open"),
                arguments("a header line of 10 MB", "X-Long: " + "x".repeat(10_000_000) + "\r\n\r\nbody", "body"),
                arguments("'\\n' x 1,000,000", "\n".repeat(1_000_000), "\n\n\n"),
                arguments("'<' x 100,000 as HTML", HEADERS + "Content-Type: text/html\r\n\r\n" + "<".repeat(100_000), "<".repeat(100_000)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("messagesWithText")
    void readsTheTextOfAHostileMessage(String name, String raw, String start) {
        RawMessage message = assertTimeoutPreemptively(GUARD, () -> parse(raw));

        assertThat(message.text()).startsWith(start);
    }
}
