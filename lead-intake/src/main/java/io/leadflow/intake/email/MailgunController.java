package io.leadflow.intake.email;

import io.leadflow.intake.delivery.WebhookOpening;
import io.leadflow.intake.publish.LeadIntake;
import io.leadflow.intake.system.RejectedRequest;
import io.leadflow.intake.system.WebhookSource;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * {@code POST /webhooks/email/mailgun}: a Mailgun route's {@code forward()}, form-urlencoded or multipart. Signed by
 * {@code signature} = hex HMAC-SHA256 of {@code timestamp + token} with the webhook signing key. That signature does
 * not cover the body, so the token is bound to the body it is first seen with and handled by one request at a time
 * across every instance (see the replay memory): a retry of the same delivery after a failure goes through, the same
 * token with another body is a replay (401), and a delivery already accepted is answered idempotently. Mailgun retries
 * for 8 hours with the original signature, which is how long its timestamp may be old. Mail that can never be a lead
 * (auto-replies, bounces, empty mail) gets 406, Mailgun's "do not retry"; a transient failure gets 503.
 */
@RestController
class MailgunController {

    private final WebhookOpening opening;
    private final LeadIntake intake;
    private final ObjectMapper json;

    MailgunController(WebhookOpening opening, LeadIntake intake, ObjectMapper json) {
        this.opening = opening;
        this.intake = intake;
        this.json = json;
    }

    @PostMapping(path = "/webhooks/email/mailgun",
            consumes = {MediaType.MULTIPART_FORM_DATA_VALUE, MediaType.APPLICATION_FORM_URLENCODED_VALUE})
    CompletableFuture<ResponseEntity<Map<String, Object>>> receive(HttpServletRequest request) {
        String contentType = request.getHeader(HttpHeaders.CONTENT_TYPE);
        return opening.receiveBodySigned(request, WebhookSource.MAILGUN, body -> {
            FormFields form = FormFields.parse(body, contentType);
            return new WebhookOpening.BodySigned<>(form.get("timestamp"), form.get("token"), form.get("signature"), form);
        }, (delivery, form) -> {
            InboundEmail mail = new InboundEmail(
                    first(form.get("from"), form.get("sender")),
                    form.get("subject"),
                    first(form.get("stripped-text"), form.get("body-plain")),
                    first(form.get("Message-Id"), form.get("message-id")),
                    headers(form.get("message-headers")));
            String notALead = mail.notALeadReason();
            if (notALead != null) {
                throw RejectedRequest.notALead("body", notALead);
            }
            return intake.accept(delivery, new LeadIntake.Lead(mail.toDraft(form.get("from") != null ? "from" : "sender"),
                    mail.sourceEventId(), "Message-Id"));
        });
    }

    /** Mailgun's {@code message-headers}: a JSON array of [name, value] pairs. */
    private Map<String, String> headers(String messageHeaders) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (messageHeaders == null || messageHeaders.isBlank()) {
            return headers;
        }
        try {
            for (JsonNode pair : json.readTree(messageHeaders)) {
                if (pair.isArray() && pair.size() >= 2) {
                    headers.putIfAbsent(pair.get(0).asString().toLowerCase(Locale.ROOT), pair.get(1).asString());
                }
            }
        } catch (JacksonException e) {
            throw RejectedRequest.invalid("message-headers", "must be a JSON array of [name, value] pairs");
        }
        return headers;
    }

    private static String first(String a, String b) {
        return a != null && !a.isBlank() ? a : b;
    }
}
