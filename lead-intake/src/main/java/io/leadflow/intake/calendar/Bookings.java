package io.leadflow.intake.calendar;

import io.leadflow.avro.BookingLink;
import io.leadflow.intake.delivery.DeliveryLedger;
import io.leadflow.intake.normalise.LeadNormaliser;
import io.leadflow.intake.system.WebhookSource;
import org.springframework.stereotype.Component;

/** Which lead a calendar booking belongs to, from the links the replay memory keeps (see {@link BookingLink}). */
@Component
class Bookings {

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

    Origin origin(String provider, String bookingId) {
        WebhookSource source = provider.equals(CalendlyController.PROVIDER) ? WebhookSource.CALENDLY : WebhookSource.CALCOM;
        return ledger.booking(provider, bookingId.trim())
                .map(link -> new Origin(link.getLeadId(), link.getSourceEventId()))
                .orElseGet(() -> Origin.of(source, bookingId.trim()));
    }
}
