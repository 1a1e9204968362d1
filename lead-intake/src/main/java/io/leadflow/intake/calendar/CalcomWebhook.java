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
 * @param payload      the booking
 */
record CalcomWebhook(String triggerEvent, Booking payload) {

    /**
     * The booking.
     *
     * @param uid             the booking's id; a rescheduled booking gets a new one
     * @param rescheduleUid   on {@code BOOKING_RESCHEDULED}: the uid of the booking it replaced
     * @param type            the event type's slug
     * @param responses       the booking form's answers by field name
     * @param attendees       who booked
     * @param metadata        includes {@code videoCallUrl}
     */
    record Booking(String uid, String rescheduleUid, String type, String title, String additionalNotes, String startTime,
                   String endTime, String location, Map<String, Response> responses, List<Attendee> attendees, Metadata metadata) {
    }

    /** One answer: the question's label and the value given. */
    record Response(String label, JsonNode value) {
    }

    record Attendee(String name, String email) {
    }

    record Metadata(String videoCallUrl) {
    }
}
