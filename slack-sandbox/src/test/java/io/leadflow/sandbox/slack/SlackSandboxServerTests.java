package io.leadflow.sandbox.slack;

import io.leadflow.testing.MutableClock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The sandbox over HTTP, as a Slack client sees it, on a server of its own, and the faults it answers with. */
class SlackSandboxServerTests {

    static final String TOKEN = "xoxb-test-token";
    static final MutableClock clock = new MutableClock(Instant.parse("2026-01-05T10:00:00Z"));
    static final SlackSandbox slack = new SlackSandbox(clock, 100, 1000, Map.of("U00SIMON001", "simon@example.com"));
    static final SlackSandboxServer server = SlackSandboxServer.start(slack);
    static final HttpClient http = HttpClient.newHttpClient();
    final List<Duration> slept = new CopyOnWriteArrayList<>();

    record Answer(int status, String body, JsonNode json, HttpResponse<String> response) {
    }

    @BeforeEach
    void emptyWorkspace() {
        slack.reset();
        slack.faults().sleeper(slept::add);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static Answer post(String method, String json) {
        return send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/" + method))
                .header("Authorization", "Bearer " + TOKEN).header("Content-Type", "application/json; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    static Answer send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode json = response.body().isBlank() ? null : SlackSandbox.JSON.readTree(response.body());
            return new Answer(response.statusCode(), response.body(), json, response);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    void eachMethodTakesJsonFormOrQueryArgumentsAndTheTokenAsBearerOrArgument() {
        Answer posted = post("chat.postMessage", "{\"channel\":\"C1\",\"text\":\"hello\"}");
        Answer form = send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/chat.postMessage"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("token=" + TOKEN + "&channel=C1&text=again")));
        Answer history = send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/conversations.history?channel=C1&limit=1"))
                .header("Authorization", "Bearer " + TOKEN).GET());

        assertThat(posted.status()).isEqualTo(200);
        assertThat(posted.json().path("ok").asBoolean()).isTrue();
        assertThat(form.json().path("ok").asBoolean()).isTrue();
        assertThat(history.json().path("messages")).singleElement()
                .satisfies(m -> assertThat(m.path("text").asString()).isEqualTo("again"));
        assertThat(history.json().path("has_more").asBoolean()).isTrue();
        assertThat(slack.slackCalls()).extracting(SlackSandbox.SlackCall::method, SlackSandbox.SlackCall::bearer)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("chat.postMessage", true),
                        org.assertj.core.groups.Tuple.tuple("chat.postMessage", false),
                        org.assertj.core.groups.Tuple.tuple("conversations.history", true));
        assertThat(slack.slackCalls().get(1).arguments().path("token").asString()).as("a token argument is kept masked").isEqualTo("***");
        assertThat(slack.calls(10).toString()).doesNotContain(TOKEN);
    }

    @Test
    void anUnknownMethodIsAnsweredUnknownMethod() {
        Answer answer = post("chat.scheduleMessage", "{\"channel\":\"C1\",\"text\":\"later\"}");

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.json().path("error").asString()).isEqualTo("unknown_method");
    }

    @Test
    void anOutageAnswersEveryCallItsStatusUntilItEndsOnTheSandboxClock() {
        slack.faults().outage(503, Duration.ofSeconds(60));

        Answer during = post("chat.postMessage", "{\"channel\":\"C1\",\"text\":\"lost\"}");
        clock.advance(Duration.ofSeconds(60));
        Answer after = post("chat.postMessage", "{\"channel\":\"C1\",\"text\":\"kept\"}");

        assertThat(during.status()).isEqualTo(503);
        assertThat(during.body()).isEmpty();
        assertThat(after.json().path("ok").asBoolean()).isTrue();
        assertThat(slack.messages(10)).extracting(m -> m.path("text").asString()).containsExactly("kept");
    }

    @Test
    void aRateLimitStormIsAnswered429WithRetryAfterAsSlackDoes() {
        slack.faults().rateLimitStorm(null, 7);

        Answer answer = post("chat.update", "{\"channel\":\"C1\",\"ts\":\"1.000001\",\"text\":\"x\"}");

        assertThat(answer.status()).isEqualTo(429);
        assertThat(answer.response().headers().firstValue("Retry-After")).contains("7");
        assertThat(answer.json().path("ok").asBoolean(true)).isFalse();
        assertThat(answer.json().path("error").asString()).isEqualTo("ratelimited");
    }

    @Test
    void failNextAnswersTheNextCallsThenNoMore() {
        slack.faults().failNext(2, 500);

        List<Integer> statuses = List.of(post("auth.test", "{}").status(), post("auth.test", "{}").status(), post("auth.test", "{}").status());

        assertThat(statuses).containsExactly(500, 500, 200);
        assertThat(slack.faults().current().failNext()).isNull();
    }

    @Test
    void latencyDelaysEveryAnswerAndARuleAddsItsOwnDelay() {
        slack.faults().latency(Duration.ofMillis(300));
        slack.faults().on("chat.postMessage").delay(Duration.ofSeconds(2));

        post("auth.test", "{}");
        Answer posted = post("chat.postMessage", "{\"channel\":\"C1\",\"text\":\"late\"}");

        assertThat(slept).containsExactly(Duration.ofMillis(300), Duration.ofMillis(2300));
        assertThat(posted.json().path("ok").asBoolean()).isTrue();
    }

    @Test
    void aRuleFailsOnlyTheCallsItMatchesAndAFaultyCallChangesNothing() {
        slack.faults().on("chat.postMessage").where(a -> a.path("channel").asString().equals("C0ARCHIVED")).answer("is_archived");
        slack.faults().on("chat.postMessage").once().answer("service_unavailable");

        Answer archived = post("chat.postMessage", "{\"channel\":\"C0ARCHIVED\",\"text\":\"x\"}");
        Answer unavailable = post("chat.postMessage", "{\"channel\":\"C1\",\"text\":\"first try\"}");
        Answer retried = post("chat.postMessage", "{\"channel\":\"C1\",\"text\":\"second try\"}");

        assertThat(archived.status()).isEqualTo(200);
        assertThat(archived.json().path("error").asString()).isEqualTo("is_archived");
        assertThat(unavailable.json().path("error").asString()).isEqualTo("service_unavailable");
        assertThat(retried.json().path("ok").asBoolean()).isTrue();
        assertThat(slack.messages(10)).extracting(m -> m.path("text").asString()).containsExactly("second try");
    }

    @Test
    void afterApplyingKeepsTheMessageButFailsTheAnswer() {
        slack.faults().on("chat.postMessage").once().afterApplying().answer("internal_error");

        Answer answer = post("chat.postMessage", "{\"channel\":\"C1\",\"text\":\"maybe\"}");

        assertThat(answer.json().path("error").asString()).isEqualTo("internal_error");
        assertThat(slack.messages(10)).extracting(m -> m.path("text").asString()).containsExactly("maybe");
    }

    @Test
    void aHeldCallIsAnsweredOnlyWhenReleased() {
        slack.faults().on("chat.postMessage").afterApplying().hold();

        CompletableFuture<Answer> answer = CompletableFuture.supplyAsync(() -> post("chat.postMessage", "{\"channel\":\"C1\",\"text\":\"held\"}"));
        await().atMost(Duration.ofSeconds(5)).until(() -> slack.faults().held() == 1);

        assertThat(answer).isNotDone();
        assertThat(slack.messages(10)).extracting(m -> m.path("text").asString()).containsExactly("held");
        slack.faults().release();
        assertThat(answer.join().json().path("error").asString()).isEqualTo("internal_error");
        assertThat(slack.faults().held()).isZero();
    }
}
