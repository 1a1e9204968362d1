package io.leadflow.intake.email;

import io.leadflow.intake.system.RejectedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Form bodies as an attacker posts them, up to the 10 MB email limit: parsed, or a 400 naming the body.
 * Multipart parsing used to search the rest of the body again for every part (2.6 MB of LF-only parts
 * took 17 s); the 5 s guard only catches such blow-ups.
 */
class FormFieldsAdversarialTests {

    static final Duration GUARD = Duration.ofSeconds(5);
    static final int TEN_MEGABYTES = 10 * 1024 * 1024;
    static final String MULTIPART = "multipart/form-data; boundary=b";

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    static String part(String name, String value) {
        return "--b\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value + "\r\n";
    }

    static byte[] repeatedUpTo(String unit, int size, String tail) {
        StringBuilder sb = new StringBuilder(size + unit.length() + tail.length());
        while (sb.length() + unit.length() <= size - tail.length()) {
            sb.append(unit);
        }
        return bytes(sb.append(tail).toString());
    }

    static Stream<Arguments> malformedBodies() {
        return Stream.of(
                arguments("'\\n' x 1,000,000 without CR", bytes("--b\nContent-Disposition: form-data; name=\"a\"\n" + "\n".repeat(1_000_000))),
                arguments("10 MB of LF-only parts", repeatedUpTo("--b\nContent-Disposition: form-data; name=\"f\"\n\nv\n", TEN_MEGABYTES, "--b--\n")),
                arguments("10,000 tiny parts", bytes(part("f", "v").repeat(10_000) + "--b--\r\n")),
                arguments("a part that never ends", bytes("--b\r\nContent-Disposition: form-data; name=\"t\"\r\n\r\n" + "x".repeat(TEN_MEGABYTES - 100))),
                arguments("a boundary that never closes", bytes(part("a", "1") + part("text", "y".repeat(TEN_MEGABYTES - 200)))),
                arguments("a header line of a megabyte", bytes("--b\r\nContent-Disposition: form-data; name=\"" + "n".repeat(1_000_000) + "\"\r\n\r\nv\r\n--b--\r\n")),
                arguments("a header block just over the limit", bytes("--b\r\nX: " + "h".repeat(FormFields.MAX_PART_HEADER_BYTES) + "\r\n\r\nv\r\n--b--\r\n")),
                arguments("10 MB without a boundary", repeatedUpTo("-", TEN_MEGABYTES, "")),
                arguments("10 MB of boundaries", repeatedUpTo("--b", TEN_MEGABYTES, "")),
                arguments("10 MB of CRLF", repeatedUpTo("\r\n", TEN_MEGABYTES, "")),
                arguments("a closing delimiter only", bytes("--b--\r\n")),
                arguments("an empty body", new byte[0]));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedBodies")
    void rejectsAMalformedMultipartBodyNamingTheBody(String name, byte[] body) {
        assertTimeoutPreemptively(GUARD, () -> assertThatThrownBy(() -> FormFields.parse(body, MULTIPART))
                .isInstanceOfSatisfying(RejectedRequest.class, e -> {
                    assertThat(e.status().value()).isEqualTo(400);
                    assertThat(e.field()).isEqualTo("body");
                }));
    }

    @Test
    void readsAsManyPartsAsTheLimitAllows() {
        StringBuilder body = new StringBuilder();
        for (int i = 1; i <= FormFields.MAX_FIELDS; i++) {
            body.append(part("f" + i, "v" + i));
        }
        body.append("--b--\r\n");

        FormFields form = assertTimeoutPreemptively(GUARD, () -> FormFields.parse(bytes(body.toString()), MULTIPART));

        assertThat(form.get("f" + FormFields.MAX_FIELDS)).isEqualTo("v" + FormFields.MAX_FIELDS);
    }

    @Test
    void readsATenMegabyteFieldAndDropsATenMegabyteAttachment() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(bytes(part("subject", "Hi") + part("text", "We need SSO " + "\n".repeat(TEN_MEGABYTES / 2))));
        out.writeBytes(bytes("--b\r\nContent-Disposition: form-data; name=\"attachment1\"; filename=\"big.bin\"\r\n\r\n"));
        byte[] binary = new byte[TEN_MEGABYTES / 2];
        Arrays.fill(binary, (byte) '-');
        out.writeBytes(binary);
        out.writeBytes(bytes("\r\n--b--\r\n"));

        FormFields form = assertTimeoutPreemptively(GUARD, () -> FormFields.parse(out.toByteArray(), MULTIPART));

        assertThat(form.get("subject")).isEqualTo("Hi");
        assertThat(form.get("text")).startsWith("We need SSO").hasSize("We need SSO ".length() + TEN_MEGABYTES / 2);
        assertThat(form.attachments()).isEqualTo(1);
    }

    static Stream<Arguments> urlEncodedBodies() {
        return Stream.of(
                arguments("10 MB of '&'", repeatedUpTo("&", TEN_MEGABYTES, ""), true),
                arguments("10 MB of '='", repeatedUpTo("=", TEN_MEGABYTES, ""), false),
                arguments("a 10 MB value", bytes("text=" + "a".repeat(TEN_MEGABYTES - 5)), false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("urlEncodedBodies")
    void readsAHugeUrlEncodedBody(String name, byte[] body, boolean empty) {
        FormFields form = assertTimeoutPreemptively(GUARD, () -> FormFields.parse(body, "application/x-www-form-urlencoded"));

        assertThat(form.isEmpty()).isEqualTo(empty);
    }

    static Stream<Arguments> malformedUrlEncodedBodies() {
        return Stream.of(
                arguments("10,000 tiny fields", repeatedUpTo("a=1&", 10_000 * 4, "")),
                arguments("'%' x 1,000,000", repeatedUpTo("%", 1_000_000, "")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedUrlEncodedBodies")
    void rejectsAMalformedUrlEncodedBodyNamingTheBody(String name, byte[] body) {
        assertTimeoutPreemptively(GUARD, () -> assertThatThrownBy(() -> FormFields.parse(body, "application/x-www-form-urlencoded"))
                .isInstanceOfSatisfying(RejectedRequest.class, e -> {
                    assertThat(e.status().value()).isEqualTo(400);
                    assertThat(e.field()).isEqualTo("body");
                }));
    }
}
