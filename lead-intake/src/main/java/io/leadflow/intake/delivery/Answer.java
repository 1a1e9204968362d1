package io.leadflow.intake.delivery;

import io.leadflow.intake.system.WebhookSource;
import org.springframework.http.ResponseEntity;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a delivery is answered with (202 Accepted, but to Slack an empty 200): the lead id (or other key) it concerns and
 * the outcome, plus any further fields a source reports.
 *
 * @param leadId  the lead the delivery is about, or null
 * @param outcome accepted, rescheduled, canceled, no_show, unknown_booking, ignored, not_a_lead, duplicate, ...
 * @param extra   further fields of the answer body, in order
 */
public record Answer(String leadId, String outcome, Map<String, Object> extra) {

    public Answer(String leadId, String outcome) {
        this(leadId, outcome, Map.of());
    }

    /**
     * The answer as the source expects it. Slack takes an interaction as acknowledged only on an HTTP 200, and shows the
     * clicking user nothing for an empty one ("Acknowledgment response",
     * https://docs.slack.dev/interactivity/handling-user-interaction#acknowledgment_response); a body on a block action
     * would not be read. Every other source gets 202 with the answer.
     */
    public ResponseEntity<Map<String, Object>> toResponse(WebhookSource source) {
        if (source == WebhookSource.SLACK) {
            return ResponseEntity.ok().build();
        }
        return toResponse();
    }

    public ResponseEntity<Map<String, Object>> toResponse() {
        Map<String, Object> body = new LinkedHashMap<>();
        if (leadId != null) {
            body.put("leadId", leadId);
        }
        body.put("outcome", outcome);
        body.putAll(extra);
        return ResponseEntity.accepted().body(body);
    }
}
