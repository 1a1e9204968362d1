package io.leadflow.intake.delivery;

import org.springframework.http.ResponseEntity;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a delivery is answered with (always 202 Accepted): the lead id (or other key) it concerns and the outcome,
 * plus any further fields a source reports.
 *
 * @param leadId  the lead the delivery is about, or null
 * @param outcome accepted, rescheduled, canceled, ignored, not_a_lead, duplicate, ...
 * @param extra   further fields of the answer body, in order
 */
public record Answer(String leadId, String outcome, Map<String, Object> extra) {

    public Answer(String leadId, String outcome) {
        this(leadId, outcome, Map.of());
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
