package io.leadflow.intake.email;

import io.leadflow.intake.publish.LeadIntake;
import io.leadflow.intake.signature.SignatureVerifier;
import io.leadflow.intake.system.IntakeProperties;
import io.leadflow.intake.system.RawBody;
import io.leadflow.intake.system.RecentKeys;
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

/**
 * {@code POST /webhooks/email/mailgun}: a Mailgun route's {@code forward()}, form-urlencoded or
 * multipart. Signed by {@code signature} = hex HMAC-SHA256 of {@code timestamp + token} with the
 * webhook signing key; a token already accepted is a replay (401). Mail that can never be a lead
 * (auto-replies, bounces, empty mail) gets 406, Mailgun's "do not retry"; a transient failure gets 503.
 */
@RestController
class MailgunController {

    private final SignatureVerifier signatures;
    private final LeadIntake intake;
    private final ObjectMapper json;
    private final IntakeProperties properties;
    /** Tokens of accepted requests, per instance (see {@link RecentKeys} for the limits of that). */
    private final RecentKeys acceptedTokens;

    MailgunController(SignatureVerifier signatures, LeadIntake intake, ObjectMapper json, IntakeProperties properties) {
        this.signatures = signatures;
        this.intake = intake;
        this.json = json;
        this.properties = properties;
        // Kept twice the signature window: a token older than that fails the timestamp check anyway.
        this.acceptedTokens = new RecentKeys(properties.replayCacheSize(), properties.signatureMaxAge().multipliedBy(2));
    }

    @PostMapping(path = "/webhooks/email/mailgun",
            consumes = {MediaType.MULTIPART_FORM_DATA_VALUE, MediaType.APPLICATION_FORM_URLENCODED_VALUE})
    ResponseEntity<Map<String, Object>> receive(HttpServletRequest request) {
        long arrived = System.nanoTime();
        byte[] body = RawBody.read(request, properties.maxEmailBody());
        FormFields form = FormFields.parse(body, request.getHeader(HttpHeaders.CONTENT_TYPE));
        String token = form.get("token");
        signatures.verifyMailgun(form.get("timestamp"), token, form.get("signature"));
        if (token != null && acceptedTokens.contains(token.trim())) {
            throw RejectedRequest.unauthorized("token", "was already used: the request is a replay");
        }
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
        ResponseEntity<Map<String, Object>> answer = intake.accept(WebhookSource.MAILGUN,
                mail.toDraft(form.get("from") != null ? "from" : "sender"), mail.sourceEventId(), "Message-Id", arrived);
        if (token != null) {
            acceptedTokens.add(token.trim());
        }
        return answer;
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
