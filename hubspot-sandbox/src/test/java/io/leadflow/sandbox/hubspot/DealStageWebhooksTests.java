package io.leadflow.sandbox.hubspot;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;

class DealStageWebhooksTests {

    @Test
    void deliversAStageChangeSignedAsHubSpotSignsV3() throws Exception {
        Map<String, String> received = new ConcurrentHashMap<>();
        HttpServer intake = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        intake.createContext("/webhooks/hubspot", exchange -> {
            received.put("body", new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            received.put("signature", exchange.getRequestHeaders().getFirst("X-HubSpot-Signature-v3"));
            received.put("timestamp", exchange.getRequestHeaders().getFirst("X-HubSpot-Request-Timestamp"));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        intake.start();
        String url = "http://127.0.0.1:" + intake.getAddress().getPort() + "/webhooks/hubspot";
        Clock clock = Clock.fixed(Instant.parse("2026-01-05T10:00:00Z"), ZoneOffset.UTC);
        try (DealStageWebhooks webhooks = new DealStageWebhooks(URI.create(url), "client-secret", 4000001, clock)) {
            HttpResponse<String> response = webhooks.deliver(new HubSpotSandbox.StageChange("10001", "hands-on", "evaluation",
                    Instant.parse("2026-01-05T09:59:00Z")));

            assertThat(response.statusCode()).isEqualTo(204);
        } finally {
            intake.stop(0);
        }

        // The v3 recipe, written out independently: base64(HMAC-SHA256(secret, "POST" + url + body + timestamp)).
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec("client-secret".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String expected = Base64.getEncoder().encodeToString(
                mac.doFinal(("POST" + url + received.get("body") + received.get("timestamp")).getBytes(StandardCharsets.UTF_8)));
        assertThat(received.get("signature")).isEqualTo(expected);
        assertThat(received.get("timestamp")).isEqualTo(Long.toString(clock.millis()));
        JsonNode event = Answers.JSON.readTree(received.get("body")).get(0);
        assertThat(event.path("subscriptionType").asString()).isEqualTo("deal.propertyChange");
        assertThat(event.path("propertyName").asString()).isEqualTo("dealstage");
        assertThat(event.path("propertyValue").asString()).isEqualTo("evaluation");
        assertThat(event.path("pipelineId").asString()).isEqualTo("hands-on");
        assertThat(event.path("objectId").asLong()).isEqualTo(10001L);
        assertThat(event.path("portalId").asLong()).isEqualTo(4000001L);
    }
}
