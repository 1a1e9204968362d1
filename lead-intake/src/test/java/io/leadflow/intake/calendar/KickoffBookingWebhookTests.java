package io.leadflow.intake.calendar;

import io.leadflow.avro.LeadReceived;
import io.leadflow.avro.LeadSource;
import io.leadflow.intake.IntakeIntegrationTest;
import io.leadflow.intake.Webhooks;
import io.leadflow.intake.signature.Hmac;
import io.leadflow.schemas.LeadIds;
import io.leadflow.schemas.Topics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import tools.jackson.databind.ObjectMapper;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Locale;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The customer of a running trial books the kick-off call: the booking reaches {@code leads.received} as a lead of its
 * own with the call's start and the same contact email as the lead that began the trial, which is what routing-service
 * relays on {@code leads.routed}, crm-sync attaches to that person's open deal, and trial-tracker reads to mark the
 * kick-off booked; the demo names the booked event type. Bodies are shaped as Calendly's and Cal.com's documentation
 * shows them.
 */
class KickoffBookingWebhookTests extends IntakeIntegrationTest {

    private static final String CONTACT = "dana.lee@hooli-analytics.example";

    @Autowired
    ObjectMapper json;

    @Test
    @ExtendWith(OutputCaptureExtension.class)
    void aTrialContactsCalendlyAndCalcomBookingsArePublishedWithTheCallAndTheSameContact(CapturedOutput output) {
        // given the trial's lead, from the website form
        byte[] form = """
                {"submissionId": "kickoff-%s", "email": "  Dana.Lee@Hooli-Analytics.example ", "firstName": "Dana",
                 "company": "Hooli Analytics", "planInterest": "enterprise", "monthlyEvents": "80m"}
                """.formatted(UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> formAnswer = webhooks().post("/webhooks/website", "application/json", form,
                "X-Leadflow-Signature", Webhooks.timestamped(Webhooks.WEBSITE_SECRET, Instant.now().getEpochSecond(), form));
        assertThat(formAnswer.statusCode()).as(formAnswer.body()).isEqualTo(202);
        String trialLead = json.readTree(formAnswer.body()).get("leadId").asString();
        String contact = published().awaitValues(Topics.LEADS_RECEIVED, trialLead, LeadReceived.class).get(0)
                .getContact().getEmail();

        // when the same person books the kick-off through Calendly, and through Cal.com
        String invitee = UUID.randomUUID().toString();
        byte[] calendly = CalendarBodies.calendly("invitee.created", invitee, null, "2026-03-04T15:30:00.000000Z")
                .replace("Bob.Smith@Globex.io", "DANA.LEE@Hooli-Analytics.example").getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> calendlyAnswer = webhooks().post("/webhooks/calendly", "application/json", calendly,
                "Calendly-Webhook-Signature", Webhooks.timestamped(Webhooks.CALENDLY_KEY, Instant.now().getEpochSecond(), calendly));
        String uid = "kickoff" + UUID.randomUUID().toString().substring(0, 12);
        byte[] calcom = CalendarBodies.calcom("BOOKING_CREATED", uid, null, "2026-03-05T09:00:00Z")
                .replace("chloe@gmail.com", "Dana.Lee@hooli-analytics.EXAMPLE").getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> calcomAnswer = webhooks().post("/webhooks/calcom", "application/json", calcom,
                "X-Cal-Signature-256", Hmac.sha256Hex(Webhooks.CALCOM_SECRET, calcom));

        // then each is a lead of its own, with the call and the trial lead's contact, and no log line names the address
        assertThat(calendlyAnswer.statusCode()).as(calendlyAnswer.body()).isEqualTo(202);
        assertThat(calcomAnswer.statusCode()).as(calcomAnswer.body()).isEqualTo(202);
        LeadReceived viaCalendly = published().awaitValues(Topics.LEADS_RECEIVED,
                LeadIds.leadId("DEMO_BOOKING", CalendarBodies.inviteeUri(invitee)), LeadReceived.class).get(0);
        LeadReceived viaCalcom = published().awaitValues(Topics.LEADS_RECEIVED, LeadIds.leadId("DEMO_BOOKING", uid),
                LeadReceived.class).get(0);
        assertThat(contact).isEqualTo(CONTACT);
        for (LeadReceived booking : new LeadReceived[] {viaCalendly, viaCalcom}) {
            assertThat(booking.getLeadId()).isNotEqualTo(trialLead);
            assertThat(booking.getSource()).isEqualTo(LeadSource.DEMO_BOOKING);
            assertThat(booking.getContact().getEmail()).isEqualTo(contact);
        }
        assertThat(viaCalendly.getDemo().getStartsAt()).isEqualTo(Instant.parse("2026-03-04T15:30:00Z"));
        assertThat(viaCalendly.getDemo().getProvider()).isEqualTo("calendly");
        assertThat(viaCalcom.getDemo().getStartsAt()).isEqualTo(Instant.parse("2026-03-05T09:00:00Z"));
        assertThat(viaCalcom.getDemo().getProvider()).isEqualTo("cal.com");
        // the booked event type, for LEADFLOW_TRIALS_KICKOFF_EVENT_TYPES
        assertThat(viaCalendly.getDemo().getEventType()).isEqualTo("https://api.calendly.com/event_types/GBGBDCAADAEDCRZ2");
        assertThat(viaCalcom.getDemo().getEventType()).isEqualTo("1287");
        assertThat(output.getOut().toLowerCase(Locale.ROOT)).doesNotContain(CONTACT);
    }
}
