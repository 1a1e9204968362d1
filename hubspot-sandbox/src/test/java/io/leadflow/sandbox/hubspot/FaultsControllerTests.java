package io.leadflow.sandbox.hubspot;

import io.leadflow.testing.JsonRequests;
import io.leadflow.testing.MutableClock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The fault controls over HTTP, {@code /sandbox/hubspot/faults}, with their durations on the sandbox's clock. */
class FaultsControllerTests {

    static final String TOKEN = "Bearer pat-test";
    static final String CONTACT = "{\"properties\":{\"email\":\"jane@acme.com\"}}";

    static final MutableClock clock = new MutableClock(Instant.parse("2026-01-05T10:00:00Z"));
    static final HubSpotSandbox hubspot = new HubSpotSandbox(HubSpotSandboxSettings.defaults(), clock);
    static final HttpClient http = HttpClient.newHttpClient();
    static HubSpotSandboxServer server;

    record Answer(int status, JsonNode body, HttpResponse<String> response) {

        String header(String name) {
            return response.headers().firstValue(name).orElse(null);
        }
    }

    @BeforeAll
    static void start() {
        server = HubSpotSandboxServer.start(hubspot);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void reset() {
        hubspot.reset();
    }

    @Test
    void anOutageAnswersEveryCallWithItsStatusChangingNothingUntilItsSecondsAreUp() {
        Answer set = faults("PUT", "{\"outage\":{\"status\":502,\"seconds\":60}}", null);

        Answer during = api("POST", "/crm/v3/objects/contacts", CONTACT);
        clock.advance(Duration.ofSeconds(30));
        Answer halfway = faults("GET", null, null);
        clock.advance(Duration.ofSeconds(30));
        Answer after = api("POST", "/crm/v3/objects/contacts", CONTACT);

        assertThat(set.status()).isEqualTo(200);
        assertThat(set.body().path("outage").path("status").asInt()).isEqualTo(502);
        assertThat(set.body().path("outage").path("secondsLeft").asInt()).isEqualTo(60);
        assertThat(during.status()).isEqualTo(502);
        assertThat(during.body().path("status").asString()).isEqualTo("error");
        assertThat(halfway.body().path("outage").path("secondsLeft").asInt()).isEqualTo(30);
        assertThat(after.status()).isEqualTo(201);
        assertThat(faults("GET", null, null).body().properties()).isEmpty();
        // the failed call changed nothing; the controls themselves are not API calls
        assertThat(hubspot.counts()).containsEntry("contacts", 1);
        assertThat(hubspot.callCounts().keySet()).noneMatch(endpoint -> endpoint.contains("faults"));
    }

    @Test
    void anOutageWithoutSecondsLastsUntilTheFaultsAreCleared() {
        faults("PUT", "{\"outage\":{}}", null);
        clock.advance(Duration.ofDays(1));

        Answer during = api("GET", "/crm/v3/pipelines/deals", null);
        Answer current = faults("GET", null, null);
        Answer cleared = faults("DELETE", null, null);
        Answer after = api("GET", "/crm/v3/pipelines/deals", null);

        assertThat(during.status()).isEqualTo(503);
        assertThat(current.body().path("outage").path("status").asInt()).isEqualTo(503);
        assertThat(current.body().path("outage").has("secondsLeft")).isFalse();
        assertThat(cleared.status()).isEqualTo(204);
        assertThat(after.status()).isEqualTo(200);
    }

    @Test
    void aRateLimitStormAnswersHubSpotsRateLimitBodyWithItsRetryAfter() {
        faults("PUT", "{\"rateLimitStorm\":{\"seconds\":120,\"retryAfterSeconds\":7}}", null);

        Answer limited = api("POST", "/crm/v3/objects/contacts", CONTACT);

        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.header("Retry-After")).isEqualTo("7");
        assertThat(limited.body().path("status").asString()).isEqualTo("error");
        assertThat(limited.body().path("errorType").asString()).isEqualTo("RATE_LIMIT");
        assertThat(limited.body().path("policyName").asString()).isEqualTo("TEN_SECONDLY_ROLLING");
        assertThat(limited.body().path("message").asString()).isEqualTo("You have reached your ten_secondly_rolling limit.");
        assertThat(limited.body().path("correlationId").asString()).isNotBlank();
        assertThat(limited.body().path("requestId").asString()).isNotBlank();
        assertThat(hubspot.counts()).containsEntry("contacts", 0);
        assertThat(faults("GET", null, null).body().path("rateLimitStorm").path("secondsLeft").asInt()).isEqualTo(120);
    }

    @Test
    void failNextFailsThatManyCallsThenAnswersAgain() {
        faults("PUT", "{\"failNext\":{\"calls\":2,\"status\":500}}", null);

        int first = api("GET", "/crm/v3/pipelines/deals", null).status();
        JsonNode left = faults("GET", null, null).body();
        int second = api("GET", "/crm/v3/pipelines/deals", null).status();
        int third = api("GET", "/crm/v3/pipelines/deals", null).status();

        assertThat(List.of(first, second, third)).containsExactly(500, 500, 200);
        assertThat(left.path("failNext").path("calls").asInt()).isEqualTo(1);
        assertThat(left.path("failNext").path("status").asInt()).isEqualTo(500);
        assertThat(faults("GET", null, null).body().has("failNext")).isFalse();
    }

    @Test
    void aPutReplacesTheWholeSet() {
        faults("PUT", "{\"outage\":{\"status\":503},\"latencyMs\":100}", null);

        Answer replaced = faults("PUT", "{\"failNext\":{\"calls\":1}}", null);

        assertThat(replaced.body().has("outage")).isFalse();
        assertThat(replaced.body().has("latencyMs")).isFalse();
        assertThat(replaced.body().path("failNext").path("status").asInt()).isEqualTo(500);
        assertThat(api("GET", "/crm/v3/pipelines/deals", null).status()).isEqualTo(500);
    }

    @Test
    void latencyDelaysEveryAnswer() {
        faults("PUT", "{\"latencyMs\":300}", null);

        long started = System.nanoTime();
        Answer slow = api("GET", "/crm/v3/pipelines/deals", null);
        long tookMs = Duration.ofNanos(System.nanoTime() - started).toMillis();

        assertThat(slow.status()).isEqualTo(200);
        assertThat(tookMs).isGreaterThanOrEqualTo(300);
        assertThat(faults("GET", null, null).body().path("latencyMs").asInt()).isEqualTo(300);
    }

    @Test
    void anInvalidBodyIsA400ProblemNamingTheFieldAndChangesNothing() {
        faults("PUT", "{\"outage\":{\"status\":503}}", null);
        Map<String, String> fieldByBody = Map.ofEntries(
                Map.entry("{\"outage\":{\"status\":200}}", "outage.status"),
                Map.entry("{\"outage\":{\"status\":503,\"seconds\":-1}}", "outage.seconds"),
                Map.entry("{\"outage\":{\"sttus\":503}}", "outage.sttus"),
                Map.entry("{\"outage\":503}", "outage"),
                Map.entry("{\"rateLimitStorm\":{\"seconds\":0}}", "rateLimitStorm.seconds"),
                Map.entry("{\"rateLimitStorm\":{\"retryAfterSeconds\":1.5}}", "rateLimitStorm.retryAfterSeconds"),
                Map.entry("{\"latencyMs\":\"slow\"}", "latencyMs"),
                Map.entry("{\"latencyMs\":600000}", "latencyMs"),
                Map.entry("{\"failNext\":{\"status\":500}}", "failNext.calls"),
                Map.entry("{\"failNext\":{\"calls\":2,\"status\":99}}", "failNext.status"),
                Map.entry("{\"surprise\":true}", "surprise"),
                Map.entry("[1]", "body"),
                Map.entry("not json", "body"),
                Map.entry("", "body"));

        fieldByBody.forEach((body, field) -> {
            Answer answer = faults("PUT", body, null);

            assertThat(answer.status()).as(body).isEqualTo(400);
            assertThat(answer.header("Content-Type")).as(body).startsWith("application/problem+json");
            assertThat(answer.body().path("field").asString()).as(body).isEqualTo(field);
            assertThat(answer.body().path("detail").asString()).as(body).isNotBlank();
        });
        JsonNode still = faults("GET", null, null).body();
        assertThat(still.path("outage").path("status").asInt()).isEqualTo(503);
        assertThat(still.properties()).hasSize(1);
    }

    @Test
    void onceAnAdminTokenIsSetTheControlsNeedIt() {
        HubSpotSandbox guarded = new HubSpotSandbox(HubSpotSandboxSettings.defaults(), clock);
        guarded.requireAdminToken("admin-secret");
        try (HubSpotSandboxServer own = HubSpotSandboxServer.start(guarded)) {
            for (String authorization : new String[] {null, "Bearer not-the-admin-secret", TOKEN}) {
                Answer refused = call(own.baseUrl() + "/faults", "PUT", "{\"outage\":{}}", authorization);

                assertThat(refused.status()).as(String.valueOf(authorization)).isEqualTo(401);
                assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
                assertThat(refused.header("WWW-Authenticate")).isEqualTo("Bearer realm=\"leadflow\"");
                assertThat(refused.body().path("field").asString()).isEqualTo("Authorization");
            }
            assertThat(guarded.faults().current()).isEqualTo(Faults.FaultSet.NONE);

            Answer allowed = call(own.baseUrl() + "/faults", "PUT", "{\"outage\":{}}", "Bearer admin-secret");

            assertThat(allowed.status()).isEqualTo(200);
            assertThat(guarded.faults().current().outage()).isNotNull();
        }
    }

    @Test
    void faultsSetFromJavaShowOverHttp() {
        hubspot.faults().outage(504, Duration.ofSeconds(10));
        hubspot.faults().rateLimitStorm(null, 2);

        JsonNode current = faults("GET", null, null).body();

        assertThat(current.path("outage").path("status").asInt()).isEqualTo(504);
        assertThat(current.path("outage").path("secondsLeft").asInt()).isEqualTo(10);
        assertThat(current.path("rateLimitStorm").path("retryAfterSeconds").asInt()).isEqualTo(2);
        // an outage goes before a storm
        assertThat(api("GET", "/crm/v3/pipelines/deals", null).status()).isEqualTo(504);
    }

    static Answer api(String method, String path, String body) {
        return call(server.baseUrl() + path, method, body, TOKEN);
    }

    static Answer faults(String method, String body, String authorization) {
        return call(server.baseUrl() + "/faults", method, body, authorization);
    }

    static Answer call(String url, String method, String body, String authorization) {
        HttpResponse<String> response = JsonRequests.send(http, url, method, authorization, body);
        JsonNode json = response.body().isEmpty() ? null : Answers.JSON.readTree(response.body());
        return new Answer(response.statusCode(), json, response);
    }
}
