package io.leadflow.localstack.console;

import io.leadflow.localstack.LocalStack;
import io.leadflow.localstack.RunningStackAccess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console never lends its token to an anonymous caller. Listening beyond loopback it wants the caller's admin
 * token on every {@code /api} call that shows personal data or changes something (and on the Slack sandbox's fault
 * controls), and passes the caller's own
 * {@code Authorization} to trial-tracker; only status and topic offsets, and the page itself, stay open. On loopback
 * (the running stack's console) it answers the local user without a token.
 */
class ConsoleAccessTests {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static TokenConsole console;

    @BeforeAll
    static void start() {
        console = new TokenConsole(RunningStackAccess.get());
    }

    @AfterAll
    static void stop() {
        console.close();
    }

    @BeforeEach
    void forgetWhatTrialTrackerSaw() {
        console.authorizationsSeenByTrialTracker.clear();
    }

    @Test
    void beyondLoopbackEveryPersonalDataOrStateChangingCallNeedsTheAdminToken() throws Exception {
        String[][] calls = {{"GET", "/api/leads"}, {"GET", "/api/hubspot"}, {"GET", "/api/slack"}, {"GET", "/api/trials"},
                {"GET", "/api/dead-letters"}, {"POST", "/api/dead-letters/leads.routed.dlt/0/0/replay"}, {"POST", "/api/sample-lead"},
                {"POST", "/api/slack/click"}, {"GET", "/api/routing/rules"}, {"POST", "/api/routing/simulations"},
                {"GET", "/api/routing/sla"}, {"GET", "/sandbox/slack/faults"}, {"PUT", "/sandbox/slack/faults"},
                {"DELETE", "/sandbox/slack/faults"}};
        for (String[] call : calls) {
            for (String authorization : new String[] {null, "Bearer " + TokenConsole.LENT_TOKEN, "Bearer nope"}) {
                HttpResponse<String> response = send(call[0], call[1], authorization);

                assertThat(response.statusCode()).as(call[1] + " with " + authorization).isEqualTo(401);
                assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
                assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"leadflow\"");
                assertThat(JSON.readTree(response.body()).path("field").asString()).isEqualTo("Authorization");
            }
        }
        assertThat(console.authorizationsSeenByTrialTracker).as("nothing reached trial-tracker for a refused caller").isEmpty();
        for (String open : new String[] {"/api/status", "/api/topics", "/", "/console.js", "/routing.js"}) {
            assertThat(send("GET", open, null).statusCode()).as(open).isEqualTo(200);
        }
        JsonNode leads = JSON.readTree(send("GET", "/api/leads", "Bearer " + TokenConsole.ADMIN_TOKEN).body());
        assertThat(leads.isArray()).isTrue();
        HttpResponse<String> clocks = send("GET", "/api/routing/sla", "Bearer " + TokenConsole.ADMIN_TOKEN);
        assertThat(clocks.statusCode()).as(clocks.body()).isEqualTo(200);
        assertThat(JSON.readTree(clocks.body()).path("clocks").isArray()).isTrue();
    }

    @Test
    void beyondLoopbackTheCallersOwnAuthorizationGoesToTrialTrackerNeverTheConsoles() throws Exception {
        HttpResponse<String> response = send("GET", "/api/trials", "Bearer " + TokenConsole.ADMIN_TOKEN);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).contains("trial-from-stub");
        assertThat(console.authorizationsSeenByTrialTracker).isNotEmpty()
                .allSatisfy(seen -> assertThat(seen).isEqualTo("Bearer " + TokenConsole.ADMIN_TOKEN))
                .noneSatisfy(seen -> assertThat(seen).contains(TokenConsole.LENT_TOKEN));
    }

    @Test
    void onLoopbackTheRunningStacksConsoleAnswersTheLocalUserWithoutAToken() throws Exception {
        LocalStack stack = RunningStackAccess.get();

        HttpResponse<String> trials = HTTP.send(HttpRequest.newBuilder(URI.create(stack.consoleUrl() + "/api/trials")).build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> leads = HTTP.send(HttpRequest.newBuilder(URI.create(stack.consoleUrl() + "/api/leads")).build(),
                HttpResponse.BodyHandlers.ofString());

        HttpResponse<String> faults = HTTP.send(HttpRequest.newBuilder(URI.create(stack.consoleUrl() + "/sandbox/slack/faults")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(trials.statusCode()).as(trials.body()).isEqualTo(200);
        assertThat(leads.statusCode()).as(leads.body()).isEqualTo(200);
        assertThat(faults.statusCode()).as(faults.body()).isEqualTo(200);
        assertThat(faults.body()).isEqualTo("{}");
    }

    static HttpResponse<String> send(String method, String path, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(console.url() + path))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
