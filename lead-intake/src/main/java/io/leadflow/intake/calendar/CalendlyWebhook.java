package io.leadflow.intake.calendar;

import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

import java.util.List;

/**
 * A Calendly webhook v2 body as Calendly documents it (developer.calendly.com, "Webhook payloads"): the event name and
 * the invitee it concerns. Only what Leadflow reads is bound; every other field is ignored.
 *
 * @param event   {@code invitee.created}, {@code invitee.canceled}, ...
 * @param payload the invitee
 */
record CalendlyWebhook(String event, Invitee payload) {

    /**
     * The invitee resource.
     *
     * @param uri                 the invitee's URI: the booking's id
     * @param rescheduled         whether a cancellation is the first half of a reschedule
     * @param oldInvitee          on the invitee that replaced another by rescheduling: the one it replaced
     * @param newInvitee          on the canceled half of a reschedule: the invitee that replaced it
     * @param questionsAndAnswers the booking form's answers
     * @param tracking            UTM parameters of the booking page visit
     * @param scheduledEvent      the meeting: its name, times and location
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Invitee(String uri, String email, String name, String firstName, String lastName, Boolean rescheduled,
                   String oldInvitee, String newInvitee, List<QuestionAndAnswer> questionsAndAnswers, Tracking tracking,
                   ScheduledEvent scheduledEvent) {
    }

    record QuestionAndAnswer(String question, String answer) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Tracking(String utmSource, String utmMedium, String utmCampaign, String utmTerm, String utmContent) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record ScheduledEvent(String uri, String name, String startTime, String endTime, Location location) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Location(String type, String location, String joinUrl) {
    }
}
