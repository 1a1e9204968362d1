package io.leadflow.intake.calendar;

import io.leadflow.avro.ActivityKind;
import io.leadflow.avro.LeadActivity;
import io.leadflow.intake.IntakeIntegrationTest;
import io.leadflow.intake.Webhooks;
import io.leadflow.intake.signature.Hmac;
import io.leadflow.schemas.LeadIds;
import io.leadflow.schemas.Topics;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Cancellations and no-shows of booked demos become activities of the lead the booking belongs to, found through the
 * booking links intake keeps, however often the meeting moved.
 */
class BookingActivityTests extends IntakeIntegrationTest {

    @Autowired
    ObjectMapper json;

    @Test
    void aCalendlyCancellationIsABookingCanceledActivityOfTheBookingsLead() {
        String invitee = UUID.randomUUID().toString();
        String leadId = LeadIds.leadId("DEMO_BOOKING", CalendarBodies.inviteeUri(invitee));
        assertThat(postCalendly(CalendarBodies.calendly("invitee.created", invitee, null, "2026-01-05T15:00:00Z")).statusCode())
                .isEqualTo(202);

        HttpResponse<String> canceled = postCalendly(CalendarBodies.calendlyCanceled(invitee, "We picked another vendor"));

        assertThat(canceled.statusCode()).as(canceled.body()).isEqualTo(202);
        JsonNode answer = json.readTree(canceled.body());
        assertThat(answer.get("leadId").asString()).isEqualTo(leadId);
        assertThat(answer.get("outcome").asString()).isEqualTo("canceled");
        List<LeadActivity> activities = published().values(Topics.LEADS_ACTIVITY, leadId, LeadActivity.class);
        assertThat(activities).as("acknowledged by Kafka before the answer").hasSize(1);
        LeadActivity activity = activities.get(0);
        assertThat(activity.getKind()).isEqualTo(ActivityKind.BOOKING_CANCELED);
        assertThat(activity.getSource()).isEqualTo("calendly");
        assertThat(activity.getActivityId()).isEqualTo("calendly:canceled:" + CalendarBodies.inviteeUri(invitee));
        assertThat(activity.getDetail()).isEqualTo("We picked another vendor");
        assertThat(activity.getOccurredAt()).isEqualTo(Instant.parse("2026-01-04T08:30:00Z"));
        assertThat(activity.getHubspotContactId()).isNull();
        assertThat(activity.getActorSlackUserId()).isNull();
    }

    @Test
    void aCalendlyNoShowIsANoShowActivityOfTheBookingsLead() {
        String invitee = UUID.randomUUID().toString();
        String leadId = LeadIds.leadId("DEMO_BOOKING", CalendarBodies.inviteeUri(invitee));
        postCalendly(CalendarBodies.calendly("invitee.created", invitee, null, "2026-01-05T15:00:00Z"));

        HttpResponse<String> noShow = postCalendly(CalendarBodies.calendlyNoShow(invitee));

        assertThat(noShow.statusCode()).as(noShow.body()).isEqualTo(202);
        assertThat(json.readTree(noShow.body()).get("outcome").asString()).isEqualTo("no_show");
        LeadActivity activity = published().values(Topics.LEADS_ACTIVITY, leadId, LeadActivity.class).get(0);
        assertThat(activity.getKind()).isEqualTo(ActivityKind.NO_SHOW);
        assertThat(activity.getLeadId()).isEqualTo(leadId);
        assertThat(activity.getActivityId()).isEqualTo("calendly:no_show:" + CalendarBodies.inviteeUri(invitee));
        assertThat(activity.getOccurredAt()).isEqualTo(Instant.parse("2026-01-05T15:20:00Z"));
    }

    @Test
    void theCanceledHalfOfACalendlyRescheduleIsNoCancellationButCancelingTheMovedMeetingIs() {
        String first = UUID.randomUUID().toString();
        String second = UUID.randomUUID().toString();
        String leadId = LeadIds.leadId("DEMO_BOOKING", CalendarBodies.inviteeUri(first));
        postCalendly(CalendarBodies.calendly("invitee.created", first, null, "2026-02-02T15:00:00Z"));
        postCalendly(CalendarBodies.calendly("invitee.created", second, CalendarBodies.inviteeUri(first), "2026-02-03T15:00:00Z"));

        HttpResponse<String> rescheduledAway = postCalendly(CalendarBodies.calendlyRescheduledAway(first, second));

        assertThat(rescheduledAway.statusCode()).as(rescheduledAway.body()).isEqualTo(202);
        assertThat(json.readTree(rescheduledAway.body()).get("outcome").asString()).isEqualTo("rescheduled");
        assertThat(published().values(Topics.LEADS_ACTIVITY, leadId, LeadActivity.class)).isEmpty();

        HttpResponse<String> canceled = postCalendly(CalendarBodies.calendlyCanceled(second, "Could not make it"));

        assertThat(json.readTree(canceled.body()).get("leadId").asString()).isEqualTo(leadId);
        assertThat(published().values(Topics.LEADS_ACTIVITY, leadId, LeadActivity.class))
                .singleElement()
                .satisfies(a -> {
                    assertThat(a.getKind()).isEqualTo(ActivityKind.BOOKING_CANCELED);
                    assertThat(a.getActivityId()).isEqualTo("calendly:canceled:" + CalendarBodies.inviteeUri(second));
                });
    }

    @Test
    void aCalcomCancellationAndANoShowMarkAreActivitiesOfTheLeadOfTheBookingTheyAreAbout() {
        String first = UUID.randomUUID().toString();
        String moved = UUID.randomUUID().toString();
        String leadId = LeadIds.leadId("DEMO_BOOKING", first);
        postCalcom(CalendarBodies.calcom("BOOKING_CREATED", first, null, "2026-02-06T09:00:00Z"));
        postCalcom(CalendarBodies.calcom("BOOKING_RESCHEDULED", moved, first, "2026-02-07T09:00:00Z"));

        HttpResponse<String> noShow = postCalcom(CalendarBodies.calcomNoShow(moved, true));
        HttpResponse<String> unmarked = postCalcom(CalendarBodies.calcomNoShow(moved, false));
        HttpResponse<String> canceled = postCalcom(CalendarBodies.calcomCanceled(moved, "Budget frozen"));

        assertThat(List.of(noShow, unmarked, canceled)).allSatisfy(r -> {
            assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
            assertThat(json.readTree(r.body()).get("leadId").asString()).isEqualTo(leadId);
        });
        assertThat(json.readTree(noShow.body()).get("outcome").asString()).isEqualTo("no_show");
        assertThat(json.readTree(unmarked.body()).get("outcome").asString()).isEqualTo("ignored");
        assertThat(json.readTree(canceled.body()).get("outcome").asString()).isEqualTo("canceled");
        List<LeadActivity> activities = published().values(Topics.LEADS_ACTIVITY, leadId, LeadActivity.class);
        assertThat(activities).extracting(LeadActivity::getKind).containsExactly(ActivityKind.NO_SHOW, ActivityKind.BOOKING_CANCELED);
        assertThat(activities.get(0).getActivityId()).isEqualTo("cal.com:no_show:" + moved);
        assertThat(activities.get(0).getOccurredAt()).isEqualTo(Instant.parse("2026-01-06T10:05:00Z"));
        assertThat(activities.get(1).getActivityId()).isEqualTo("cal.com:canceled:" + moved);
        assertThat(activities.get(1).getDetail()).isEqualTo("Budget frozen");
        assertThat(activities).allSatisfy(a -> assertThat(a.getSource()).isEqualTo("cal.com"));
    }

    @Test
    void aCancellationOrNoShowOfABookingNeverSeenIsAcknowledgedAsUnknownAndPublishesNothing() {
        long before = published().endOffsets(Topics.LEADS_ACTIVITY);

        List<HttpResponse<String>> responses = List.of(
                postCalendly(CalendarBodies.calendlyCanceled(UUID.randomUUID().toString(), "Never booked with us")),
                postCalendly(CalendarBodies.calendlyNoShow(UUID.randomUUID().toString())),
                postCalcom(CalendarBodies.calcomCanceled(UUID.randomUUID().toString(), "Never booked with us")),
                postCalcom(CalendarBodies.calcomNoShow(UUID.randomUUID().toString(), true)));

        assertThat(responses).allSatisfy(r -> {
            assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
            JsonNode answer = json.readTree(r.body());
            assertThat(answer.get("outcome").asString()).isEqualTo("unknown_booking");
            assertThat(answer.has("leadId")).isFalse();
        });
        assertThat(published().endOffsets(Topics.LEADS_ACTIVITY)).isEqualTo(before);
    }

    @Test
    void aNoShowWithoutItsBookingUidIsA400NamingIt() {
        HttpResponse<String> response = postCalcom(CalendarBodies.calcomNoShow("x", true).replace("\"bookingUid\": \"x\",", ""));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(json.readTree(response.body()).get("field").asString()).isEqualTo("payload.bookingUid");
    }

    private HttpResponse<String> postCalendly(String payload) {
        byte[] body = payload.getBytes(StandardCharsets.UTF_8);
        return webhooks().post("/webhooks/calendly", "application/json", body,
                "Calendly-Webhook-Signature", Webhooks.timestamped(Webhooks.CALENDLY_KEY, Instant.now().getEpochSecond(), body));
    }

    private HttpResponse<String> postCalcom(String payload) {
        byte[] body = payload.getBytes(StandardCharsets.UTF_8);
        return webhooks().post("/webhooks/calcom", "application/json", body,
                "X-Cal-Signature-256", Hmac.sha256Hex(Webhooks.CALCOM_SECRET, body));
    }
}
