package io.leadflow.intake.calendar;

import io.leadflow.avro.BookingLink;
import io.leadflow.intake.delivery.DeliveryLedger;
import io.leadflow.intake.normalise.LeadNormaliser;
import io.leadflow.intake.system.WebhookSource;
import org.springframework.stereotype.Component;

import java.util.Optional;

/** Which lead a calendar booking belongs to, from the links the replay memory keeps (see {@link BookingLink}). */
@Component
class Bookings {

    /** The outcome a cancellation or no-show of a booking intake never saw is answered with. */
    static final String UNKNOWN_BOOKING = "unknown_booking";

    private final DeliveryLedger ledger;

    Bookings(DeliveryLedger ledger) {
        this.ledger = ledger;
    }

    /** The lead a booking belongs to: the one it was linked to, else the booking is the first of its chain. */
    record Origin(String leadId, String sourceEventId) {

        static Origin of(WebhookSource source, String bookingId) {
            return new Origin(LeadNormaliser.leadId(source, bookingId), bookingId);
        }
    }

    /**
     * The lead of a booking intake has seen: every booking a lead was accepted or rescheduled with is linked, so no
     * link means the booking never reached us (made before Leadflow listened, or for an event type it is not told of).
     */
    Optional<String> knownLead(String provider, String bookingId) {
        return ledger.booking(provider, bookingId.trim()).map(BookingLink::getLeadId);
    }

    Origin origin(String provider, String bookingId) {
        WebhookSource source = provider.equals(CalendlyController.PROVIDER) ? WebhookSource.CALENDLY : WebhookSource.CALCOM;
        return ledger.booking(provider, bookingId.trim())
                .map(link -> new Origin(link.getLeadId(), link.getSourceEventId()))
                .orElseGet(() -> Origin.of(source, bookingId.trim()));
    }
}
