package io.leadflow.sandbox.slack;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code chat.delete}: the bot's own message disappears for good; anything else is refused as Slack refuses it. */
class SlackDeleteTests {

    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-05T10:00:00Z"), ZoneOffset.UTC);
    static final Map<String, String> USERS = Map.of("U00SIMON001", "simon@example.com");

    @TempDir
    Path dir;

    @Test
    void deletesTheBotsMessageFromHistoryAndTheConsoleAndItStaysDeletedAfterARestart() {
        SlackSandbox slack = new SlackSandbox(CLOCK, 3, 100, USERS);
        slack.persistIn(dir);
        String kept = ts(call(slack, "chat.postMessage", "{\"channel\":\"U00SIMON001\",\"text\":\"Trial reminder\"}"));
        String gone = ts(call(slack, "chat.postMessage", "{\"channel\":\"U00SIMON001\",\"text\":\"New lead: Ada Lovelace\"}"));

        SlackSandbox.Answer deleted = call(slack, "chat.delete", "{\"channel\":\"D00SIMON001\",\"ts\":\"" + gone + "\"}");

        assertThat(deleted.body().path("ok").asBoolean()).isTrue();
        assertThat(deleted.body().path("channel").asString()).isEqualTo("D00SIMON001");
        assertThat(deleted.body().path("ts").asString()).isEqualTo(gone);
        assertThat(history(slack)).extracting(m -> m.path("ts").asString()).containsExactly(kept);
        assertThat(slack.messages(10)).extracting(m -> m.path("text").asString()).doesNotContain("New lead: Ada Lovelace");
        // deleted once: a second delete, or an update, finds nothing
        assertThat(error(call(slack, "chat.delete", "{\"channel\":\"D00SIMON001\",\"ts\":\"" + gone + "\"}"))).isEqualTo("message_not_found");
        assertThat(error(call(slack, "chat.update", "{\"channel\":\"D00SIMON001\",\"ts\":\"" + gone + "\",\"text\":\"x\"}"))).isEqualTo("message_not_found");
        // and no file of the sandbox keeps the deleted text: a delete compacts the journal at once
        assertThat(filesText()).doesNotContain("Ada Lovelace").contains("Trial reminder");

        // no close(): killed; another sandbox starts on what the journal holds
        SlackSandbox restarted = new SlackSandbox(CLOCK, 3, 100, USERS);
        restarted.persistIn(dir);
        assertThat(history(restarted)).extracting(m -> m.path("ts").asString()).containsExactly(kept);
        restarted.close();
    }

    /** The sandbox's snapshot and journal, as on disk. */
    private String filesText() {
        try {
            return Files.readString(dir.resolve("slack.json")) + Files.readString(dir.resolve("slack.json.journal"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void aReplacedMessageKeepsNoEarlierTextOnDisk() {
        SlackSandbox slack = new SlackSandbox(CLOCK, 3, 100, USERS);
        slack.persistIn(dir);
        String digest = ts(call(slack, "chat.postMessage", "{\"channel\":\"U00SIMON001\",\"text\":\"New leads: Ada Lovelace, Grace Hopper\"}"));

        call(slack, "chat.update", "{\"channel\":\"D00SIMON001\",\"ts\":\"" + digest + "\",\"text\":\"This message was removed on request.\"}");

        assertThat(filesText()).doesNotContain("Ada Lovelace").contains("removed on request");
        slack.close();
    }

    @Test
    void refusesWhatABotTokenMayNotDeleteOrCannotFind() {
        SlackSandbox slack = new SlackSandbox(CLOCK, 3, 100, USERS);
        String person = slack.say("D00SIMON001", "U00SIMON001", "Call me about Ada");
        String bots = ts(call(slack, "chat.postMessage", "{\"channel\":\"U00SIMON001\",\"text\":\"New lead\"}"));

        assertThat(error(call(slack, "chat.delete", "{\"channel\":\"D00SIMON001\",\"ts\":\"" + person + "\"}"))).isEqualTo("cant_delete_message");
        assertThat(error(call(slack, "chat.delete", "{\"channel\":\"U00SIMON001\",\"ts\":\"" + bots + "\"}"))).isEqualTo("channel_not_found");
        assertThat(error(call(slack, "chat.delete", "{\"channel\":\"D00SIMON001\",\"ts\":\"1.000001\"}"))).isEqualTo("message_not_found");
        assertThat(history(slack)).hasSize(2);
    }

    private static SlackSandbox.Answer call(SlackSandbox slack, String method, String json) {
        return slack.handle("POST", method, "Bearer xoxb-test", (ObjectNode) SlackSandbox.JSON.readTree(json));
    }

    private static String ts(SlackSandbox.Answer answer) {
        return answer.body().path("ts").asString();
    }

    private static String error(SlackSandbox.Answer answer) {
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body().path("ok").asBoolean(true)).isFalse();
        return answer.body().path("error").asString();
    }

    private static Iterable<JsonNode> history(SlackSandbox slack) {
        return call(slack, "conversations.history", "{\"channel\":\"D00SIMON001\"}").body().path("messages");
    }
}
