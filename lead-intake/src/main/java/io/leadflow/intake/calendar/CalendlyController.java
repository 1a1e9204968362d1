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

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * {@code POST /webhooks/calendly}: Calendly webhook v2, signed with
 * {@code Calendly-Webhook-Signature: t=...,v1=<hex HMAC-SHA256 of "t.rawBody">}.
 *
 * <p>{@code invitee.created} is a lead whose sourceEventId is the invitee URI. Rescheduling at Calendly cancels the
 * invitee ({@code rescheduled: true}, {@code new_invitee}) and creates a new one ({@code old_invitee}); the new
 * invitee is linked to the lead of the one it replaced, however many times the meeting moves, so the lead is
 * published again under its own leadId with the new time.
 *
 * <p>A cancellation that is not the first half of a reschedule ({@code invitee.canceled} with {@code rescheduled:
 * false}) is a {@code BOOKING_CANCELED} activity of the lead the booking belongs to, with Calendly's
 * {@code cancellation.reason} as detail; {@code invitee_no_show.created}, whose payload is the invitee with its
 * {@code no_show} mark (developer.calendly.com, "Webhook payloads"), is a {@code NO_SHOW} activity. Both are answered
 * after Kafka acknowledged them, with the lead and {@code canceled} or {@code no_show}. Their activity ids are the
 * invitee's URI, which Calendly never reuses: an invitee is canceled once and, however often a host marks and unmarks
 * it, is one no-show. A cancellation or no-show of an invitee that never booked through Leadflow (no booking link)
 * is acknowledged with {@code unknown_booking} and logged; nothing is published. Other events (among them
 * {@code invitee_no_show.deleted}) are acknowledged and ignored. Calendly's rescheduling recipe
 * (https://developer.calendly.com/docs/api-guides/see-how-webhook-payloads-change-when-invitees-reschedule-events)
 * describes the {@code rescheduled} flag.
 */
@RestController
class CalendlyController {

    static final String PROVIDER = "calendly";
    private static final List<String> UTM = List.of("utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content");

    private final CalendarWebhooks calendar;

    CalendlyController(CalendarWebhooks calendar) {
        this.calendar = calendar;
    }

    @PostMapping(path = "/webhooks/calendly", consumes = MediaType.APPLICATION_JSON_VALUE)
    CompletableFuture<ResponseEntity<Map<String, Object>>> receive(HttpServletRequest request) {
        return calendar.opening().receive(request, WebhookSource.CALENDLY, delivery -> {
            CalendlyWebhook webhook = calendar.json().readValue(delivery.body(), CalendlyWebhook.class);
            if (webhook == null || webhook.event() == null || webhook.event().isBlank()) {
                throw RejectedRequest.invalid("event", "is required");
            }
            return switch (webhook.event()) {
                case "invitee.created" -> created(delivery, invitee(webhook));
                case "invitee.canceled" -> canceled(delivery, webhook, invitee(webhook));
                case "invitee_no_show.created" -> noShow(delivery, webhook, invitee(webhook));
                default -> calendar.intake().acknowledge(null, "ignored");
            };
        });
    }

    private static CalendlyWebhook.Invitee invitee(CalendlyWebhook webhook) {
        CalendlyWebhook.Invitee invitee = webhook.payload();
        if (invitee == null || invitee.uri() == null || invitee.uri().isBlank()) {
            throw RejectedRequest.invalid("payload.uri", "is required");
        }
        return invitee;
    }

    private CompletableFuture<Answer> canceled(Delivery delivery, CalendlyWebhook webhook, CalendlyWebhook.Invitee invitee) {
        if (Boolean.TRUE.equals(invitee.rescheduled())) {
            return calendar.intake().acknowledge(calendar.bookings().origin(PROVIDER, invitee.uri()).leadId(), "rescheduled");
        }
        CalendlyWebhook.Cancellation cancellation = invitee.cancellation();
        return calendar.bookingActivity(delivery, PROVIDER, webhook.event(), invitee.uri().trim(), "canceled", leadId -> {
            Instant at = LeadActivities.time(cancellation == null ? null : cancellation.createdAt(), "payload.cancellation.created_at",
                    sent(webhook));
            return LeadActivities.activity(ActivityKind.BOOKING_CANCELED, PROVIDER, PROVIDER + ":canceled:" + invitee.uri().trim(),
                            "payload.uri", at)
                    .setLeadId(leadId)
                    .setDetail(LeadActivities.detail(cancellation == null ? null : cancellation.reason()))
                    .build();
        });
    }

    private CompletableFuture<Answer> noShow(Delivery delivery, CalendlyWebhook webhook, CalendlyWebhook.Invitee invitee) {
        CalendlyWebhook.NoShow mark = invitee.noShow();
        return calendar.bookingActivity(delivery, PROVIDER, webhook.event(), invitee.uri().trim(), "no_show", leadId ->
                LeadActivities.activity(ActivityKind.NO_SHOW, PROVIDER, PROVIDER + ":no_show:" + invitee.uri().trim(), "payload.uri",
                                LeadActivities.time(mark == null ? null : mark.createdAt(), "payload.no_show.created_at", sent(webhook)))
                        .setLeadId(leadId)
                        .build());
    }

    /** When Calendly created the webhook event: the time of an activity whose own time the payload does not give. */
    private Instant sent(CalendlyWebhook webhook) {
        return calendar.sent(webhook.createdAt(), "created_at");
    }

    private CompletableFuture<Answer> created(Delivery delivery, CalendlyWebhook.Invitee invitee) {
        CalendlyWebhook.ScheduledEvent meeting = invitee.scheduledEvent();
        String eventName = meeting == null ? null : meeting.name();
        LeadDraft draft = new LeadDraft()
                .email(invitee.email(), "payload.email")
                .firstName(invitee.firstName())
                .lastName(invitee.lastName())
                .fullName(invitee.name())
                .groupDemo(BookingAnswers.isGroupEvent(eventName))
                .freeText(eventName);
        BookingAnswers answers = new BookingAnswers(draft);
        if (invitee.questionsAndAnswers() != null) {
            for (CalendlyWebhook.QuestionAndAnswer qa : invitee.questionsAndAnswers()) {
                if (qa != null) {
                    answers.answer(qa.question(), qa.answer());
                }
            }
        }
        answers.finish();
        CalendlyWebhook.Tracking tracking = invitee.tracking();
        if (tracking != null) {
            List<String> values = List.of(nz(tracking.utmSource()), nz(tracking.utmMedium()), nz(tracking.utmCampaign()),
                    nz(tracking.utmTerm()), nz(tracking.utmContent()));
            for (int i = 0; i < UTM.size(); i++) {
                draft.utm(UTM.get(i), values.get(i));
            }
        }
        if (meeting != null) {
            Instant start = Timestamps.parse(meeting.startTime(), "payload.scheduled_event.start_time");
            if (start != null) {
                draft.demo(Demo.newBuilder()
                        .setStartsAt(start)
                        .setEndsAt(Timestamps.parse(meeting.endTime(), "payload.scheduled_event.end_time"))
                        .setBookingUrl(meeting.location() == null ? null : meeting.location().joinUrl())
                        .setProvider(PROVIDER)
                        .setEventType(blankToNull(meeting.eventType()))
                        .build());
            }
        }
        String replaced = invitee.oldInvitee() == null || invitee.oldInvitee().isBlank() ? null : invitee.oldInvitee().trim();
        Bookings.Origin origin = replaced == null ? Bookings.Origin.of(WebhookSource.CALENDLY, invitee.uri().trim())
                : calendar.bookings().origin(PROVIDER, replaced);
        return calendar.intake().accept(delivery, new LeadIntake.Lead(draft, origin.sourceEventId(), "payload.uri",
                replaced == null ? "accepted" : "rescheduled", List.of(new LeadIntake.Booking(PROVIDER, invitee.uri().trim()))));
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
