package io.leadflow.intake.publish;

import io.leadflow.avro.LeadReceived;
import io.leadflow.intake.normalise.LeadDraft;
import io.leadflow.intake.normalise.LeadNormaliser;
import io.leadflow.intake.system.IntakeMetrics;
import io.leadflow.intake.system.RejectedRequest;
import io.leadflow.intake.system.WebhookSource;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The last steps every lead channel shares: normalise the draft, publish it, wait for the ack and
 * answer 202 {@code {"leadId": ...}}. A redelivered webhook is published again under the same leadId
 * and gets the same answer; consumers are idempotent on the leadId.
 */
@Component
public class LeadIntake {

    static final int MAX_SOURCE_EVENT_ID = 1024;

    private final Publisher publisher;
    private final IntakeMetrics metrics;
    private final Clock clock;

    public LeadIntake(Publisher publisher, IntakeMetrics metrics, Clock clock) {
        this.publisher = publisher;
        this.metrics = metrics;
        this.clock = clock;
    }

    public ResponseEntity<Map<String, Object>> accept(WebhookSource source, LeadDraft draft, String sourceEventId,
                                                      String sourceEventIdField, long arrivedNanos) {
        if (sourceEventId == null || sourceEventId.isBlank()) {
            throw RejectedRequest.invalid(sourceEventIdField, "is required");
        }
        if (sourceEventId.length() > MAX_SOURCE_EVENT_ID) {
            throw RejectedRequest.invalid(sourceEventIdField, "is longer than " + MAX_SOURCE_EVENT_ID + " characters");
        }
        LeadReceived lead = LeadNormaliser.normalise(draft, source, sourceEventId.trim(), clock.instant());
        publisher.publish(source, lead, arrivedNanos);
        metrics.received(source, "accepted");
        return answer(lead.getLeadId(), "accepted");
    }

    /** A request that was understood but is not a new lead (e.g. a Calendly cancellation); nothing published. */
    public ResponseEntity<Map<String, Object>> acknowledge(WebhookSource source, String leadId, String outcome) {
        metrics.received(source, outcome);
        return answer(leadId, outcome);
    }

    static ResponseEntity<Map<String, Object>> answer(String leadId, String outcome) {
        Map<String, Object> body = new LinkedHashMap<>();
        if (leadId != null) {
            body.put("leadId", leadId);
        }
        body.put("outcome", outcome);
        return ResponseEntity.accepted().body(body);
    }
}
