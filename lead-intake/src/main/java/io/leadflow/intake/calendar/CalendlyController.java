package io.leadflow.intake.calendar;

import io.leadflow.avro.Demo;
import io.leadflow.intake.normalise.LeadDraft;
import io.leadflow.intake.normalise.LeadNormaliser;
import io.leadflow.intake.publish.LeadIntake;
import io.leadflow.intake.signature.SignatureVerifier;
import io.leadflow.intake.system.IntakeProperties;
import io.leadflow.intake.system.Json;
import io.leadflow.intake.system.RawBody;
import io.leadflow.intake.system.WebhookSource;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import java.time.Instant;
import java.util.Map;

/**
 * {@code POST /webhooks/calendly}: Calendly webhook v2, signed with
 * {@code Calendly-Webhook-Signature: t=...,v1=<hex HMAC-SHA256 of "t.rawBody">}.
 * {@code invitee.created} is a lead (sourceEventId = the invitee URI; a rescheduled booking keeps the
 * previous invitee's URI, so it updates the same lead); {@code invitee.canceled} is acknowledged and
 * counted, not a new lead; other events are acknowledged and ignored.
 */
@RestController
class CalendlyController {

    private final SignatureVerifier signatures;
    private final LeadIntake intake;
    private final ObjectMapper json;
    private final IntakeProperties properties;

    CalendlyController(SignatureVerifier signatures, LeadIntake intake, ObjectMapper json, IntakeProperties properties) {
        this.signatures = signatures;
        this.intake = intake;
        this.json = json;
        this.properties = properties;
    }

    @PostMapping(path = "/webhooks/calendly", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Map<String, Object>> receive(HttpServletRequest request,
                                                @RequestHeader(name = SignatureVerifier.CALENDLY_HEADER, required = false) String signature) {
        long arrived = System.nanoTime();
        byte[] body = RawBody.read(request, properties.maxJsonBody());
        signatures.verifyTimestamped(WebhookSource.CALENDLY, SignatureVerifier.CALENDLY_HEADER, signature, body);
        JsonNode root = Json.requireObject(json.readTree(body));
        String event = Json.requiredText(root, "event");
        return switch (event) {
            case "invitee.created" -> created(root, arrived);
            case "invitee.canceled" -> intake.acknowledge(WebhookSource.CALENDLY,
                    LeadNormaliser.leadId(WebhookSource.CALENDLY, Json.requiredText(root, "payload.uri")),
                    "true".equals(Json.text(root, "payload.rescheduled")) ? "rescheduled" : "canceled");
            default -> intake.acknowledge(WebhookSource.CALENDLY, null, "ignored");
        };
    }

    private ResponseEntity<Map<String, Object>> created(JsonNode root, long arrived) {
        String inviteeUri = Json.requiredText(root, "payload.uri");
        String previous = Json.text(root, "payload.old_invitee");
        String eventName = Json.text(root, "payload.scheduled_event.name");
        LeadDraft draft = new LeadDraft()
                .email(Json.text(root, "payload.email"), "payload.email")
                .firstName(Json.text(root, "payload.first_name"))
                .lastName(Json.text(root, "payload.last_name"))
                .fullName(Json.text(root, "payload.name"))
                .groupDemo(BookingAnswers.isGroupEvent(eventName))
                .freeText(eventName);
        BookingAnswers answers = new BookingAnswers(draft);
        for (JsonNode qa : root.path("payload").path("questions_and_answers")) {
            answers.answer(Json.text(qa, "question"), Json.text(qa, "answer"));
        }
        answers.finish();
        for (String utm : new String[] {"utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content"}) {
            draft.utm(utm, Json.text(root, "payload.tracking." + utm));
        }
        Instant start = Json.instant(root, "payload.scheduled_event.start_time");
        if (start != null) {
            draft.demo(Demo.newBuilder()
                    .setStartsAt(start)
                    .setEndsAt(Json.instant(root, "payload.scheduled_event.end_time"))
                    .setBookingUrl(Json.text(root, "payload.scheduled_event.location.join_url"))
                    .setProvider("calendly")
                    .build());
        }
        String sourceEventId = previous != null ? previous : inviteeUri;
        return intake.accept(WebhookSource.CALENDLY, draft, sourceEventId, "payload.uri", arrived);
    }
}
