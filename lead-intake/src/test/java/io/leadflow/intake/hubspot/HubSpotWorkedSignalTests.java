package io.leadflow.intake.hubspot;

import io.leadflow.avro.ActivityKind;
import io.leadflow.avro.DealStageChanged;
import io.leadflow.avro.LeadActivity;
import io.leadflow.intake.IntakeIntegrationTest;
import io.leadflow.intake.Webhooks;
import io.leadflow.schemas.Topics;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * HubSpot property changes that mean the owner acted on a lead become {@code WORKED} activities, keyed by the HubSpot
 * record; events shaped as HubSpot's webhook payload tables show them.
 */
class HubSpotWorkedSignalTests extends IntakeIntegrationTest {

    static final String PATH = "/webhooks/hubspot";

    @Autowired
    ObjectMapper json;

    static String event(String subscriptionType, long eventId, long objectId, String property, String value) {
        return """
                {"eventId": %d, "subscriptionId": 2148940, "portalId": 62515, "appId": 1160452,
                 "occurredAt": 1767607260000, "subscriptionType": "%s", "attemptNumber": 0,
                 "objectId": %d, "changeSource": "CRM_UI", "sourceId": "userId:3217",
                 "propertyName": "%s", "propertyValue": "%s"}
                """.formatted(eventId, subscriptionType, objectId, property, value);
    }

    private HttpResponse<String> post(String... events) {
        byte[] bytes = ("[" + String.join(",", events) + "]").getBytes(StandardCharsets.UTF_8);
        String ts = Long.toString(Instant.now().toEpochMilli());
        return webhooks().post(PATH, "application/json", bytes,
                "X-HubSpot-Signature-v3", webhooks().hubSpotSignature(Webhooks.HUBSPOT_SECRET, PATH, bytes, ts),
                "X-HubSpot-Request-Timestamp", ts);
    }

    private static long newId() {
        return ThreadLocalRandom.current().nextLong(1_000_000, Long.MAX_VALUE / 2);
    }

    @Test
    void aLeadStatusMovedOffNewIsWorkedKeyedByTheContactOnceHoweverOftenHubSpotSendsIt() {
        long eventId = newId();
        long contactId = newId();
        String connected = event("contact.propertyChange", eventId, contactId, "hs_lead_status", "CONNECTED");

        HttpResponse<String> first = post(connected);
        HttpResponse<String> regrouped = post(event("contact.propertyChange", newId(), newId(), "firstname", "Ada"), connected);

        assertThat(first.statusCode()).as(first.body()).isEqualTo(202);
        assertThat(json.readTree(first.body()).get("published").asInt()).isEqualTo(1);
        assertThat(json.readTree(regrouped.body()).get("duplicates").asInt()).isEqualTo(1);
        List<LeadActivity> worked = published().values(Topics.LEADS_ACTIVITY, "hubspot:contact:" + contactId, LeadActivity.class);
        assertThat(worked).hasSize(1);
        LeadActivity activity = worked.get(0);
        assertThat(activity.getKind()).isEqualTo(ActivityKind.WORKED);
        assertThat(activity.getSource()).isEqualTo("hubspot");
        assertThat(activity.getActivityId()).isEqualTo("hubspot:62515:" + eventId);
        assertThat(activity.getHubspotContactId()).isEqualTo(Long.toString(contactId));
        assertThat(activity.getHubspotDealId()).isNull();
        assertThat(activity.getLeadId()).isNull();
        assertThat(activity.getActorHubspotOwnerId()).isNull();
        assertThat(activity.getDetail()).isEqualTo("hs_lead_status=CONNECTED");
        assertThat(activity.getOccurredAt()).isEqualTo(Instant.ofEpochMilli(1767607260000L));
    }

    @Test
    void theDeveloperPlatformsObjectPropertyChangeOfAContactCountsAsWell() {
        long contactId = newId();
        String body = event("object.propertyChange", newId(), contactId, "hs_lead_status", "ATTEMPTED_TO_CONTACT")
                .replace("\"attemptNumber\": 0,", "\"attemptNumber\": 0, \"objectTypeId\": \"0-1\",");

        HttpResponse<String> response = post(body);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        assertThat(published().values(Topics.LEADS_ACTIVITY, "hubspot:contact:" + contactId, LeadActivity.class))
                .singleElement()
                .satisfies(a -> assertThat(a.getDetail()).isEqualTo("hs_lead_status=ATTEMPTED_TO_CONTACT"));
    }

    @Test
    void aDealMovedOnIsWorkedAndStillAStageChangeButTheStageItWasOpenedInIsOnlyAStageChange() {
        long movedDeal = newId();
        long openedDeal = newId();

        HttpResponse<String> response = post(
                event("deal.propertyChange", newId(), movedDeal, "dealstage", "qualifiedtobuy"),
                event("deal.propertyChange", newId(), openedDeal, "dealstage", "appointmentscheduled"));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        assertThat(json.readTree(response.body()).get("published").asInt()).isEqualTo(2);
        LeadActivity worked = published().values(Topics.LEADS_ACTIVITY, "hubspot:deal:" + movedDeal, LeadActivity.class).get(0);
        assertThat(worked.getKind()).isEqualTo(ActivityKind.WORKED);
        assertThat(worked.getHubspotDealId()).isEqualTo(Long.toString(movedDeal));
        assertThat(worked.getHubspotContactId()).isNull();
        assertThat(worked.getDetail()).isEqualTo("dealstage=qualifiedtobuy");
        assertThat(published().values(Topics.DEALS_STAGE_CHANGED, Long.toString(movedDeal), DealStageChanged.class))
                .singleElement().satisfies(c -> assertThat(c.getStageId()).isEqualTo("qualifiedtobuy"));
        assertThat(published().values(Topics.DEALS_STAGE_CHANGED, Long.toString(openedDeal), DealStageChanged.class))
                .singleElement().satisfies(c -> assertThat(c.getStageId()).isEqualTo("appointmentscheduled"));
        assertThat(published().values(Topics.LEADS_ACTIVITY, "hubspot:deal:" + openedDeal, LeadActivity.class)).isEmpty();
    }

    @Test
    void anOwnerChangeANewOrOpenStatusAndOtherPropertiesAreNotWork() {
        long before = published().endOffsets(Topics.LEADS_ACTIVITY);

        HttpResponse<String> response = post(
                event("contact.propertyChange", newId(), newId(), "hs_lead_status", "NEW"),
                event("contact.propertyChange", newId(), newId(), "hs_lead_status", "OPEN"),
                event("contact.propertyChange", newId(), newId(), "hubspot_owner_id", "468810689"),
                event("deal.propertyChange", newId(), newId(), "hubspot_owner_id", "468810689"),
                event("contact.propertyChange", newId(), newId(), "lifecyclestage", "salesqualifiedlead"));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        JsonNode answer = json.readTree(response.body());
        assertThat(answer.get("published").asInt()).isZero();
        assertThat(answer.get("ignored").asInt()).isEqualTo(5);
        assertThat(answer.get("outcome").asString()).isEqualTo("ignored");
        assertThat(published().endOffsets(Topics.LEADS_ACTIVITY)).isEqualTo(before);
    }

    @Test
    void aWorkedSignalWithoutItsObjectIdIsA400NamingItAndPublishesNothing() {
        long contactId = newId();
        String broken = event("contact.propertyChange", newId(), contactId, "hs_lead_status", "IN_PROGRESS")
                .replace("\"objectId\": " + contactId + ",", "");
        long before = published().endOffsets(Topics.LEADS_ACTIVITY);

        HttpResponse<String> response = post(event("contact.propertyChange", newId(), newId(), "hs_lead_status", "CONNECTED"), broken);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(json.readTree(response.body()).get("field").asString()).isEqualTo("[1].objectId");
        assertThat(published().endOffsets(Topics.LEADS_ACTIVITY)).isEqualTo(before);
    }
}
