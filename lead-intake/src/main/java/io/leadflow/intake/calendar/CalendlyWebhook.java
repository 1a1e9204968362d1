package io.leadflow.intake.calendar;

import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

import java.util.List;

/**
 * A Calendly webhook v2 body as Calendly documents it (developer.calendly.com, "Webhook payloads"): the event name and
 * the invitee it concerns. Only what Leadflow reads is bound; every other field is ignored.
 *
 * @param event     {@code invitee.created}, {@code invitee.canceled}, {@code invitee_no_show.created}, ...
 * @param createdAt when Calendly created the webhook event
 * @param payload   the invitee; for {@code invitee_no_show.created} too, then with its {@code no_show}
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
record CalendlyWebhook(String event, String createdAt, Invitee payload) {

    /**
     * The invitee resource.
     *
     * @param uri                 the invitee's URI: the booking's id
     * @param rescheduled         whether a cancellation is the first half of a reschedule
     * @param oldInvitee          on the invitee that replaced another by rescheduling: the one it replaced
     * @param newInvitee          on the canceled half of a reschedule: the invitee that replaced it
     * @param questionsAndAnswers the booking form's answers
     * @param tracking            UTM parameters of the booking page visit
     * @param scheduledEvent      the meeting: its name, times, event type (URI) and location
     * @param cancellation        on a canceled invitee: who canceled, why and when
     * @param noShow              on an invitee marked as a no-show: the no-show's URI and when it was marked
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Invitee(String uri, String email, String name, String firstName, String lastName, Boolean rescheduled,
                   String oldInvitee, String newInvitee, List<QuestionAndAnswer> questionsAndAnswers, Tracking tracking,
                   ScheduledEvent scheduledEvent, Cancellation cancellation, NoShow noShow) {
    }

    /** Why and when an invitee was canceled; {@code canceler_type} is {@code host} or {@code invitee}. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Cancellation(String canceledBy, String reason, String cancelerType, String createdAt) {
    }

    /** An invitee's no-show mark: the resource {@code https://api.calendly.com/invitee_no_shows/<uuid>}. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record NoShow(String uri, String createdAt) {
    }

    record QuestionAndAnswer(String question, String answer) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Tracking(String utmSource, String utmMedium, String utmCampaign, String utmTerm, String utmContent) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record ScheduledEvent(String uri, String name, String startTime, String endTime, String eventType, Location location) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Location(String type, String location, String joinUrl) {
    }
}
