package io.leadflow.sandbox.slack;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SlackSandboxTests {

    final SlackSandbox slack = new SlackSandbox(Clock.fixed(Instant.parse("2026-01-05T10:00:00Z"), ZoneOffset.UTC), 3, 100,
            Map.of("U00SIMON001", "simon@example.com", "U00CAMERON1", "cameron@example.com"));

    static final String BUTTONS = "[{\"type\":\"header\",\"text\":{\"type\":\"plain_text\",\"text\":\"New lead: Acme\"}},"
            + "{\"type\":\"actions\",\"block_id\":\"leadflow_actions:NEW_LEAD:l1\",\"elements\":["
            + "{\"type\":\"button\",\"action_id\":\"lead.accept\",\"text\":{\"type\":\"plain_text\",\"text\":\"Accept\"},"
            + "\"value\":\"l1:1\",\"style\":\"primary\"},"
            + "{\"type\":\"button\",\"action_id\":\"lead.pass\",\"text\":{\"type\":\"plain_text\",\"text\":\"Pass\"},\"value\":\"l1:1\"}]}]";

    /** Posts the new-lead message with its buttons to the channel and returns its ts. */
    String postWithButtons(String channel) {
        return call("chat.postMessage", "{\"channel\":\"" + channel + "\",\"text\":\"New lead: Acme\",\"blocks\":" + BUTTONS
                + ",\"metadata\":{\"event_type\":\"leadflow_alert\",\"event_payload\":{\"alertId\":\"NEW_LEAD:l1\"}}}")
                .body().path("ts").asString();
    }

    SlackSandbox.Answer call(String method, String json) {
        return slack.handle("POST", method, "Bearer xoxb-test", (ObjectNode) SlackSandbox.JSON.readTree(json));
    }

    static String error(SlackSandbox.Answer answer) {
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body().path("ok").asBoolean(true)).isFalse();
        return answer.body().path("error").asString();
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
    void historyPagesDoNotShiftWhenMessagesArePostedBetweenCallsAndABadCursorIsRefused() {
        // a workspace whose per-channel burst allows every post below at one fixed instant
        SlackSandbox busy = new SlackSandbox(Clock.fixed(Instant.parse("2026-01-05T10:00:00Z"), ZoneOffset.UTC), 20, 100, Map.of());
        BiFunction<String, String, SlackSandbox.Answer> call = (method, json) ->
                busy.handle("POST", method, "Bearer xoxb-test", (ObjectNode) SlackSandbox.JSON.readTree(json));
        for (int i = 1; i <= 5; i++) {
            call.apply("chat.postMessage", "{\"channel\":\"C7\",\"text\":\"m" + i + "\"}");
        }
        JsonNode first = call.apply("conversations.history", "{\"channel\":\"C7\",\"limit\":2}").body();
        call.apply("chat.postMessage", "{\"channel\":\"C7\",\"text\":\"m6\"}");
        call.apply("chat.postMessage", "{\"channel\":\"C7\",\"text\":\"m7\"}");
        String cursor = first.path("response_metadata").path("next_cursor").asString();
        JsonNode second = call.apply("conversations.history", "{\"channel\":\"C7\",\"limit\":2,\"cursor\":\"" + cursor + "\"}").body();
        JsonNode third = call.apply("conversations.history", "{\"channel\":\"C7\",\"limit\":2,\"cursor\":\""
                + second.path("response_metadata").path("next_cursor").asString() + "\"}").body();

        assertThat(first.path("messages").valueStream().map(m -> m.path("text").asString())).containsExactly("m5", "m4");
        assertThat(Base64.getDecoder().decode(cursor)).asString().startsWith("next_ts:");
        assertThat(second.path("messages").valueStream().map(m -> m.path("text").asString())).containsExactly("m3", "m2");
        assertThat(third.path("messages").valueStream().map(m -> m.path("text").asString())).containsExactly("m1");
        assertThat(third.path("has_more").asBoolean()).isFalse();
        assertThat(third.path("response_metadata").path("next_cursor").asString()).isEmpty();
        assertThat(error(call.apply("conversations.history", "{\"channel\":\"C7\",\"cursor\":\"bmV4dF9zomething\"}"))).isEqualTo("invalid_cursor");
        assertThat(error(call.apply("conversations.history", "{\"channel\":\"C7\",\"cursor\":\"not base64 at all\"}"))).isEqualTo("invalid_cursor");
    }

    @Test
    void theCallLogKeepsAPageOfHistoryOnlyAsItsSize() {
        call("chat.postMessage", "{\"channel\":\"C8\",\"text\":\"a\"}");
        call("chat.postMessage", "{\"channel\":\"C8\",\"text\":\"b\"}");

        JsonNode answered = call("conversations.history", "{\"channel\":\"C8\"}").body();

        assertThat(answered.path("messages").size()).isEqualTo(2);
        List<SlackSandbox.SlackCall> history = slack.slackCalls("conversations.history");
        SlackSandbox.SlackCall logged = history.get(history.size() - 1);
        assertThat(logged.method()).isEqualTo("conversations.history");
        assertThat(logged.answer().path("messages").asInt()).isEqualTo(2);
        assertThat(logged.answer().path("ok").asBoolean()).isTrue();
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
    void updateReplacesTheBotsMessageInPlaceKeepsItsMetadataAndAnswersLikeSlack() {
        String ts = postWithButtons("C1");

        SlackSandbox.Answer updated = call("chat.update", "{\"channel\":\"C1\",\"ts\":\"" + ts + "\",\"text\":\"Accepted by Simon\","
                + "\"blocks\":[{\"type\":\"header\",\"text\":{\"type\":\"plain_text\",\"text\":\"Accepted by Simon\"}}]}");

        assertThat(updated.status()).isEqualTo(200);
        assertThat(updated.body().path("ok").asBoolean()).isTrue();
        assertThat(updated.body().path("channel").asString()).isEqualTo("C1");
        assertThat(updated.body().path("ts").asString()).isEqualTo(ts);
        assertThat(updated.body().path("text").asString()).isEqualTo("Accepted by Simon");
        assertThat(updated.body().path("message").path("text").asString()).isEqualTo("Accepted by Simon");
        JsonNode history = call("conversations.history", "{\"channel\":\"C1\",\"include_all_metadata\":true}").body().path("messages");
        assertThat(history).hasSize(1);
        assertThat(history.get(0).path("blocks")).hasSize(1);
        assertThat(history.get(0).toString()).doesNotContain("lead.accept");
        assertThat(history.get(0).path("metadata").path("event_payload").path("alertId").asString()).isEqualTo("NEW_LEAD:l1");
        assertThat(history.get(0).path("blocks").get(0).path("block_id").asString()).as("Slack gives blocks an id").isNotEmpty();
    }

    @Test
    void updateAnswersSlacksErrors() {
        String ts = postWithButtons("D00SIMON001");

        assertThat(error(call("chat.update", "{\"channel\":\"U00SIMON001\",\"ts\":\"" + ts + "\",\"text\":\"x\"}")))
                .as("a DM by its user's id").isEqualTo("channel_not_found");
        assertThat(error(call("chat.update", "{\"channel\":\"D00SIMON001\",\"ts\":\"1.000001\",\"text\":\"x\"}")))
                .isEqualTo("message_not_found");
        assertThat(error(call("chat.update", "{\"channel\":\"D00SIMON001\",\"ts\":\"" + ts + "\"}"))).isEqualTo("no_text");
        assertThat(error(call("chat.update", "{\"channel\":\"D00SIMON001\",\"ts\":\"" + ts + "\",\"blocks\":\"[not json\"}")))
                .isEqualTo("invalid_blocks_format");
        String ephemeralTs = call("chat.postEphemeral", "{\"channel\":\"D00SIMON001\",\"user\":\"U00SIMON001\",\"text\":\"psst\"}")
                .body().path("message_ts").asString();
        assertThat(error(call("chat.update", "{\"channel\":\"D00SIMON001\",\"ts\":\"" + ephemeralTs + "\",\"text\":\"x\"}")))
                .as("ephemeral messages cannot be updated").isEqualTo("message_not_found");
        ObjectNode args = SlackSandbox.JSON.createObjectNode().put("channel", "D00SIMON001").put("ts", ts).put("text", "x");
        assertThat(error(slack.handle("POST", "chat.update", null, args))).isEqualTo("not_authed");
        assertThat(error(slack.handle("POST", "chat.update", "Bearer nope", args))).isEqualTo("invalid_auth");
    }

    @Test
    void ephemeralGoesToOneMemberOfTheChannelAndStaysOutOfItsHistory() {
        SlackSandbox.Answer shown = call("chat.postEphemeral", "{\"channel\":\"C1\",\"user\":\"U00CAMERON1\",\"text\":\"Not yours\"}");

        assertThat(shown.status()).isEqualTo(200);
        assertThat(shown.body().path("ok").asBoolean()).isTrue();
        assertThat(shown.body().path("message_ts").asString()).matches("\\d+\\.\\d{6}");
        assertThat(call("conversations.history", "{\"channel\":\"C1\"}").body().path("messages")).isEmpty();
        JsonNode listed = slack.messages(10).get(0);
        assertThat(listed.path("ephemeralTo").asString()).isEqualTo("U00CAMERON1");
        assertThat(listed.path("ephemeralToEmail").asString()).isEqualTo("cameron@example.com");
        assertThat(error(call("chat.postEphemeral", "{\"channel\":\"D00SIMON001\",\"user\":\"U00CAMERON1\",\"text\":\"x\"}")))
                .as("not in someone else's DM").isEqualTo("user_not_in_channel");
        assertThat(error(call("chat.postEphemeral", "{\"channel\":\"C1\",\"user\":\"U0NOBODY\",\"text\":\"x\"}")))
                .isEqualTo("user_not_in_channel");
        assertThat(error(call("chat.postEphemeral", "{\"channel\":\"C1\",\"user\":\"U00CAMERON1\"}"))).isEqualTo("no_text");
        assertThat(error(call("chat.postEphemeral", "{\"user\":\"U00CAMERON1\",\"text\":\"x\"}"))).isEqualTo("channel_not_found");
    }

    @Test
    void clickGivesTheBlockActionsPayloadSlackWouldSend() {
        String ts = postWithButtons("C1");

        ObjectNode payload = slack.click("C1", ts, "lead.accept", "U00SIMON001", "http://127.0.0.1:8090/sandbox/slack/actions");

        assertThat(payload.path("type").asString()).isEqualTo("block_actions");
        assertThat(payload.path("user").path("id").asString()).isEqualTo("U00SIMON001");
        assertThat(payload.path("user").path("username").asString()).isEqualTo("simon");
        assertThat(payload.path("container").path("type").asString()).isEqualTo("message");
        assertThat(payload.path("container").path("message_ts").asString()).isEqualTo(ts);
        assertThat(payload.path("container").path("channel_id").asString()).isEqualTo("C1");
        assertThat(payload.path("channel").path("id").asString()).isEqualTo("C1");
        assertThat(payload.path("message").path("ts").asString()).isEqualTo(ts);
        assertThat(payload.path("message").has("metadata")).isFalse();
        assertThat(payload.path("trigger_id").asString()).isNotBlank();
        assertThat(payload.path("response_url").asString()).startsWith("http://127.0.0.1:8090/sandbox/slack/actions/");
        JsonNode action = payload.path("actions").get(0);
        assertThat(action.path("type").asString()).isEqualTo("button");
        assertThat(action.path("action_id").asString()).isEqualTo("lead.accept");
        assertThat(action.path("block_id").asString()).isEqualTo("leadflow_actions:NEW_LEAD:l1");
        assertThat(action.path("value").asString()).isEqualTo("l1:1");
        assertThat(action.path("text").path("text").asString()).isEqualTo("Accept");
        assertThat(action.path("action_ts").asString()).matches("\\d+\\.\\d{6}");
    }

    /** A digest shows an Accept for each of its leads: the block a person clicks in says which lead they meant. */
    @Test
    void aClickNamesTheBlockOfTheButtonAmongSeveralWithTheSameActionId() {
        String ts = call("chat.postMessage", "{\"channel\":\"C1\",\"text\":\"2 new leads\",\"blocks\":["
                + actions("leadflow_actions:NEW_LEAD:a", "a:1") + "," + actions("leadflow_actions:NEW_LEAD:b", "b:1") + "]}")
                .body().path("ts").asString();

        JsonNode second = slack.click("C1", ts, "leadflow_actions:NEW_LEAD:b", "lead.accept", "U00SIMON001", "http://x").path("actions").get(0);
        JsonNode first = slack.click("C1", ts, "lead.accept", "U00SIMON001", "http://x").path("actions").get(0);

        assertThat(second.path("block_id").asString()).isEqualTo("leadflow_actions:NEW_LEAD:b");
        assertThat(second.path("value").asString()).isEqualTo("b:1");
        assertThat(first.path("value").asString()).as("no block named: the first such button").isEqualTo("a:1");
        assertThatThrownBy(() -> slack.click("C1", ts, "leadflow_actions:NEW_LEAD:c", "lead.accept", "U00SIMON001", "http://x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("actionId:").hasMessageContaining("in block");
    }

    private static String actions(String blockId, String value) {
        return "{\"type\":\"actions\",\"block_id\":\"" + blockId + "\",\"elements\":[{\"type\":\"button\",\"action_id\":\"lead.accept\","
                + "\"text\":{\"type\":\"plain_text\",\"text\":\"Accept\"},\"value\":\"" + value + "\"}]}";
    }

    @Test
    void aLinkButtonsClickIsSentTooAsSlackDoes() {
        String ts = call("chat.postMessage", "{\"channel\":\"C1\",\"text\":\"Deal\",\"blocks\":[{\"type\":\"actions\",\"elements\":["
                + "{\"type\":\"button\",\"action_id\":\"open_hubspot\",\"text\":{\"type\":\"plain_text\",\"text\":\"Open deal\"},"
                + "\"url\":\"https://app.hubspot.com/contacts/1/record/0-3/2\"}]}]}").body().path("ts").asString();

        ObjectNode payload = slack.click("C1", ts, "open_hubspot", "U00CAMERON1", "http://x");

        JsonNode action = payload.path("actions").get(0);
        assertThat(action.path("action_id").asString()).isEqualTo("open_hubspot");
        assertThat(action.path("block_id").asString()).as("the id Slack gave the block").isNotEmpty()
                .isEqualTo(payload.path("message").path("blocks").get(0).path("block_id").asString());
        assertThat(action.has("value")).isFalse();
    }

    @Test
    void onlySomeoneInTheConversationCanClickAndOnlyAButtonThatExists() {
        String dmTs = postWithButtons("D00SIMON001");

        assertThat(slack.click("D00SIMON001", dmTs, "lead.pass", "", "http://x").path("user").path("id").asString())
                .as("a DM's own user by default").isEqualTo("U00SIMON001");
        assertThatThrownBy(() -> slack.click("D00SIMON001", dmTs, "lead.pass", "U00CAMERON1", "http://x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("user:");
        assertThatThrownBy(() -> slack.click("D00SIMON001", dmTs, "lead.nope", "U00SIMON001", "http://x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("actionId:");
        assertThatThrownBy(() -> slack.click("D00SIMON001", "1.000001", "lead.pass", "U00SIMON001", "http://x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("ts:");
    }

    @Test
    void updatesAndEphemeralMessagesSurviveARestart(@TempDir Path dir) {
        SlackSandbox kept = new SlackSandbox(Clock.systemUTC(), 3, 100, Map.of("U00CAMERON1", "cameron@example.com"));
        kept.persistIn(dir);
        String ts = kept.handle("POST", "chat.postMessage", "Bearer xoxb-test", (ObjectNode) SlackSandbox.JSON.readTree(
                "{\"channel\":\"C1\",\"text\":\"New lead: Acme\",\"blocks\":" + BUTTONS + "}")).body().path("ts").asString();
        kept.handle("POST", "chat.update", "Bearer xoxb-test", (ObjectNode) SlackSandbox.JSON.readTree(
                "{\"channel\":\"C1\",\"ts\":\"" + ts + "\",\"text\":\"Accepted\",\"blocks\":[]}"));
        kept.handle("POST", "chat.postEphemeral", "Bearer xoxb-test", (ObjectNode) SlackSandbox.JSON.readTree(
                "{\"channel\":\"C1\",\"user\":\"U00CAMERON1\",\"text\":\"Not yours\"}"));
        kept.close();

        SlackSandbox restarted = new SlackSandbox(Clock.systemUTC(), 3, 100, Map.of("U00CAMERON1", "cameron@example.com"));
        restarted.persistIn(dir);

        ArrayNode messages = restarted.messages(10);
        assertThat(messages).hasSize(2);
        assertThat(messages.toString()).contains("Accepted", "Not yours").doesNotContain("lead.accept");
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
