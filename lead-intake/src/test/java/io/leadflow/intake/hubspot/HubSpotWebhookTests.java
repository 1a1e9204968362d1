package io.leadflow.intake.hubspot;

import io.leadflow.avro.DealStageChanged;
import io.leadflow.intake.IntakeIntegrationTest;
import io.leadflow.intake.Webhooks;
import io.leadflow.schemas.Topics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** HubSpot deal-stage webhooks, signed with v3 signatures. */
class HubSpotWebhookTests extends IntakeIntegrationTest {

    static final String PATH = "/webhooks/hubspot";

    @Autowired
    ObjectMapper json;

    static String batch(long eventId, long dealId) {
        return """
                [
                  {"eventId": %d, "subscriptionId": 2148931, "portalId": 62515, "appId": 1160452,
                   "occurredAt": 1767607200000, "subscriptionType": "deal.propertyChange", "attemptNumber": 0,
                   "objectId": %d, "changeSource": "CRM_UI", "propertyName": "dealstage", "propertyValue": "evaluation"},
                  {"eventId": %d, "subscriptionId": 2148932, "portalId": 62515, "appId": 1160452,
                   "occurredAt": 1767607200001, "subscriptionType": "deal.propertyChange", "attemptNumber": 0,
                   "objectId": %d, "changeSource": "CRM_UI", "propertyName": "amount", "propertyValue": "12000"},
                  {"eventId": %d, "subscriptionId": 2148933, "portalId": 62515, "appId": 1160452,
                   "occurredAt": 1767607200002, "subscriptionType": "contact.creation", "attemptNumber": 0,
                   "objectId": 901, "changeSource": "CRM"}
                ]
                """.formatted(eventId, dealId, eventId + 1, dealId, eventId + 2);
    }

    private HttpResponse<String> post(String body, String secret, long timestampMillis) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        String ts = Long.toString(timestampMillis);
        return webhooks().post(PATH, "application/json", bytes,
                "X-HubSpot-Signature-v3", webhooks().hubSpotSignature(secret, PATH, bytes, ts),
                "X-HubSpot-Request-Timestamp", ts);
    }

    @Test
    void publishesDealStageChangesKeyedByDealIdAndSkipsRedeliveredEvents() {
        long eventId = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE / 2);
        long dealId = ThreadLocalRandom.current().nextLong(1_000_000, 9_999_999);
        String body = batch(eventId, dealId);

        HttpResponse<String> first = post(body, Webhooks.HUBSPOT_SECRET, Instant.now().toEpochMilli());
        HttpResponse<String> retry = post(body, Webhooks.HUBSPOT_SECRET, Instant.now().toEpochMilli());

        assertThat(first.statusCode()).as(first.body()).isEqualTo(202);
        JsonNode answer = json.readTree(first.body());
        assertThat(answer.get("published").asInt()).isEqualTo(1);
        assertThat(answer.get("ignored").asInt()).isEqualTo(2);
        assertThat(retry.statusCode()).isEqualTo(202);
        assertThat(json.readTree(retry.body()).get("duplicates").asInt()).isEqualTo(1);
        DealStageChanged change = published().awaitValues(Topics.DEALS_STAGE_CHANGED, Long.toString(dealId), DealStageChanged.class).get(0);
        assertThat(change.getEventId()).isEqualTo(eventId);
        assertThat(change.getPortalId()).isEqualTo(62515L);
        assertThat(change.getDealId()).isEqualTo(Long.toString(dealId));
        assertThat(change.getStageId()).isEqualTo("evaluation");
        assertThat(change.getPreviousStageId()).isNull();
        assertThat(change.getOccurredAt()).isEqualTo(Instant.ofEpochMilli(1767607200000L));
        assertThat(change.getSubscriptionType()).isEqualTo("deal.propertyChange");
        assertThat(published().values(Topics.DEALS_STAGE_CHANGED, Long.toString(dealId), DealStageChanged.class)).hasSize(1);
    }

    @Test
    void rejectsForgedStaleAndUnsignedRequestsWith401() {
        String body = batch(1, 42);
        long before = published().endOffsets(Topics.DEALS_STAGE_CHANGED);

        HttpResponse<String> wrongSecret = post(body, "not-the-secret", Instant.now().toEpochMilli());
        HttpResponse<String> stale = post(body, Webhooks.HUBSPOT_SECRET, Instant.now().minusSeconds(301).toEpochMilli());
        HttpResponse<String> unsigned = webhooks().postJson(PATH, body);

        assertThat(wrongSecret.statusCode()).isEqualTo(401);
        assertThat(stale.statusCode()).isEqualTo(401);
        assertThat(json.readTree(stale.body()).get("field").asString()).isEqualTo("X-HubSpot-Request-Timestamp");
        assertThat(unsigned.statusCode()).isEqualTo(401);
        assertThat(published().endOffsets(Topics.DEALS_STAGE_CHANGED)).isEqualTo(before);
    }

    @Test
    void rejectsABatchWithAMalformedEventWithoutPublishingAnyOfIt() {
        String body = "[" + batch(5, 77).substring(1).replaceFirst("\"occurredAt\": 1767607200000", "\"occurredAt\": \"soon\"");
        long before = published().endOffsets(Topics.DEALS_STAGE_CHANGED);

        HttpResponse<String> response = post(body, Webhooks.HUBSPOT_SECRET, Instant.now().toEpochMilli());

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json.readTree(response.body()).get("field").asString()).isEqualTo("[0].occurredAt");
        assertThat(published().endOffsets(Topics.DEALS_STAGE_CHANGED)).isEqualTo(before);
    }

    @Test
    @ExtendWith(OutputCaptureExtension.class)
    void aLineBreakInAStageCannotForgeALogLine(CapturedOutput output) {
        long dealId = ThreadLocalRandom.current().nextLong(1_000_000, 9_999_999);
        String forged = "evaluation\\r\\n2026-11-30 07:00:00.000 INFO  [main] admin - password reset for everyone";
        String body = batch(ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE / 2), dealId)
                .replace("\"propertyValue\": \"evaluation\"", "\"propertyValue\": \"" + forged + "\"");

        HttpResponse<String> response = post(body, Webhooks.HUBSPOT_SECRET, Instant.now().toEpochMilli());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        published().awaitValues(Topics.DEALS_STAGE_CHANGED, Long.toString(dealId), DealStageChanged.class);
        org.awaitility.Awaitility.await().untilAsserted(() -> assertThat(output.getOut()).contains("Deal " + dealId + " entered stage"));
        assertThat(output.getOut().lines()).noneMatch(line -> line.startsWith("2026-11-30 07:00:00.000 INFO  [main] admin"));
    }
}
