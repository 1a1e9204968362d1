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
import java.util.Set;

/**
 * {@code POST /webhooks/calcom}: Cal.com webhooks, signed with {@code X-Cal-Signature-256} (hex
 * HMAC-SHA256 of the raw body). {@code BOOKING_CREATED} is a lead (sourceEventId = the booking uid);
 * {@code BOOKING_CANCELLED} is acknowledged and counted; anything else (PING, MEETING_ENDED, ...) is
 * acknowledged and ignored.
 */
@RestController
class CalcomController {

    /** Booking-form responses that are not answers to a sales question. */
    private static final Set<String> NOT_ANSWERS = Set.of("name", "email", "location", "guests", "rescheduleReason",
            "notes", "attendeePhoneNumber", "smsReminderNumber");

    private final SignatureVerifier signatures;
    private final LeadIntake intake;
    private final ObjectMapper json;
    private final IntakeProperties properties;

    CalcomController(SignatureVerifier signatures, LeadIntake intake, ObjectMapper json, IntakeProperties properties) {
        this.signatures = signatures;
        this.intake = intake;
        this.json = json;
        this.properties = properties;
    }

    @PostMapping(path = "/webhooks/calcom", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Map<String, Object>> receive(HttpServletRequest request,
                                                @RequestHeader(name = SignatureVerifier.CALCOM_HEADER, required = false) String signature) {
        long arrived = System.nanoTime();
        byte[] body = RawBody.read(request, properties.maxJsonBody());
        signatures.verifyBodyHex(WebhookSource.CALCOM, SignatureVerifier.CALCOM_HEADER, signature, body);
        JsonNode root = Json.requireObject(json.readTree(body));
        String trigger = Json.requiredText(root, "triggerEvent");
        return switch (trigger) {
            case "BOOKING_CREATED" -> created(root, arrived);
            case "BOOKING_CANCELLED" -> intake.acknowledge(WebhookSource.CALCOM,
                    LeadNormaliser.leadId(WebhookSource.CALCOM, Json.requiredText(root, "payload.uid")), "canceled");
            default -> intake.acknowledge(WebhookSource.CALCOM, null, "ignored");
        };
    }

    private ResponseEntity<Map<String, Object>> created(JsonNode root, long arrived) {
        JsonNode payload = root.path("payload");
        JsonNode responses = payload.path("responses");
        JsonNode attendee = payload.path("attendees").path(0);
        String email = Json.text(responses, "email.value");
        LeadDraft draft = new LeadDraft()
                .email(email != null ? email : Json.text(attendee, "email"),
                        email != null ? "payload.responses.email.value" : "payload.attendees[0].email");
        JsonNode name = responses.path("name").path("value");
        if (name.isObject()) {
            draft.firstName(Json.text(name, "firstName")).lastName(Json.text(name, "lastName"));
        } else {
            draft.fullName(name.isString() ? name.asString() : Json.text(attendee, "name"));
        }
        String eventTitle = Json.text(payload, "type");
        draft.groupDemo(BookingAnswers.isGroupEvent(eventTitle) || BookingAnswers.isGroupEvent(Json.text(payload, "title")))
                .freeText(Json.text(payload, "title"));

        BookingAnswers answers = new BookingAnswers(draft);
        for (Map.Entry<String, JsonNode> response : responses.properties()) {
            if (NOT_ANSWERS.contains(response.getKey())) {
                continue;
            }
            JsonNode value = response.getValue().path("value");
            String label = Json.text(response.getValue(), "label");
            String answer = value.isArray() ? String.join(", ", value.valueStream().map(JsonNode::asString).toList())
                    : value.isValueNode() ? value.asString() : null;
            answers.answer(label != null ? label : response.getKey(), answer);
        }
        answers.note(Json.text(responses, "notes.value"));
        String additional = Json.text(payload, "additionalNotes");
        if (additional != null && !additional.equals(Json.text(responses, "notes.value"))) {
            answers.note(additional);
        }
        answers.finish();

        Instant start = Json.instant(payload, "startTime");
        if (start != null) {
            String videoUrl = Json.text(payload, "metadata.videoCallUrl");
            String location = Json.text(payload, "location");
            draft.demo(Demo.newBuilder()
                    .setStartsAt(start)
                    .setEndsAt(Json.instant(payload, "endTime"))
                    .setBookingUrl(videoUrl != null ? videoUrl : location != null && location.startsWith("http") ? location : null)
                    .setProvider("cal.com")
                    .build());
        }
        return intake.accept(WebhookSource.CALCOM, draft, Json.text(payload, "uid"), "payload.uid", arrived);
    }
}
