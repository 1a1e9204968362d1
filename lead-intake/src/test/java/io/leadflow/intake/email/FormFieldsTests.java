package io.leadflow.intake.email;

import io.leadflow.intake.Webhooks;
import io.leadflow.intake.system.RejectedRequest;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Form bodies as Mailgun and SendGrid post them (RFC 7578 multipart, or URL-encoded). */
class FormFieldsTests {

    static final String BOUNDARY = "------------------------d74496d66958873e";

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void readsMultipartFieldsWithTheirCharsetsAndCountsButDropsFiles() {
        byte[] body = ascii("--" + BOUNDARY + "\r\n"
                + "Content-Disposition: form-data; name=\"subject\"\r\n"
                + "Content-Type: text/plain; charset=ISO-8859-1\r\n\r\n"
                + "Caf\u00e9 SSO\r\n"
                + "--" + BOUNDARY + "\r\n"
                + "Content-Disposition: form-data; name=\"note\"; filename=\"a;b.txt\"\r\n"
                + "Content-Type: text/plain\r\n\r\n"
                + "not a field\r\n"
                + "--" + BOUNDARY + "\r\n"
                + "Content-Disposition: form-data; name=\"attachment2\"; filename*=UTF-8''r%C3%A9sum%C3%A9.pdf\r\n\r\n"
                + "%PDF\r\n"
                + "--" + BOUNDARY + "\r\n"
                + "content-disposition: form-data; name=\"subject\"\r\n\r\n"
                + "second value\r\n"
                + "--" + BOUNDARY + "--\r\n");

        FormFields form = FormFields.parse(body, "multipart/form-data; boundary=\"" + BOUNDARY + "\"");

        assertThat(form.get("subject")).isEqualTo("Caf\u00e9 SSO");
        assertThat(form.get("note")).isNull();
        assertThat(form.attachments()).isEqualTo(2);
    }

    @Test
    void readsWhatTheWebhookClientsPost() {
        Webhooks.Multipart multipart = new Webhooks.Multipart()
                .fields(Map.of("from", "Gavin Belson <gavin@hooli.xyz>", "text", "Line one\r\nLine two\n", "empty", ""))
                .file("attachment1", "logo.png", new byte[] {1, 2, 3});

        FormFields form = FormFields.parse(multipart.body(), multipart.contentType());

        assertThat(form.get("from")).isEqualTo("Gavin Belson <gavin@hooli.xyz>");
        assertThat(form.get("text")).isEqualTo("Line one\r\nLine two\n");
        assertThat(form.get("empty")).isEmpty();
        assertThat(form.bytes("text")).isEqualTo("Line one\r\nLine two\n".getBytes(StandardCharsets.UTF_8));
        assertThat(form.attachments()).isEqualTo(1);
    }

    @Test
    void readsUrlEncodedFieldsFirstValueFirst() {
        FormFields form = FormFields.parse(ascii("subject=Hello+SSO&from=a%40b.co&subject=later&&flag"),
                "application/x-www-form-urlencoded; charset=UTF-8");

        assertThat(form.get("subject")).isEqualTo("Hello SSO");
        assertThat(form.get("from")).isEqualTo("a@b.co");
        assertThat(form.get("flag")).isEmpty();
    }

    @Test
    void rejectsAMultipartBodyWhoseLinesEndInLfAloneNamingTheBody() {
        byte[] body = ascii("--b\nContent-Disposition: form-data; name=\"subject\"\n\nHello\n--b--\n");

        assertThatThrownBy(() -> FormFields.parse(body, "multipart/form-data; boundary=b"))
                .isInstanceOfSatisfying(RejectedRequest.class, e -> {
                    assertThat(e.status().value()).isEqualTo(400);
                    assertThat(e.field()).isEqualTo("body");
                });
    }

    @Test
    void rejectsContentTypesItCannotReadNamingTheHeader() {
        assertThatThrownBy(() -> FormFields.parse(new byte[0], "multipart/form-data"))
                .isInstanceOfSatisfying(RejectedRequest.class, e -> assertThat(e.field()).isEqualTo("Content-Type"));
        assertThatThrownBy(() -> FormFields.parse(new byte[0], "text/plain"))
                .isInstanceOfSatisfying(RejectedRequest.class, e -> assertThat(e.field()).isEqualTo("Content-Type"));
    }
}
