package io.leadflow.localstack.sandbox.slack;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class SlackSandboxTests {

    final SlackSandbox slack = new SlackSandbox(Clock.fixed(Instant.parse("2026-01-05T10:00:00Z"), ZoneOffset.UTC), 3, 100,
            Map.of("U00SIMON001", "simon@example.com"));

    SlackSandbox.Answer call(String method, String json) {
        return slack.handle("POST", method, "Bearer xoxb-test", (ObjectNode) SlackSandbox.JSON.readTree(json));
    }

    @Test
    void postsToARepsDirectMessagesAndAnswersLikeSlack() {
        String dm = call("conversations.open", "{\"users\":\"U00SIMON001\"}").body().path("channel").path("id").asString();

        SlackSandbox.Answer posted = call("chat.postMessage", "{\"channel\":\"" + dm + "\",\"text\":\"New lead\","
                + "\"blocks\":[{\"type\":\"header\",\"text\":{\"type\":\"plain_text\",\"text\":\"New lead: Acme\"}}],"
                + "\"metadata\":{\"event_type\":\"leadflow_alert\",\"event_payload\":{\"alertId\":\"NEW_LEAD:1\"}}}");

        assertThat(dm).isEqualTo("D00SIMON001");
        assertThat(posted.status()).isEqualTo(200);
        assertThat(posted.body().path("ok").asBoolean()).isTrue();
        assertThat(posted.body().path("channel").asString()).isEqualTo(dm);
        assertThat(posted.body().path("ts").asString()).matches("\\d+\\.\\d{6}");
        JsonNode shown = slack.messages(10).get(0);
        assertThat(shown.path("dmUserEmail").asString()).isEqualTo("simon@example.com");
        assertThat(shown.path("blocks").get(0).path("text").path("text").asString()).isEqualTo("New lead: Acme");
    }

    @Test
    void findsAMessageByItsMetadataInTheHistoryOnlyWhenAskedForMetadata() {
        call("chat.postMessage", "{\"channel\":\"C1\",\"text\":\"a\",\"metadata\":{\"event_type\":\"leadflow_alert\",\"event_payload\":{\"alertId\":\"x\"}}}");
        call("chat.postMessage", "{\"channel\":\"C1\",\"text\":\"b\"}");

        JsonNode withMetadata = call("conversations.history", "{\"channel\":\"C1\",\"oldest\":\"0\",\"include_all_metadata\":\"true\",\"limit\":\"1\"}").body();
        JsonNode page2 = call("conversations.history", "{\"channel\":\"C1\",\"oldest\":\"0\",\"include_all_metadata\":true,\"limit\":1,\"cursor\":\""
                + withMetadata.path("response_metadata").path("next_cursor").asString() + "\"}").body();
        JsonNode without = call("conversations.history", "{\"channel\":\"C1\"}").body();

        assertThat(withMetadata.path("messages").get(0).path("text").asString()).isEqualTo("b");
        assertThat(withMetadata.path("has_more").asBoolean()).isTrue();
        assertThat(page2.path("messages").get(0).path("metadata").path("event_payload").path("alertId").asString()).isEqualTo("x");
        assertThat(without.path("messages").get(1).has("metadata")).isFalse();
    }

    @Test
    void answersRateLimitedWith429AndRetryAfterPastTheBurst() {
        for (int i = 0; i < 3; i++) {
            assertThat(call("chat.postMessage", "{\"channel\":\"C2\",\"text\":\"m\"}").status()).isEqualTo(200);
        }

        SlackSandbox.Answer limited = call("chat.postMessage", "{\"channel\":\"C2\",\"text\":\"m\"}");

        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.body().path("error").asString()).isEqualTo("ratelimited");
        assertThat(limited.headers()).containsEntry("Retry-After", "1");
        assertThat(call("chat.postMessage", "{\"channel\":\"C3\",\"text\":\"other channel\"}").status()).isEqualTo(200);
    }

    @Test
    void refusesCallsWithoutAValidToken() {
        ObjectNode args = SlackSandbox.JSON.createObjectNode().put("channel", "C1").put("text", "x");

        assertThat(slack.handle("POST", "chat.postMessage", null, args).body().path("error").asString()).isEqualTo("not_authed");
        assertThat(slack.handle("POST", "chat.postMessage", "Bearer nope", args).body().path("error").asString()).isEqualTo("invalid_auth");
        assertThat(call("chat.postMessage", "{\"channel\":\"C1\"}").body().path("error").asString()).isEqualTo("no_text");
    }

    @Test
    void onceATokenIsRequiredOnlyThatTokenIsAccepted() {
        ObjectNode args = SlackSandbox.JSON.createObjectNode().put("channel", "C1").put("text", "x");
        slack.requireToken("xoxb-local-the-stacks-own");

        assertThat(slack.handle("POST", "chat.postMessage", "Bearer xoxb-any-shaped-token", args).body().path("error").asString())
                .isEqualTo("invalid_auth");
        assertThat(slack.handle("POST", "chat.postMessage", "Bearer xoxb-local-the-stacks-ow", args).body().path("error").asString())
                .isEqualTo("invalid_auth");
        assertThat(slack.handle("POST", "chat.postMessage", "Bearer xoxb-local-the-stacks-own", args).body().path("ok").asBoolean())
                .isTrue();
    }
}
