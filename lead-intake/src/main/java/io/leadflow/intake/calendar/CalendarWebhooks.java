package io.leadflow.intake.calendar;

import io.leadflow.avro.LeadActivity;
import io.leadflow.intake.delivery.Answer;
import io.leadflow.intake.delivery.Delivery;
import io.leadflow.intake.delivery.WebhookOpening;
import io.leadflow.intake.publish.LeadActivities;
import io.leadflow.intake.publish.LeadIntake;
import io.leadflow.platform.logging.Masking;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import tools.jackson.databind.ObjectMapper;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * What the Calendly and Cal.com webhooks share: the opening of a signed delivery, publishing a lead or an activity,
 * the booking links, and the answer to a cancellation or no-show of a booking that never reached Leadflow.
 */
@Component
record CalendarWebhooks(WebhookOpening opening, LeadIntake intake, Bookings bookings, LeadActivities activities, Clock clock,
                        ObjectMapper json) {

    private static final Logger log = LoggerFactory.getLogger(CalendarWebhooks.class);

    /**
     * A cancellation or no-show of {@code bookingId}: the activity {@code forLead} makes for the booking's lead, published
     * and answered with {@code outcome}; a booking no link names is acknowledged with {@code unknown_booking}, nothing
     * published.
     */
    CompletableFuture<Answer> bookingActivity(Delivery delivery, String provider, String event, String bookingId, String outcome,
                                              Function<String, LeadActivity> forLead) {
        Optional<String> leadId = bookings.knownLead(provider, bookingId);
        if (leadId.isEmpty()) {
            log.info("{} {} for booking {}, which never booked through Leadflow: acknowledged, nothing published",
                    provider, Masking.printable(event), Masking.printable(bookingId));
            return intake.acknowledge(null, Bookings.UNKNOWN_BOOKING);
        }
        return activities.record(delivery, forLead.apply(leadId.get()), outcome);
    }

    /** When the calendar sent the webhook ({@code createdAt}, at {@code field}), else now. */
    Instant sent(String createdAt, String field) {
        return LeadActivities.time(createdAt, field, clock.instant());
    }
}
