package io.leadflow.intake.system;

import io.leadflow.intake.IntakeIntegrationTest;
import io.leadflow.intake.Webhooks;
import io.leadflow.intake.signature.Hmac;
import io.leadflow.schemas.Topics;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Correctly signed but malformed bodies on every endpoint: the answer is never a 5xx, an error is
 * always problem+json, and nothing reaches leads.received.
 */
class MalformedRequestsTests extends IntakeIntegrationTest {

    static List<byte[]> bodies() {
        List<byte[]> bodies = new ArrayList<>();
        for (String s : new String[] {"", "null", "{}", "[]", "\"text\"", "42", "{\"event\": 1}", "{\"event\": \"invitee.created\"}",
                "{\"event\": \"invitee.created\", \"payload\": {\"uri\": \"u\", \"email\": [1]}}",
                "{\"triggerEvent\": \"BOOKING_CREATED\", \"payload\": {\"uid\": \"u\", \"responses\": {\"email\": {\"value\": {}}}}}",
                "{\"triggerEvent\": \"BOOKING_CREATED\", \"payload\": {\"uid\": \"u\", \"startTime\": \"tomorrow\", \"attendees\": [{\"email\": \"a@b.co\"}]}}",
                "[{\"subscriptionType\": \"deal.propertyChange\", \"propertyName\": \"dealstage\", \"objectId\": \"x\"}]",
                "[null, 1, \"a\"]", "{\"submissionId\": {}, \"email\": []}", "{\"submissionId\": \"s\", \"email\": \"a@b.co\", \"needs\": \"sso\"}",
                "{\"submissionId\": \"s\", \"email\": \"a@b.co\", \"utm\": [1]}", "{\"a\":" + "[".repeat(5000), "\u0000\u0001\u0002"}) {
            bodies.add(s.getBytes(StandardCharsets.UTF_8));
        }
        byte[] random = new byte[4096];
        new Random(7).nextBytes(random);
        bodies.add(random);
        return bodies;
    }

    @Test
    void neverAnswersSignedGarbageWithA5xxAndPublishesNothing() {
        Webhooks webhooks = webhooks();
        long before = published().endOffsets(Topics.LEADS_RECEIVED);
        List<HttpResponse<String>> responses = new ArrayList<>();
        for (byte[] body : bodies()) {
            long now = Instant.now().getEpochSecond();
            String ts = Long.toString(Instant.now().toEpochMilli());
            responses.add(webhooks.post("/webhooks/website", "application/json", body,
                    "X-Leadflow-Signature", Webhooks.timestamped(Webhooks.WEBSITE_SECRET, now, body)));
            responses.add(webhooks.post("/webhooks/calendly", "application/json", body,
                    "Calendly-Webhook-Signature", Webhooks.timestamped(Webhooks.CALENDLY_KEY, now, body)));
            responses.add(webhooks.post("/webhooks/calcom", "application/json", body,
                    "X-Cal-Signature-256", Hmac.sha256Hex(Webhooks.CALCOM_SECRET, body)));
            responses.add(webhooks.post("/webhooks/hubspot", "application/json", body,
                    "X-HubSpot-Signature-v3", webhooks.hubSpotSignature(Webhooks.HUBSPOT_SECRET, "/webhooks/hubspot", body, ts),
                    "X-HubSpot-Request-Timestamp", ts));
            String sgTs = Long.toString(now);
            responses.add(webhooks.post("/webhooks/email/sendgrid", "multipart/form-data; boundary=xyz", body,
                    "X-Twilio-Email-Event-Webhook-Signature", Webhooks.sendGridSignature(sgTs, body),
                    "X-Twilio-Email-Event-Webhook-Timestamp", sgTs));
            responses.add(webhooks.post("/webhooks/email/mailgun", "multipart/form-data; boundary=xyz", body));
            responses.add(webhooks.post("/webhooks/email/mailgun", "application/x-www-form-urlencoded", body));
        }
        responses.add(webhooks.post("/webhooks/email/mailgun", "multipart/form-data", new byte[0]));
        responses.add(webhooks.post("/webhooks/website", "application/json; charset=nope", "{}".getBytes(StandardCharsets.UTF_8)));
        responses.add(webhooks.post("/webhooks/website", null, "{}".getBytes(StandardCharsets.UTF_8)));

        for (HttpResponse<String> response : responses) {
            assertThat(response.statusCode()).as("%s -> %s", response.request().uri(), response.body()).isLessThan(500);
            if (response.statusCode() >= 400) {
                assertThat(response.headers().firstValue("Content-Type")).as(response.request().uri().toString())
                        .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
            }
        }
        assertThat(published().endOffsets(Topics.LEADS_RECEIVED)).isEqualTo(before);
    }
}
