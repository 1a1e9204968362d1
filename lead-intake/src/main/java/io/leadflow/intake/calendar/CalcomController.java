package io.leadflow.intake.calendar;

import io.leadflow.avro.ActivityKind;
import io.leadflow.avro.Demo;
import io.leadflow.avro.LeadActivity;
import io.leadflow.intake.delivery.Answer;
import io.leadflow.intake.delivery.Delivery;
import io.leadflow.intake.normalise.LeadDraft;
import io.leadflow.intake.publish.LeadActivities;
import io.leadflow.intake.publish.LeadIntake;
import io.leadflow.intake.system.RejectedRequest;
import io.leadflow.intake.system.Timestamps;
import io.leadflow.intake.system.WebhookSource;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * {@code POST /webhooks/calcom}: Cal.com webhooks, signed with {@code X-Cal-Signature-256} (hex HMAC-SHA256 of the raw
 * body). {@code BOOKING_CREATED} is a lead (sourceEventId = the booking uid). {@code BOOKING_RESCHEDULED} carries the
 * new booking (a new uid) and the uid it replaced ({@code rescheduleUid}): it updates the lead of the booking it
 * replaced, however many times the meeting moves.
 *
 * <p>Cancellations and no-shows are activities of the lead the booking belongs to, answered after Kafka acknowledged
 * them ({@code canceled}, {@code no_show}), as Cal.com's source sends them (packages/features/webhooks/lib/sendPayload.ts,
 * handleCancelBooking.ts, handleMarkNoShow.ts, tasker/tasks/triggerNoShow in github.com/calcom/cal.com):
 * <ul>
 *   <li>{@code BOOKING_CANCELLED}: the booking ({@code uid}, {@code cancellationReason}) → {@code BOOKING_CANCELED}, the
 *       reason as detail.</li>
 *   <li>{@code BOOKING_NO_SHOW_UPDATED}: a host marked (or unmarked) attendees, {@code {bookingUid, attendees: [{email,
 *       noShow}], message}} → {@code NO_SHOW} when an attendee is marked {@code noShow: true}; an unmarking is ignored.</li>
 *   <li>{@code AFTER_GUESTS_CAL_VIDEO_NO_SHOW}: Cal Video saw no guest join by the configured time, with
 *       {@code bookingUid} → {@code NO_SHOW}. {@code AFTER_HOSTS_CAL_VIDEO_NO_SHOW} is our own rep missing the call,
 *       not the lead: ignored.</li>
 * </ul>
 * A booking has one cancellation and one no-show, so their activity ids are {@code cal.com:canceled:<uid>} and
 * {@code cal.com:no_show:<uid>}: a host's mark and Cal Video's detection of the same no-show are one activity. A
 * cancellation or no-show of a booking that never reached Leadflow (no booking link) is acknowledged with
 * {@code unknown_booking} and logged; nothing is published. Anything else (PING, MEETING_ENDED, ...) is acknowledged
 * and ignored.
 */
@RestController
class CalcomController {

    static final String PROVIDER = "cal.com";

    /** Booking-form responses that are not answers to a sales question. */
    private static final Set<String> NOT_ANSWERS = Set.of("name", "email", "location", "guests", "rescheduleReason",
            "notes", "attendeePhoneNumber", "smsReminderNumber");
    /** More answers than any booking form has are not read. */
    private static final int MAX_ANSWERS = 100;

    private final CalendarWebhooks calendar;

    CalcomController(CalendarWebhooks calendar) {
        this.calendar = calendar;
    }

    @PostMapping(path = "/webhooks/calcom", consumes = MediaType.APPLICATION_JSON_VALUE)
    CompletableFuture<ResponseEntity<Map<String, Object>>> receive(HttpServletRequest request) {
        return calendar.opening().receive(request, WebhookSource.CALCOM, delivery -> {
            CalcomWebhook webhook = calendar.json().readValue(delivery.body(), CalcomWebhook.class);
            if (webhook == null || webhook.triggerEvent() == null || webhook.triggerEvent().isBlank()) {
                throw RejectedRequest.invalid("triggerEvent", "is required");
            }
            return switch (webhook.triggerEvent()) {
                case "BOOKING_CREATED" -> booked(delivery, booking(webhook), null);
                case "BOOKING_RESCHEDULED" -> booked(delivery, booking(webhook), required(booking(webhook).rescheduleUid(), "payload.rescheduleUid"));
                case "BOOKING_CANCELLED" -> canceled(delivery, webhook, booking(webhook));
                case "BOOKING_NO_SHOW_UPDATED", "AFTER_GUESTS_CAL_VIDEO_NO_SHOW" -> noShow(delivery, webhook);
                default -> calendar.intake().acknowledge(null, "ignored");
            };
        });
    }

    private CompletableFuture<Answer> canceled(Delivery delivery, CalcomWebhook webhook, CalcomWebhook.Booking booking) {
        String uid = booking.uid().trim();
        return calendar.bookingActivity(delivery, PROVIDER, webhook.triggerEvent(), uid, "canceled", leadId ->
                LeadActivities.activity(ActivityKind.BOOKING_CANCELED, PROVIDER, PROVIDER + ":canceled:" + uid, "payload.uid", sent(webhook))
                        .setLeadId(leadId)
                        .setDetail(LeadActivities.detail(booking.cancellationReason()))
                        .build());
    }

    private CompletableFuture<Answer> noShow(Delivery delivery, CalcomWebhook webhook) {
        CalcomWebhook.Booking booking = webhook.payload();
        if (booking == null) {
            throw RejectedRequest.invalid("payload", "is required");
        }
        String uid = required(booking.bookingUid(), "payload.bookingUid");
        boolean marked = webhook.triggerEvent().equals("AFTER_GUESTS_CAL_VIDEO_NO_SHOW")
                || (booking.attendees() != null && booking.attendees().stream().anyMatch(a -> a != null && Boolean.TRUE.equals(a.noShow())));
        if (!marked) {
            return calendar.intake().acknowledge(calendar.bookings().knownLead(PROVIDER, uid).orElse(null), "ignored");
        }
        return calendar.bookingActivity(delivery, PROVIDER, webhook.triggerEvent(), uid, "no_show", leadId ->
                LeadActivities.activity(ActivityKind.NO_SHOW, PROVIDER, PROVIDER + ":no_show:" + uid, "payload.bookingUid", sent(webhook))
                        .setLeadId(leadId)
                        .setDetail(webhook.triggerEvent())
                        .build());
    }

    /** When Cal.com sent the webhook: its payloads carry no time of the cancellation or no-show itself. */
    private Instant sent(CalcomWebhook webhook) {
        return calendar.sent(webhook.createdAt(), "createdAt");
    }

    private static CalcomWebhook.Booking booking(CalcomWebhook webhook) {
        CalcomWebhook.Booking booking = webhook.payload();
        if (booking == null) {
            throw RejectedRequest.invalid("payload", "is required");
        }
        required(booking.uid(), "payload.uid");
        return booking;
    }

    private static String required(String value, String field) {
        if (value == null || value.isBlank()) {
            throw RejectedRequest.invalid(field, "is required");
        }
        return value.trim();
    }

    private CompletableFuture<Answer> booked(Delivery delivery, CalcomWebhook.Booking booking, String replaced) {
        Map<String, CalcomWebhook.Response> responses = booking.responses() == null ? Map.of() : booking.responses();
        CalcomWebhook.Attendee attendee = booking.attendees() == null || booking.attendees().isEmpty() ? null : booking.attendees().get(0);
        String email = text(responses.get("email"));
        LeadDraft draft = new LeadDraft().email(email != null ? email : attendee == null ? null : attendee.email(),
                email != null ? "payload.responses.email.value" : "payload.attendees[0].email");
        JsonNode name = responses.get("name") == null ? null : responses.get("name").value();
        if (name != null && name.isObject()) {
            draft.firstName(scalar(name.get("firstName"))).lastName(scalar(name.get("lastName")));
        } else {
            String full = scalar(name);
            draft.fullName(full != null ? full : attendee == null ? null : attendee.name());
        }
        draft.groupDemo(BookingAnswers.isGroupEvent(booking.type()) || BookingAnswers.isGroupEvent(booking.title()))
                .freeText(booking.title());

        BookingAnswers answers = new BookingAnswers(draft);
        int read = 0;
        for (Map.Entry<String, CalcomWebhook.Response> response : responses.entrySet()) {
            if (NOT_ANSWERS.contains(response.getKey()) || response.getValue() == null || read++ >= MAX_ANSWERS) {
                continue;
            }
            String label = response.getValue().label();
            answers.answer(label != null && !label.isBlank() ? label : response.getKey(), text(response.getValue()));
        }
        String notes = text(responses.get("notes"));
        answers.note(notes);
        if (booking.additionalNotes() != null && !booking.additionalNotes().equals(notes)) {
            answers.note(booking.additionalNotes());
        }
        answers.finish();

        Instant start = Timestamps.parse(booking.startTime(), "payload.startTime");
        if (start != null) {
            String videoUrl = booking.metadata() == null ? null : booking.metadata().videoCallUrl();
            String location = booking.location();
            draft.demo(Demo.newBuilder()
                    .setStartsAt(start)
                    .setEndsAt(Timestamps.parse(booking.endTime(), "payload.endTime"))
                    .setBookingUrl(videoUrl != null ? videoUrl : location != null && location.startsWith("http") ? location : null)
                    .setProvider(PROVIDER)
                    .setEventType(eventType(booking.eventTypeId()))
                    .build());
        }
        Bookings.Origin origin = replaced == null ? Bookings.Origin.of(WebhookSource.CALCOM, booking.uid().trim())
                : calendar.bookings().origin(PROVIDER, replaced);
        return calendar.intake().accept(delivery, new LeadIntake.Lead(draft, origin.sourceEventId(), "payload.uid",
                replaced == null ? "accepted" : "rescheduled", List.of(new LeadIntake.Booking(PROVIDER, booking.uid().trim()))));
    }

    /**
     * The booked event type's id as text: Cal.com sends a number; anything else (or a number too long to be an id) is
     * not an event type Leadflow could be configured with, and is left out rather than refused.
     */
    private static String eventType(JsonNode id) {
        if (id == null || !id.isIntegralNumber() || !id.canConvertToLong()) {
            return null;
        }
        return Long.toString(id.asLong());
    }

    /** An answer as text: a list joined with commas, a scalar as is; null for anything else. */
    private static String text(CalcomWebhook.Response response) {
        if (response == null || response.value() == null) {
            return null;
        }
        JsonNode value = response.value();
        if (value.isArray()) {
            List<String> items = new ArrayList<>();
            for (JsonNode item : value) {
                String s = scalar(item);
                if (s != null && items.size() < MAX_ANSWERS) {
                    items.add(s);
                }
            }
            return items.isEmpty() ? null : String.join(", ", items);
        }
        return scalar(value);
    }

    private static String scalar(JsonNode node) {
        if (node == null || node.isNull() || !node.isValueNode()) {
            return null;
        }
        String s = node.asString();
        return s == null || s.isBlank() ? null : s.trim();
    }
}
