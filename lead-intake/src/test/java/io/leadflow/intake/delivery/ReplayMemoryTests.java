package io.leadflow.intake.delivery;

import io.leadflow.avro.DealStageChanged;
import io.leadflow.avro.LeadReceived;
import io.leadflow.intake.IntakeIntegrationTest;
import io.leadflow.intake.LeadIntakeApplication;
import io.leadflow.intake.Webhooks;
import io.leadflow.intake.calendar.CalendarBodies;
import io.leadflow.schemas.LeadIds;
import io.leadflow.schemas.Topics;
import io.leadflow.testing.KafkaBrokers;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.ObjectMapper;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;

import static io.leadflow.intake.email.MailgunFields.mailgunFields;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The replay memory on a real broker: a Mailgun token is handled once however many requests race for it, is bound to
 * the body it was first seen with, and a provider's retry with the original (old) signature is accepted exactly once,
 * on this instance or on another one started later; a HubSpot event accepted by one instance is a duplicate for another.
 */
class ReplayMemoryTests extends IntakeIntegrationTest {

    static final String FORM = "application/x-www-form-urlencoded";

    @Autowired
    ObjectMapper json;

    @Test
    void tenConcurrentRequestsWithOneMailgunTokenPublishAtMostOneLead() throws Exception {
        String messageId = UUID.randomUUID() + "@mail.hooli.xyz";
        byte[] body = Webhooks.urlEncoded(mailgunFields(messageId, Webhooks.newToken(), Instant.now()));
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(10);
        List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            answers.add(CompletableFuture.supplyAsync(() -> {
                awaitQuietly(start);
                return webhooks().post("/webhooks/email/mailgun", FORM, body);
            }, pool));
        }

        start.countDown();
        List<HttpResponse<String>> responses = answers.stream().map(CompletableFuture::join).toList();
        pool.shutdown();

        List<String> outcomes = responses.stream()
                .map(r -> r.statusCode() + " " + (r.statusCode() == 202 ? json.readTree(r.body()).get("outcome").asString() : ""))
                .toList();
        assertThat(outcomes).as("exactly one request accepts the delivery; the others wait (409) or get its answer")
                .containsOnlyOnce("202 accepted")
                .allMatch(o -> o.equals("202 accepted") || o.equals("202 duplicate") || o.startsWith("409"));
        String leadId = LeadIds.leadId("EMAIL", messageId);
        assertThat(published().awaitValues(Topics.LEADS_RECEIVED, leadId, LeadReceived.class)).hasSize(1);
    }

    @Test
    void aTokenAnswered406CannotBeReusedWithAnotherBody() {
        String token = Webhooks.newToken();
        Map<String, String> autoReply = mailgunFields(UUID.randomUUID() + "@mail.hooli.xyz", token, Instant.now());
        autoReply.put("subject", "Out of office: Enterprise evaluation");
        Map<String, String> forged = mailgunFields(UUID.randomUUID() + "@mail.hooli.xyz", token, Instant.now());
        long before = published().endOffsets(Topics.LEADS_RECEIVED);

        HttpResponse<String> first = webhooks().post("/webhooks/email/mailgun", FORM, Webhooks.urlEncoded(autoReply));
        HttpResponse<String> reused = webhooks().post("/webhooks/email/mailgun", FORM, Webhooks.urlEncoded(forged));

        assertThat(first.statusCode()).isEqualTo(406);
        assertThat(reused.statusCode()).isEqualTo(401);
        assertThat(json.readTree(reused.body()).get("field").asString()).isEqualTo("token");
        assertThat(published().endOffsets(Topics.LEADS_RECEIVED)).isEqualTo(before);
    }

    @Test
    void aMailgunRetryWithItsOriginalSignatureHoursLaterIsAcceptedOnceAndThenAnsweredIdempotently() {
        String messageId = UUID.randomUUID() + "@mail.hooli.xyz";
        byte[] body = Webhooks.urlEncoded(mailgunFields(messageId, Webhooks.newToken(), Instant.now().minus(Duration.ofHours(7))));

        HttpResponse<String> retry = webhooks().post("/webhooks/email/mailgun", FORM, body);
        HttpResponse<String> again = webhooks().post("/webhooks/email/mailgun", FORM, body);

        String leadId = LeadIds.leadId("EMAIL", messageId);
        assertThat(retry.statusCode()).as(retry.body()).isEqualTo(202);
        assertThat(json.readTree(retry.body()).get("outcome").asString()).isEqualTo("accepted");
        assertThat(again.statusCode()).isEqualTo(202);
        assertThat(json.readTree(again.body()).get("outcome").asString()).isEqualTo("duplicate");
        assertThat(json.readTree(again.body()).get("leadId").asString()).isEqualTo(leadId);
        assertThat(published().awaitValues(Topics.LEADS_RECEIVED, leadId, LeadReceived.class)).hasSize(1);
    }

    @Test
    void aCalendlyRetrySignedHoursAgoIsAcceptedAndARepeatPublishesNothing() {
        String invitee = UUID.randomUUID().toString();
        byte[] body = CalendarBodies.calendly("invitee.created", invitee, null, "2026-01-05T15:00:00.000000Z")
                .getBytes(StandardCharsets.UTF_8);
        String signature = Webhooks.timestamped(Webhooks.CALENDLY_KEY, Instant.now().minus(Duration.ofHours(20)).getEpochSecond(), body);

        HttpResponse<String> retry = webhooks().post("/webhooks/calendly", "application/json", body, "Calendly-Webhook-Signature", signature);
        long after = published().endOffsets(Topics.LEADS_RECEIVED);
        HttpResponse<String> again = webhooks().post("/webhooks/calendly", "application/json", body, "Calendly-Webhook-Signature", signature);

        assertThat(retry.statusCode()).as(retry.body()).isEqualTo(202);
        assertThat(again.statusCode()).isEqualTo(202);
        assertThat(json.readTree(again.body()).get("outcome").asString()).isEqualTo("duplicate");
        assertThat(published().endOffsets(Topics.LEADS_RECEIVED)).isEqualTo(after);
    }

    @Test
    void anotherInstanceStartedLaterKnowsWhatThisOneAccepted() {
        String messageId = UUID.randomUUID() + "@mail.hooli.xyz";
        byte[] body = Webhooks.urlEncoded(mailgunFields(messageId, Webhooks.newToken(), Instant.now()));
        assertThat(webhooks().post("/webhooks/email/mailgun", FORM, body).statusCode()).isEqualTo(202);

        try (ConfigurableApplicationContext twin = startTwin()) {
            int twinPort = ((WebServerApplicationContext) twin).getWebServer().getPort();
            HttpResponse<String> replayed = new Webhooks(twinPort).post("/webhooks/email/mailgun", FORM, body);

            assertThat(replayed.statusCode()).as(replayed.body()).isEqualTo(202);
            assertThat(json.readTree(replayed.body()).get("outcome").asString()).isEqualTo("duplicate");
        }
        assertThat(published().awaitValues(Topics.LEADS_RECEIVED, LeadIds.leadId("EMAIL", messageId), LeadReceived.class)).hasSize(1);
    }

    @Test
    void aHubSpotEventAcceptedByOneInstanceIsADuplicateOnAnotherEvenRegroupedIntoANewBatch() {
        long eventId = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE / 2);
        long dealId = ThreadLocalRandom.current().nextLong(1_000_000, 9_999_999);
        long laterDealId = dealId + 1;
        HttpResponse<String> first = postHubSpot(webhooks(), "[" + stageChange(eventId, dealId) + "]");
        assertThat(first.statusCode()).as(first.body()).isEqualTo(202);

        try (ConfigurableApplicationContext twin = startTwin()) {
            int twinPort = ((WebServerApplicationContext) twin).getWebServer().getPort();
            // HubSpot retries the event in another batch, next to a new one, and this time another instance gets it
            HttpResponse<String> regrouped = postHubSpot(new Webhooks(twinPort),
                    "[" + stageChange(eventId + 7, laterDealId) + "," + stageChange(eventId, dealId) + "]");

            assertThat(regrouped.statusCode()).as(regrouped.body()).isEqualTo(202);
            assertThat(json.readTree(regrouped.body()).get("published").asInt()).isEqualTo(1);
            assertThat(json.readTree(regrouped.body()).get("duplicates").asInt()).isEqualTo(1);
        }
        assertThat(published().awaitValues(Topics.DEALS_STAGE_CHANGED, Long.toString(laterDealId), DealStageChanged.class)).hasSize(1);
        assertThat(published().values(Topics.DEALS_STAGE_CHANGED, Long.toString(dealId), DealStageChanged.class)).hasSize(1);
    }

    private static String stageChange(long eventId, long dealId) {
        return """
                {"eventId": %d, "subscriptionId": 2148931, "portalId": 62515, "appId": 1160452,
                 "occurredAt": 1767607200000, "subscriptionType": "deal.propertyChange", "attemptNumber": 0,
                 "objectId": %d, "changeSource": "CRM_UI", "propertyName": "dealstage", "propertyValue": "evaluation"}
                """.formatted(eventId, dealId);
    }

    private static HttpResponse<String> postHubSpot(Webhooks instance, String batch) {
        byte[] body = batch.getBytes(StandardCharsets.UTF_8);
        String ts = Long.toString(Instant.now().toEpochMilli());
        return instance.post("/webhooks/hubspot", "application/json", body,
                "X-HubSpot-Signature-v3", instance.hubSpotSignature(Webhooks.HUBSPOT_SECRET, "/webhooks/hubspot", body, ts),
                "X-HubSpot-Request-Timestamp", ts);
    }

    /** A second lead-intake on the same broker, as a second instance or a restarted one would be. */
    private static ConfigurableApplicationContext startTwin() {
        return new SpringApplicationBuilder(LeadIntakeApplication.class).run(
                "--server.port=0",
                "--spring.kafka.bootstrap-servers=" + KafkaBrokers.shared().bootstrapServers(),
                "--spring.kafka.properties.schema.registry.url=" + REGISTRY,
                "--leadflow.intake.secrets.mailgun=" + Webhooks.MAILGUN_KEY,
                "--leadflow.intake.secrets.hubspot=" + Webhooks.HUBSPOT_SECRET,
                "--management.endpoints.web.exposure.include=health");
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
