package io.leadflow.intake.publish;

import io.leadflow.avro.LeadReceived;
import io.leadflow.intake.delivery.Answer;
import io.leadflow.intake.delivery.Delivery;
import io.leadflow.intake.delivery.DeliveryLedger;
import io.leadflow.intake.normalise.LeadDraft;
import io.leadflow.intake.normalise.LeadNormaliser;
import io.leadflow.intake.system.RejectedRequest;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The last steps every lead channel shares: normalise the draft, publish it (and the booking links that come with
 * it), and answer 202 {@code {"leadId": ...}} once Kafka acknowledged. A redelivered webhook is answered from the
 * replay memory before it gets here; one that slips through (two first attempts at once) is published again under
 * the same leadId, which consumers are idempotent on.
 */
@Component
public class LeadIntake {

    static final int MAX_SOURCE_EVENT_ID = 1024;

    private final Publisher publisher;
    private final DeliveryLedger ledger;
    private final Clock clock;

    public LeadIntake(Publisher publisher, DeliveryLedger ledger, Clock clock) {
        this.publisher = publisher;
        this.ledger = ledger;
        this.clock = clock;
    }

    /**
     * A lead to publish.
     *
     * @param draft              what the channel read
     * @param sourceEventId      the source's own id, from which the leadId derives
     * @param sourceEventIdField where in the payload that id is, for a 400 naming it
     * @param outcome            what the answer says happened: accepted, or rescheduled
     * @param bookings           calendar bookings to link to this lead (provider and booking id)
     */
    public record Lead(LeadDraft draft, String sourceEventId, String sourceEventIdField, String outcome, List<Booking> bookings) {

        public Lead(LeadDraft draft, String sourceEventId, String sourceEventIdField) {
            this(draft, sourceEventId, sourceEventIdField, "accepted", List.of());
        }
    }

    /** A calendar booking: {@code calendly} or {@code cal.com} and the provider's id of it. */
    public record Booking(String provider, String bookingId) {
    }

    public CompletableFuture<Answer> accept(Delivery delivery, Lead lead) {
        String sourceEventId = lead.sourceEventId();
        if (sourceEventId == null || sourceEventId.isBlank()) {
            throw RejectedRequest.invalid(lead.sourceEventIdField(), "is required");
        }
        if (sourceEventId.length() > MAX_SOURCE_EVENT_ID) {
            throw RejectedRequest.invalid(lead.sourceEventIdField(), "is longer than " + MAX_SOURCE_EVENT_ID + " characters");
        }
        LeadReceived received = LeadNormaliser.normalise(lead.draft(), delivery.source(), sourceEventId.trim(), clock.instant());
        List<CompletableFuture<?>> acks = new ArrayList<>();
        acks.add(publisher.publish(delivery.source(), received, delivery.arrivedNanos()));
        for (Booking booking : lead.bookings()) {
            acks.add(publisher.acknowledged(ledger.link(booking.provider(), booking.bookingId(), received.getLeadId(), sourceEventId.trim())));
        }
        return CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new))
                .thenApply(done -> new Answer(received.getLeadId(), lead.outcome()));
    }

    /** A request that was understood but needs nothing published (e.g. the canceled half of a reschedule). */
    public CompletableFuture<Answer> acknowledge(String leadId, String outcome) {
        return CompletableFuture.completedFuture(new Answer(leadId, outcome));
    }
}
