package io.leadflow.sandbox.slack;

import io.leadflow.testing.JsonRequests;
import io.leadflow.testing.MutableClock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** The fault controls over HTTP, as the chaos suite uses them: {@code GET|PUT|DELETE /sandbox/slack/faults}. */
class SlackFaultsControllerTests {

    static final MutableClock clock = new MutableClock(Instant.parse("2026-01-05T10:00:00Z"));
    static final SlackSandbox slack = new SlackSandbox(clock, 100, 1000, Map.of("U00SIMON001", "simon@example.com"));
    static final SlackSandboxServer server = SlackSandboxServer.start(slack);
    static final HttpClient http = HttpClient.newHttpClient();
    final List<Duration> slept = new CopyOnWriteArrayList<>();

    record Answer(int status, JsonNode json, HttpResponse<String> response) {
    }

    @BeforeEach
    void noFaults() {
        slack.reset();
        slack.faults().sleeper(slept::add);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static Answer faults(String method, String body) {
        return send(server.faultsUrl(), method, null, body);
    }

    static Answer postMessage() {
        return send(server.baseUrl() + "/chat.postMessage", "POST", "Bearer xoxb-test",
                "{\"channel\":\"C1\",\"text\":\"hello\"}");
    }

    static Answer send(String url, String method, String authorization, String body) {
        HttpResponse<String> response = JsonRequests.send(http, url, method, authorization, body);
        return new Answer(response.statusCode(), response.body().isBlank() ? null : SlackSandbox.JSON.readTree(response.body()), response);
    }

    @Test
    void anOutageSetOverHttpAnswersEveryCallUntilItsSecondsHavePassedOnTheSandboxClock() {
        Answer set = faults("PUT", "{\"outage\":{\"seconds\":600}}");

        assertThat(set.status()).isEqualTo(200);
        assertThat(set.json().path("outage").path("status").asInt()).isEqualTo(503);
        assertThat(set.json().path("outage").path("secondsLeft").asLong()).isEqualTo(600);
        assertThat(postMessage().status()).isEqualTo(503);
        clock.advance(Duration.ofSeconds(590));
        assertThat(faults("GET", null).json().path("outage").path("secondsLeft").asLong()).isEqualTo(10);
        clock.advance(Duration.ofSeconds(10));
        assertThat(faults("GET", null).json().has("outage")).isFalse();
        assertThat(postMessage().json().path("ok").asBoolean()).isTrue();
        assertThat(slack.messages(10)).as("the call during the outage changed nothing").hasSize(1);
    }

    @Test
    void aRateLimitStormAnswers429WithRetryAfterAndSlacksBody() {
        faults("PUT", "{\"rateLimitStorm\":{\"seconds\":120,\"retryAfterSeconds\":3}}");

        Answer limited = postMessage();

        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.response().headers().firstValue("Retry-After")).contains("3");
        assertThat(limited.json().path("ok").asBoolean(true)).isFalse();
        assertThat(limited.json().path("error").asString()).isEqualTo("ratelimited");
        assertThat(slack.messages(10)).isEmpty();
    }

    @Test
    void failNextAnswersThatManyCallsThenLetsThemThrough() {
        Answer set = faults("PUT", "{\"failNext\":{\"calls\":2,\"status\":500},\"latencyMs\":250}");

        List<Integer> statuses = List.of(postMessage().status(), postMessage().status(), postMessage().status());

        assertThat(set.json().path("latencyMs").asInt()).isEqualTo(250);
        assertThat(statuses).containsExactly(500, 500, 200);
        assertThat(slept).containsExactly(Duration.ofMillis(250), Duration.ofMillis(250), Duration.ofMillis(250));
        assertThat(faults("GET", null).json().has("failNext")).isFalse();
    }

    @Test
    void deleteClearsEveryFault() {
        faults("PUT", "{\"outage\":{\"status\":500},\"latencyMs\":100}");

        Answer cleared = faults("DELETE", null);

        assertThat(cleared.status()).isEqualTo(204);
        assertThat(faults("GET", null).json().isEmpty()).isTrue();
        assertThat(postMessage().status()).isEqualTo(200);
    }

    @Test
    void anInvalidBodyIsA400NamingTheFieldAndChangesNothing() {
        faults("PUT", "{\"latencyMs\":100}");

        for (var bad : Map.of(
                "{\"outage\":{\"status\":\"down\"}}", "outage.status",
                "{\"outage\":{\"seconds\":0}}", "outage.seconds",
                "{\"rateLimitStorm\":{\"retryAfterSeconds\":1.5}}", "rateLimitStorm.retryAfterSeconds",
                "{\"latencyMs\":-1}", "latencyMs",
                "{\"failNext\":{\"status\":500}}", "failNext.calls",
                "{\"outages\":{}}", "outages",
                "[1]", "body",
                "{not json", "body").entrySet()) {
            Answer refused = faults("PUT", bad.getKey());
            assertThat(refused.status()).as(bad.getKey()).isEqualTo(400);
            assertThat(refused.response().headers().firstValue("Content-Type")).get().asString().startsWith("application/problem+json");
            assertThat(refused.json().path("field").asString()).as(bad.getKey()).isEqualTo(bad.getValue());
        }
        assertThat(faults("GET", null).json().toString()).isEqualTo("{\"latencyMs\":100}");
    }

    @Test
    void beyondLoopbackOrWithATokenTheControlsNeedTheAdminToken() {
        try (SlackSandboxServer guarded = SlackSandboxServer.start(slack, 0, "127.0.0.1", "admin-secret")) {
            Answer without = send(guarded.faultsUrl(), "PUT", null, "{\"latencyMs\":100}");
            Answer wrong = send(guarded.faultsUrl(), "GET", "Bearer nope", null);
            Answer with = send(guarded.faultsUrl(), "PUT", "Bearer admin-secret", "{\"latencyMs\":100}");

            assertThat(without.status()).isEqualTo(401);
            assertThat(without.json().path("field").asString()).isEqualTo("Authorization");
            assertThat(wrong.status()).isEqualTo(401);
            assertThat(with.status()).isEqualTo(200);
            assertThat(send(guarded.baseUrl() + "/auth.test", "POST", "Bearer xoxb-test", "{}").status())
                    .as("the Web API itself takes Slack tokens, not the admin token").isEqualTo(200);
        }
    }
}
