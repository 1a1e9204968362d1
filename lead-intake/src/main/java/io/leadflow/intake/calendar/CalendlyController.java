package io.leadflow.intake.calendar;

import io.leadflow.avro.Demo;
import io.leadflow.intake.delivery.Answer;
import io.leadflow.intake.delivery.Delivery;
import io.leadflow.intake.delivery.WebhookOpening;
import io.leadflow.intake.normalise.LeadDraft;
import io.leadflow.intake.publish.LeadIntake;
import io.leadflow.intake.system.RejectedRequest;
import io.leadflow.intake.system.Timestamps;
import io.leadflow.intake.system.WebhookSource;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.ObjectMapper;

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
 * published again under its own leadId with the new time. {@code invitee.canceled} is acknowledged; other events are
 * acknowledged and ignored.
 */
@RestController
class CalendlyController {

    static final String PROVIDER = "calendly";
    private static final List<String> UTM = List.of("utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content");

    private final WebhookOpening opening;
    private final LeadIntake intake;
    private final Bookings bookings;
    private final ObjectMapper json;

    CalendlyController(WebhookOpening opening, LeadIntake intake, Bookings bookings, ObjectMapper json) {
        this.opening = opening;
        this.intake = intake;
        this.bookings = bookings;
        this.json = json;
    }

    @PostMapping(path = "/webhooks/calendly", consumes = MediaType.APPLICATION_JSON_VALUE)
    CompletableFuture<ResponseEntity<Map<String, Object>>> receive(HttpServletRequest request) {
        return opening.receive(request, WebhookSource.CALENDLY, delivery -> {
            CalendlyWebhook webhook = json.readValue(delivery.body(), CalendlyWebhook.class);
            if (webhook == null || webhook.event() == null || webhook.event().isBlank()) {
                throw RejectedRequest.invalid("event", "is required");
            }
            return switch (webhook.event()) {
                case "invitee.created" -> created(delivery, invitee(webhook));
                case "invitee.canceled" -> canceled(invitee(webhook));
                default -> intake.acknowledge(null, "ignored");
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

    private CompletableFuture<Answer> canceled(CalendlyWebhook.Invitee invitee) {
        Bookings.Origin origin = bookings.origin(PROVIDER, invitee.uri());
        if (Boolean.TRUE.equals(invitee.rescheduled())) {
            return intake.acknowledge(origin.leadId(), "rescheduled");
        }
        return intake.acknowledge(origin.leadId(), "canceled");
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
                        .build());
            }
        }
        String replaced = invitee.oldInvitee() == null || invitee.oldInvitee().isBlank() ? null : invitee.oldInvitee().trim();
        Bookings.Origin origin = replaced == null ? Bookings.Origin.of(WebhookSource.CALENDLY, invitee.uri().trim())
                : bookings.origin(PROVIDER, replaced);
        return intake.accept(delivery, new LeadIntake.Lead(draft, origin.sourceEventId(), "payload.uri",
                replaced == null ? "accepted" : "rescheduled", List.of(new LeadIntake.Booking(PROVIDER, invitee.uri().trim()))));
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
