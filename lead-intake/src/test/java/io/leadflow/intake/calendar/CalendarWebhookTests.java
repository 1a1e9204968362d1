package io.leadflow.intake.calendar;

import io.leadflow.avro.LeadReceived;
import io.leadflow.avro.LeadSource;
import io.leadflow.avro.Need;
import io.leadflow.avro.PlanInterest;
import io.leadflow.avro.Region;
import io.leadflow.intake.IntakeIntegrationTest;
import io.leadflow.intake.Webhooks;
import io.leadflow.schemas.LeadIds;
import io.leadflow.schemas.Topics;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.ObjectMapper;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Demo bookings from Calendly (webhook v2) and Cal.com, with payloads shaped as their docs show. */
class CalendarWebhookTests extends IntakeIntegrationTest {

    @Autowired
    ObjectMapper json;

    static String calendly(String event, String invitee) {
        return CalendarBodies.calendly(event, invitee, null, "2026-01-05T15:00:00.000000Z");
    }

    static String calcom(String uid) {
        return CalendarBodies.calcom("BOOKING_CREATED", uid, null, "2026-01-06T09:00:00Z");
    }

    @Test
    void publishesACalendlyBookingWithItsDemoAndAnswers() {
        String invitee = UUID.randomUUID().toString();
        byte[] body = calendly("invitee.created", invitee).getBytes(StandardCharsets.UTF_8);

        HttpResponse<String> response = webhooks().post("/webhooks/calendly", "application/json", body,
                "Calendly-Webhook-Signature", Webhooks.timestamped(Webhooks.CALENDLY_KEY, Instant.now().getEpochSecond(), body));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        String uri = "https://api.calendly.com/scheduled_events/GBGBDCAADAEDCRZ2/invitees/" + invitee;
        String leadId = LeadIds.leadId("DEMO_BOOKING", uri);
        assertThat(json.readTree(response.body()).get("leadId").asString()).isEqualTo(leadId);
        LeadReceived lead = published().awaitValues(Topics.LEADS_RECEIVED, leadId, LeadReceived.class).get(0);
        assertThat(lead.getSource()).isEqualTo(LeadSource.DEMO_BOOKING);
        assertThat(lead.getSourceEventId()).isEqualTo(uri);
        assertThat(lead.getContact().getEmail()).isEqualTo("bob.smith@globex.io");
        assertThat(lead.getContact().getFirstName()).isEqualTo("Bob");
        assertThat(lead.getContact().getLastName()).isEqualTo("Smith");
        assertThat(lead.getContact().getCompanyName()).isEqualTo("Globex");
        assertThat(lead.getContact().getCompanyDomain()).isEqualTo("globex.io");
        assertThat(lead.getContact().getCountry()).isEqualTo("US");
        assertThat(lead.getContact().getRegion()).isEqualTo(Region.US);
        assertThat(lead.getPlanInterest()).isEqualTo(PlanInterest.SCALE);
        assertThat(lead.getMonthlyEvents()).isEqualTo(120_000_000L);
        assertThat(lead.getNeeds()).containsExactly(Need.SSO);
        assertThat(lead.getYCombinator()).isTrue();
        assertThat(lead.getDemo().getStartsAt()).isEqualTo(Instant.parse("2026-01-05T15:00:00Z"));
        assertThat(lead.getDemo().getEndsAt()).isEqualTo(Instant.parse("2026-01-05T15:30:00Z"));
        assertThat(lead.getDemo().getBookingUrl()).isEqualTo("https://meet.google.com/abc-defg-hij");
        assertThat(lead.getDemo().getProvider()).isEqualTo("calendly");
        assertThat(lead.getMessage()).contains("Company name: Globex", "Anything we should know?: Evaluating the Scale plan");
        assertThat(lead.getUtm()).containsEntry("campaign", "pricing").containsEntry("source", "website").hasSize(2);
    }

    @Test
    void aCalendlyCancellationIsNeverPublishedAsALead() {
        String invitee = UUID.randomUUID().toString();
        byte[] body = calendly("invitee.canceled", invitee).getBytes(StandardCharsets.UTF_8);
        long before = published().endOffsets(Topics.LEADS_RECEIVED);

        HttpResponse<String> response = webhooks().post("/webhooks/calendly", "application/json", body,
                "Calendly-Webhook-Signature", Webhooks.timestamped(Webhooks.CALENDLY_KEY, Instant.now().getEpochSecond(), body));

        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(json.readTree(response.body()).get("outcome").asString()).as("a booking intake never saw").isEqualTo("unknown_booking");
        assertThat(published().endOffsets(Topics.LEADS_RECEIVED)).isEqualTo(before);
    }

    @Test
    void publishesACalcomBookingWithItsResponses() {
        String uid = "bFJeNb2uX8ANpT3JL5Ef" + UUID.randomUUID().toString().substring(0, 8);
        byte[] body = calcom(uid).getBytes(StandardCharsets.UTF_8);

        HttpResponse<String> response = webhooks().post("/webhooks/calcom", "application/json", body,
                "X-Cal-Signature-256", io.leadflow.intake.signature.Hmac.sha256Hex(Webhooks.CALCOM_SECRET, body));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        String leadId = LeadIds.leadId("DEMO_BOOKING", uid);
        LeadReceived lead = published().awaitValues(Topics.LEADS_RECEIVED, leadId, LeadReceived.class).get(0);
        assertThat(lead.getContact().getEmail()).isEqualTo("chloe@gmail.com");
        assertThat(lead.getContact().getFirstName()).isEqualTo("Chloé");
        assertThat(lead.getContact().getLastName()).isEqualTo("Martin");
        assertThat(lead.getContact().getCompanyName()).isEqualTo("Initech SAS");
        assertThat(lead.getContact().getCompanyDomain()).as("gmail.com is free mail").isNull();
        assertThat(lead.getContact().getCountry()).isEqualTo("FR");
        assertThat(lead.getContact().getRegion()).isEqualTo(Region.EU);
        assertThat(lead.getMonthlyEvents()).isEqualTo(5_000_000L);
        assertThat(lead.getNeeds()).containsExactly(Need.SELF_HOSTING, Need.PRIVACY_COMPLIANCE);
        assertThat(lead.getGroupDemo()).isTrue();
        assertThat(lead.getDemo().getStartsAt()).isEqualTo(Instant.parse("2026-01-06T09:00:00Z"));
        assertThat(lead.getDemo().getBookingUrl()).isEqualTo("https://app.cal.com/video/" + uid);
        assertThat(lead.getDemo().getProvider()).isEqualTo("cal.com");
        assertThat(lead.getMessage()).contains("Company: Initech SAS", "self-host because of HIPAA");
    }

    @Test
    void rejectsForgedBookingsWith401() {
        byte[] body = calcom("forged").getBytes(StandardCharsets.UTF_8);
        byte[] calendlyBody = calendly("invitee.created", "forged").getBytes(StandardCharsets.UTF_8);
        long before = published().endOffsets(Topics.LEADS_RECEIVED);

        HttpResponse<String> tampered = webhooks().post("/webhooks/calcom", "application/json",
                calcom("forged2").getBytes(StandardCharsets.UTF_8),
                "X-Cal-Signature-256", io.leadflow.intake.signature.Hmac.sha256Hex(Webhooks.CALCOM_SECRET, body));
        HttpResponse<String> missing = webhooks().post("/webhooks/calcom", "application/json", body);
        HttpResponse<String> wrongKey = webhooks().post("/webhooks/calendly", "application/json", calendlyBody,
                "Calendly-Webhook-Signature", Webhooks.timestamped("someone-else", Instant.now().getEpochSecond(), calendlyBody));
        HttpResponse<String> stale = webhooks().post("/webhooks/calendly", "application/json", calendlyBody,
                "Calendly-Webhook-Signature", Webhooks.timestamped(Webhooks.CALENDLY_KEY, Instant.now().getEpochSecond() - 26 * 3600, calendlyBody));

        assertThat(tampered.statusCode()).isEqualTo(401);
        assertThat(missing.statusCode()).isEqualTo(401);
        assertThat(wrongKey.statusCode()).isEqualTo(401);
        assertThat(stale.statusCode()).isEqualTo(401);
        assertThat(published().endOffsets(Topics.LEADS_RECEIVED)).isEqualTo(before);
    }

    @Test
    void aCalendlyMeetingRescheduledTwiceStaysOneLeadWithTheNewestTime() {
        String first = UUID.randomUUID().toString();
        String second = UUID.randomUUID().toString();
        String third = UUID.randomUUID().toString();

        HttpResponse<String> booked = postCalendly(CalendarBodies.calendly("invitee.created", first, null, "2026-02-02T15:00:00Z"));
        HttpResponse<String> movedOnce = postCalendly(CalendarBodies.calendly("invitee.created", second,
                CalendarBodies.inviteeUri(first), "2026-02-03T15:00:00Z"));
        HttpResponse<String> canceledHalf = postCalendly(CalendarBodies.calendly("invitee.canceled", second, null, "2026-02-03T15:00:00Z")
                .replace("\"rescheduled\": false", "\"rescheduled\": true"));
        HttpResponse<String> movedTwice = postCalendly(CalendarBodies.calendly("invitee.created", third,
                CalendarBodies.inviteeUri(second), "2026-02-04T16:30:00Z"));

        String leadId = LeadIds.leadId("DEMO_BOOKING", CalendarBodies.inviteeUri(first));
        assertThat(List.of(booked, movedOnce, canceledHalf, movedTwice)).allSatisfy(r -> {
            assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
            assertThat(json.readTree(r.body()).get("leadId").asString()).isEqualTo(leadId);
        });
        assertThat(json.readTree(movedTwice.body()).get("outcome").asString()).isEqualTo("rescheduled");
        assertThat(json.readTree(canceledHalf.body()).get("outcome").asString()).isEqualTo("rescheduled");
        List<LeadReceived> versions = published().awaitValues(Topics.LEADS_RECEIVED, leadId, LeadReceived.class);
        assertThat(versions).extracting(l -> l.getDemo().getStartsAt()).containsExactly(
                Instant.parse("2026-02-02T15:00:00Z"), Instant.parse("2026-02-03T15:00:00Z"), Instant.parse("2026-02-04T16:30:00Z"));
        assertThat(versions).extracting(LeadReceived::getSourceEventId).containsOnly(CalendarBodies.inviteeUri(first));
    }

    @Test
    void aCalcomBookingRescheduledTwiceStaysOneLeadWithTheNewestTime() {
        String first = UUID.randomUUID().toString();
        String second = UUID.randomUUID().toString();
        String third = UUID.randomUUID().toString();

        postCalcom(CalendarBodies.calcom("BOOKING_CREATED", first, null, "2026-02-06T09:00:00Z"));
        postCalcom(CalendarBodies.calcom("BOOKING_RESCHEDULED", second, first, "2026-02-07T09:00:00Z"));
        HttpResponse<String> movedTwice = postCalcom(CalendarBodies.calcom("BOOKING_RESCHEDULED", third, second, "2026-02-09T11:00:00Z"));
        HttpResponse<String> canceled = postCalcom(CalendarBodies.calcom("BOOKING_CANCELLED", third, null, "2026-02-09T11:00:00Z"));

        String leadId = LeadIds.leadId("DEMO_BOOKING", first);
        assertThat(movedTwice.statusCode()).as(movedTwice.body()).isEqualTo(202);
        assertThat(json.readTree(movedTwice.body()).get("leadId").asString()).isEqualTo(leadId);
        assertThat(json.readTree(movedTwice.body()).get("outcome").asString()).isEqualTo("rescheduled");
        assertThat(json.readTree(canceled.body()).get("leadId").asString()).isEqualTo(leadId);
        assertThat(published().awaitValues(Topics.LEADS_RECEIVED, leadId, LeadReceived.class))
                .extracting(l -> l.getDemo().getStartsAt()).endsWith(Instant.parse("2026-02-09T11:00:00Z")).hasSize(3);
    }

    @Test
    void answersABookingTimeOutsideAnyCalendarWith400NamingTheField() {
        long before = published().endOffsets(Topics.LEADS_RECEIVED);

        HttpResponse<String> calendly = postCalendly(CalendarBodies.calendly("invitee.created", UUID.randomUUID().toString(), null,
                "+1000000000-01-01T00:00:00Z"));
        HttpResponse<String> calcom = postCalcom(CalendarBodies.calcom("BOOKING_CREATED", UUID.randomUUID().toString(), null,
                "-999999999-01-01T00:00:00Z"));

        assertThat(calendly.statusCode()).as(calendly.body()).isEqualTo(400);
        assertThat(json.readTree(calendly.body()).get("field").asString()).isEqualTo("payload.scheduled_event.start_time");
        assertThat(calcom.statusCode()).as(calcom.body()).isEqualTo(400);
        assertThat(json.readTree(calcom.body()).get("field").asString()).isEqualTo("payload.startTime");
        assertThat(published().endOffsets(Topics.LEADS_RECEIVED)).isEqualTo(before);
    }

    @Test
    void namesTheFieldOfAWronglyTypedAnswerWithoutNamingInternalClasses() {
        String body = CalendarBodies.calendly("invitee.created", UUID.randomUUID().toString(), null, "2026-01-05T15:00:00Z")
                .replace("\"questions_and_answers\": [", "\"questions_and_answers\": {\"oops\": [").replace("\n                    ],", "]},");

        HttpResponse<String> response = postCalendly(body);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(json.readTree(response.body()).get("field").asString()).isEqualTo("payload.questions_and_answers");
        assertThat(response.body()).doesNotContain("io.leadflow", "tools.jackson", "Exception");
    }

    private HttpResponse<String> postCalendly(String json) {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        return webhooks().post("/webhooks/calendly", "application/json", body,
                "Calendly-Webhook-Signature", Webhooks.timestamped(Webhooks.CALENDLY_KEY, Instant.now().getEpochSecond(), body));
    }

    private HttpResponse<String> postCalcom(String json) {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        return webhooks().post("/webhooks/calcom", "application/json", body,
                "X-Cal-Signature-256", io.leadflow.intake.signature.Hmac.sha256Hex(Webhooks.CALCOM_SECRET, body));
    }
}
