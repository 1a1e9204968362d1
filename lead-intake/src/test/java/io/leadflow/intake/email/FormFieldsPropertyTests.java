package io.leadflow.intake.email;

import io.leadflow.intake.Seeded;
import io.leadflow.intake.Webhooks;
import io.leadflow.intake.system.RejectedRequest;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Form bodies of any bytes: fields, or a 400; a multipart body reads back what was written, and fails without its CRs. */
class FormFieldsPropertyTests {

    record Body(byte[] bytes, String contentType) {
    }

    @TestFactory
    Stream<DynamicTest> readsAnyBodyOrRejectsItWith400() {
        return Seeded.check(500, random -> new Body(anyBody(random), contentType(random)), body -> {
            try {
                FormFields form = FormFields.parse(body.bytes(), body.contentType());
                assertThat(form.attachments()).isNotNegative();
            } catch (RejectedRequest e) {
                assertThat(e.status().value()).isEqualTo(400);
                assertThat(e.field()).isIn("body", "Content-Type");
            }
        });
    }

    @TestFactory
    Stream<DynamicTest> readsBackEveryFieldOfAMultipartBody() {
        return Seeded.check(300, FormFieldsPropertyTests::fields, fields -> {
            Webhooks.Multipart multipart = new Webhooks.Multipart().fields(fields);

            FormFields form = FormFields.parse(multipart.body(), multipart.contentType());

            fields.forEach((name, value) -> assertThat(form.get(name)).isEqualTo(value));
        });
    }

    @TestFactory
    Stream<DynamicTest> rejectsAMultipartBodyWithoutItsCarriageReturnsNamingTheBody() {
        return Seeded.check(300, FormFieldsPropertyTests::fields, fields -> {
            Webhooks.Multipart multipart = new Webhooks.Multipart().fields(fields);
            byte[] lfOnly = new String(multipart.body(), StandardCharsets.ISO_8859_1).replace("\r", "").getBytes(StandardCharsets.ISO_8859_1);

            assertThatThrownBy(() -> FormFields.parse(lfOnly, multipart.contentType()))
                    .as("an LF-only body is not read")
                    .isInstanceOfSatisfying(RejectedRequest.class, e -> {
                        assertThat(e.status().value()).isEqualTo(400);
                        assertThat(e.field()).isEqualTo("body");
                    });
        });
    }

    /** Random bytes, or text made of multipart or urlencoded syntax. */
    static byte[] anyBody(Seeded random) {
        return random.oneOf(
                r -> r.bytes(50_000),
                r -> ("--b" + r.stringOf("-b\r\n\"=;:abc Content-Disposition: form-data; name=filename", 0, 5_000))
                        .getBytes(StandardCharsets.ISO_8859_1),
                r -> r.stringOf("a=&%+2F0", 0, 50_000).getBytes(StandardCharsets.ISO_8859_1));
    }

    static String contentType(Seeded random) {
        return random.oneOf(
                r -> r.element("multipart/form-data; boundary=b", "multipart/form-data; boundary=\"b\"", "multipart/form-data",
                        "application/x-www-form-urlencoded", "application/x-www-form-urlencoded; charset=UTF-8", "text/plain", ""),
                r -> "multipart/form-data; boundary=" + r.anyString(0, 100));
    }

    /** 1 to 40 fields (RFC 2046: a multipart body has at least one part) of any characters but surrogates. */
    static Map<String, String> fields(Seeded random) {
        return random.map(1, 40,
                r -> r.stringOf("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_", 1, 30),
                r -> r.string(0, 2_000, s -> s.chance(0.85) ? s.charBetween('\u0000', '\ud7ff') : s.charBetween('\ue000', '\uffff')));
    }
}
