package io.leadflow.intake.email;

import io.leadflow.intake.delivery.WebhookOpening;
import io.leadflow.intake.publish.LeadIntake;
import io.leadflow.intake.system.WebhookSource;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * {@code POST /webhooks/email/sendgrid}: SendGrid Inbound Parse (multipart: {@code headers},
 * {@code from}, {@code to}, {@code subject}, {@code text}, {@code html}, {@code envelope},
 * {@code charsets}, attachments). It is authenticated as SendGrid's security policies document: a signature policy's
 * ECDSA signature ({@code X-Twilio-Email-Event-Webhook-Signature} over timestamp + raw body), an OAuth policy's bearer
 * token (issued by {@link SendGridTokenController}), or both (see the README's security section).
 * SendGrid retries any non-2xx, so mail that can never be a lead is answered 202 "not_a_lead"
 * without publishing. "Send raw" mode ({@code email} field) is read for its headers and text.
 */
@RestController
class SendGridController {

    private final WebhookOpening opening;
    private final LeadIntake intake;
    private final ObjectMapper json;

    SendGridController(WebhookOpening opening, LeadIntake intake, ObjectMapper json) {
        this.opening = opening;
        this.intake = intake;
        this.json = json;
    }

    @PostMapping(path = "/webhooks/email/sendgrid", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    CompletableFuture<ResponseEntity<Map<String, Object>>> receive(HttpServletRequest request) {
        return opening.receive(request, WebhookSource.SENDGRID, delivery -> {
            FormFields form = FormFields.parse(delivery.body(), delivery.contentType());
            Map<String, Charset> charsets = charsets(form.get("charsets"));
            String rawHeaders = field(form, "headers", charsets);
            String text = field(form, "text", charsets);
            byte[] raw = form.bytes("email");
            RawMessage message = raw != null && rawHeaders == null ? RawMessage.parse(raw) : null;
            if (message != null) {
                text = message.text();
            }
            if (text == null || text.isBlank()) {
                text = HtmlText.toText(field(form, "html", charsets));
            }
            Map<String, String> headers = message != null ? message.headers() : MailHeaders.parse(rawHeaders);
            String from = field(form, "from", charsets);
            InboundEmail mail = new InboundEmail(from != null ? from : headers.get("from"),
                    firstNonNull(field(form, "subject", charsets), headers.get("subject")), text, headers.get("message-id"), headers);
            if (mail.notALeadReason() != null) {
                return intake.acknowledge(null, "not_a_lead");
            }
            return intake.accept(delivery, new LeadIntake.Lead(mail.toDraft("from"), mail.sourceEventId(), "headers.Message-ID"));
        });
    }

    private static String field(FormFields form, String name, Map<String, Charset> charsets) {
        return form.get(name, charsets.getOrDefault(name, StandardCharsets.UTF_8));
    }

    /** SendGrid's {@code charsets}: the charset each field is encoded in. */
    private Map<String, Charset> charsets(String charsetsJson) {
        Map<String, Charset> charsets = new LinkedHashMap<>();
        if (charsetsJson == null || charsetsJson.isBlank()) {
            return charsets;
        }
        try {
            JsonNode node = json.readTree(charsetsJson);
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                try {
                    charsets.put(e.getKey(), Charset.forName(e.getValue().asString()));
                } catch (IllegalArgumentException unknown) {
                    // unknown charset: fall back to UTF-8 for that field
                }
            }
        } catch (JacksonException e) {
            // unreadable charsets: every field as UTF-8
        }
        return charsets;
    }

    private static String firstNonNull(String a, String b) {
        return a != null ? a : b;
    }
}
