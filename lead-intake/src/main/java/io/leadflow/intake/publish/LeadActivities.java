package io.leadflow.intake.publish;

import io.leadflow.avro.ActivityKind;
import io.leadflow.avro.LeadActivity;
import io.leadflow.intake.delivery.Answer;
import io.leadflow.intake.delivery.Delivery;
import io.leadflow.intake.system.IntakeProperties;
import io.leadflow.intake.system.RejectedRequest;
import io.leadflow.intake.system.Timestamps;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;

/**
 * What reps, HubSpot and calendars say about a routed lead, published to {@code leads.activity} and answered once Kafka
 * acknowledged it, like a lead. Intake only records what the source said; routing-service, which owns every lead's
 * owner and SLA clock, decides what it means (an accept by someone who is not the owner, for instance).
 *
 * <p>An activity's id is derived from the source's own event id, so a repeat that slips past the replay memory is the
 * same activity, which routing-service is idempotent on.
 */
@Component
public class LeadActivities {

    /** Longer ids, details or leadIds than any source sends are refused (ids) or cut (details). */
    static final int MAX_ID = 1024;
    static final int MAX_DETAIL = 1000;

    private final Publisher publisher;
    private final IntakeProperties properties;

    public LeadActivities(Publisher publisher, IntakeProperties properties) {
        this.publisher = publisher;
        this.properties = properties;
    }

    /** Where an activity goes on {@code leads.activity}: its lead, else the HubSpot deal or contact it is about. */
    public static String key(LeadActivity activity) {
        if (activity.getLeadId() != null) {
            return activity.getLeadId();
        }
        if (activity.getHubspotDealId() != null) {
            return "hubspot:deal:" + activity.getHubspotDealId();
        }
        if (activity.getHubspotContactId() != null) {
            return "hubspot:contact:" + activity.getHubspotContactId();
        }
        throw new IllegalArgumentException("an activity names its lead or a HubSpot record");
    }

    /** A new activity with the fields every source sets; {@code activityIdField} names where its id came from, for a 400. */
    public static LeadActivity.Builder activity(ActivityKind kind, String source, String activityId, String activityIdField,
                                                Instant occurredAt) {
        if (activityId == null || activityId.isBlank()) {
            throw RejectedRequest.invalid(activityIdField, "is required");
        }
        if (activityId.length() > MAX_ID) {
            throw RejectedRequest.invalid(activityIdField, "is longer than " + MAX_ID + " characters");
        }
        return LeadActivity.newBuilder()
                .setActivityId(activityId.trim())
                .setKind(kind)
                .setSource(source)
                .setOccurredAt(occurredAt);
    }

    /** A source's free text for {@code detail}: trimmed, at most {@value #MAX_DETAIL} characters, null when blank. */
    public static String detail(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        String trimmed = text.trim();
        return trimmed.length() <= MAX_DETAIL ? trimmed : trimmed.substring(0, MAX_DETAIL);
    }

    /** An ISO-8601 time a source gave, else {@code fallback} (e.g. when the source does not say). */
    public static Instant time(String iso, String field, Instant fallback) {
        Instant parsed = Timestamps.parse(iso, field);
        return parsed != null ? parsed : fallback;
    }

    /** Publishes the activity and answers {@code {"leadId": ..., "outcome": ...}} after Kafka's acknowledgement. */
    public CompletableFuture<Answer> record(Delivery delivery, LeadActivity activity, String outcome) {
        return record(delivery, activity, outcome, properties.publishTimeout());
    }

    /** As {@link #record(Delivery, LeadActivity, String)}, for a source that needs its answer within {@code answerWithin}. */
    public CompletableFuture<Answer> record(Delivery delivery, LeadActivity activity, String outcome, Duration answerWithin) {
        return publisher.publish(delivery.source(), activity, delivery.arrivedNanos(), answerWithin)
                .thenApply(sent -> new Answer(activity.getLeadId(), outcome));
    }
}
