package io.leadflow.intake.email;

import io.leadflow.intake.Webhooks;
import io.leadflow.intake.system.RejectedRequest;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Form bodies of any bytes: fields, or a 400; a multipart body reads back what was written, and fails without its CRs. */
class FormFieldsPropertyTests {

    @Property(tries = 500)
    void readsAnyBodyOrRejectsItWith400(@ForAll("anyBody") byte[] body, @ForAll("contentType") String contentType) {
        try {
            FormFields form = FormFields.parse(body, contentType);
            assertThat(form.attachments()).isNotNegative();
        } catch (RejectedRequest e) {
            assertThat(e.status().value()).isEqualTo(400);
            assertThat(e.field()).isIn("body", "Content-Type");
        }
    }

    @Property(tries = 300)
    void readsBackEveryFieldOfAMultipartBody(@ForAll("fields") Map<String, String> fields) {
        Webhooks.Multipart multipart = new Webhooks.Multipart().fields(fields);

        FormFields form = FormFields.parse(multipart.body(), multipart.contentType());

        fields.forEach((name, value) -> assertThat(form.get(name)).isEqualTo(value));
    }

    @Property(tries = 300)
    void rejectsAMultipartBodyWithoutItsCarriageReturnsNamingTheBody(@ForAll("fields") Map<String, String> fields) {
        Webhooks.Multipart multipart = new Webhooks.Multipart().fields(fields);
        byte[] lfOnly = new String(multipart.body(), StandardCharsets.ISO_8859_1).replace("\r", "").getBytes(StandardCharsets.ISO_8859_1);

        try {
            FormFields.parse(lfOnly, multipart.contentType());
            throw new AssertionError("an LF-only body was read");
        } catch (RejectedRequest e) {
            assertThat(e.status().value()).isEqualTo(400);
            assertThat(e.field()).isEqualTo("body");
        }
    }

    @Provide
    static Arbitrary<byte[]> anyBody() {
        Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(50_000);
        Arbitrary<byte[]> multipartLike = Arbitraries.strings()
                .withChars("-b\r\n\"=;:abc ")
                .withChars("Content-Disposition: form-data; name=filename")
                .ofMaxLength(5_000)
                .map(s -> ("--b" + s).getBytes(StandardCharsets.ISO_8859_1));
        Arbitrary<byte[]> urlEncodedLike = Arbitraries.strings().withChars("a=&%+2F0").ofMaxLength(50_000)
                .map(s -> s.getBytes(StandardCharsets.ISO_8859_1));
        return Arbitraries.oneOf(random, multipartLike, urlEncodedLike);
    }

    @Provide
    static Arbitrary<String> contentType() {
        return Arbitraries.oneOf(
                Arbitraries.of("multipart/form-data; boundary=b", "multipart/form-data; boundary=\"b\"", "multipart/form-data",
                        "application/x-www-form-urlencoded", "application/x-www-form-urlencoded; charset=UTF-8", "text/plain", ""),
                Arbitraries.strings().all().ofMaxLength(100).map(boundary -> "multipart/form-data; boundary=" + boundary));
    }

    @Provide
    static Arbitrary<Map<String, String>> fields() {
        Arbitrary<String> names = Arbitraries.strings().alpha().numeric().withChars('-', '_').ofMinLength(1).ofMaxLength(30);
        Arbitrary<String> values = Arbitraries.strings().withCharRange('\u0000', '\ud7ff').withCharRange('\ue000', '\uffff').ofMaxLength(2_000);
        return Arbitraries.maps(names, values).ofMinSize(1).ofMaxSize(40); // RFC 2046: a multipart body has at least one part
    }
}
