package io.leadflow.intake.calendar;

import tools.jackson.databind.JsonNode;

import java.util.List;
import java.util.Map;

/**
 * A Cal.com webhook body as Cal.com sends it (version 2021-10-20 payloads): the trigger and the booking. Only what
 * Leadflow reads is bound; every other field is ignored. Booking-form answers keep their JSON value, since a
 * question may be answered with text, a list, a boolean or (for the name) an object.
 *
 * @param triggerEvent {@code BOOKING_CREATED}, {@code BOOKING_RESCHEDULED}, {@code BOOKING_CANCELLED}, {@code PING}, ...
 * @param createdAt    when Cal.com sent it (ISO-8601)
 * @param payload      the booking; for the no-show triggers, the booking's uid as {@code bookingUid} and its attendees
 */
record CalcomWebhook(String triggerEvent, String createdAt, Booking payload) {

    /**
     * The booking.
     *
     * @param uid             the booking's id; a rescheduled booking gets a new one
     * @param bookingUid      the booking's id in the no-show payloads ({@code BOOKING_NO_SHOW_UPDATED},
     *                        {@code AFTER_GUESTS_CAL_VIDEO_NO_SHOW}), which carry no {@code uid}
     * @param rescheduleUid   on {@code BOOKING_RESCHEDULED}: the uid of the booking it replaced
     * @param cancellationReason on {@code BOOKING_CANCELLED}: the reason given, if any
     * @param eventTypeId     the booked event type's id (a number; kept as sent, see {@link CalcomController})
     * @param type            the event type's slug
     * @param responses       the booking form's answers by field name
     * @param attendees       who booked
     * @param metadata        includes {@code videoCallUrl}
     */
    record Booking(String uid, String bookingUid, String rescheduleUid, String cancellationReason, JsonNode eventTypeId, String type, String title,
                   String additionalNotes, String startTime, String endTime, String location, Map<String, Response> responses,
                   List<Attendee> attendees, Metadata metadata) {
    }

    /** One answer: the question's label and the value given. */
    record Response(String label, JsonNode value) {
    }

    /** Who booked; {@code noShow} is set by a no-show mark (true) or its removal (false). */
    record Attendee(String name, String email, Boolean noShow) {
    }

    record Metadata(String videoCallUrl) {
    }
}
