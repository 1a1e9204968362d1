package io.leadflow.sandbox.slack;

import com.sun.net.httpserver.HttpServer;
import io.leadflow.testing.SlackSignatures;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A click in the sandbox reaches the app's interactivity URL as Slack sends it: a form POST whose field {@code payload}
 * is the {@code block_actions} JSON, with {@code X-Slack-Request-Timestamp} and a v0 {@code X-Slack-Signature} that an
 * HMAC computed here, independently of the sandbox, confirms. A small receiver stands in for lead-intake.
 */
class SlackInteractionsTests {

    static final Instant NOW = Instant.parse("2026-01-05T10:00:00Z");
    static final String SECRET = "8f742231b10e8888abcd99yyyzzz85a5";

    record Received(String method, String path, Map<String, List<String>> headers, String body) {
    }

    final List<Received> received = new CopyOnWriteArrayList<>();
    final HttpServer receiver = receiver();
    final SlackSandbox slack = new SlackSandbox(Clock.fixed(NOW, ZoneOffset.UTC), 3, 100, Map.of("U00SIMON001", "simon@example.com"));

    @AfterEach
    void stopReceiver() {
        receiver.stop(0);
    }

    @Test
    void clickIsPostedAsAFormFieldSignedWithSlacksV0Scheme() {
        String ts = slack.handle("POST", "chat.postMessage", "Bearer xoxb-test", (ObjectNode) SlackSandbox.JSON.readTree(
                "{\"channel\":\"D00SIMON001\",\"text\":\"New lead\",\"blocks\":" + SlackSandboxTests.BUTTONS + "}")).body().path("ts").asString();
        ObjectNode payload = slack.click("D00SIMON001", ts, "lead.accept", "U00SIMON001", "http://127.0.0.1:8090/sandbox/slack/actions");
        SlackInteractions interactions = new SlackInteractions(URI.create("http://127.0.0.1:" + receiver.getAddress().getPort()
                + "/webhooks/slack/interactions"), "http://127.0.0.1:8090/sandbox/slack/actions", SECRET, Clock.fixed(NOW, ZoneOffset.UTC));

        SlackInteractions.Delivery delivery = interactions.send(payload);

        assertThat(delivery.status()).isEqualTo(200);
        assertThat(received).hasSize(1);
        Received request = received.get(0);
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/webhooks/slack/interactions");
        assertThat(header(request, "Content-Type")).isEqualTo("application/x-www-form-urlencoded");
        String timestamp = header(request, "X-Slack-Request-Timestamp");
        assertThat(timestamp).isEqualTo(Long.toString(NOW.getEpochSecond()));
        assertThat(header(request, "X-Slack-Signature")).isEqualTo(SlackSignatures.v0(SECRET, timestamp, request.body()));
        assertThat(header(request, "X-Slack-Signature")).isNotEqualTo(SlackSignatures.v0("another-secret", timestamp, request.body()));
        assertThat(request.body()).startsWith("payload=").doesNotContain("&");
        JsonNode sent = SlackSandbox.JSON.readTree(URLDecoder.decode(request.body().substring("payload=".length()), StandardCharsets.UTF_8));
        assertThat(sent).isEqualTo(payload);
        assertThat(sent.path("type").asString()).isEqualTo("block_actions");
        assertThat(sent.path("user").path("id").asString()).isEqualTo("U00SIMON001");
        assertThat(sent.path("actions").get(0).path("value").asString()).isEqualTo("l1:1");
        assertThat(sent.path("container").path("message_ts").asString()).isEqualTo(ts);
    }

    @Test
    void signatureIsTheHexHmacOfVersionTimestampAndBody() {
        String body = "payload=%7B%22type%22%3A%22block_actions%22%7D";

        assertThat(SlackInteractions.signature(SECRET, "1531420618", body))
                .isEqualTo(SlackSignatures.v0(SECRET, "1531420618", body))
                .matches("v0=[0-9a-f]{64}");
    }

    private static String header(Received request, String name) {
        return request.headers().entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                .map(e -> e.getValue().get(0)).findFirst().orElse(null);
    }

    private HttpServer receiver() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/", exchange -> {
                String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                        Map.copyOf(exchange.getRequestHeaders()), body));
                exchange.sendResponseHeaders(200, -1); // Slack wants an empty 200 within 3 seconds
                exchange.close();
            });
            server.start();
            return server;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
