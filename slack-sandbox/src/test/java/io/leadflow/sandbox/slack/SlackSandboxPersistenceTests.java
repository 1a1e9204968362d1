package io.leadflow.sandbox.slack;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whatever the sandbox answered is on disk before the answer: a sandbox started on the same directory after a crash
 * (no close, no save) has every message and every change a client saw acknowledged.
 */
class SlackSandboxPersistenceTests {

    static final Map<String, String> USERS = Map.of("U00CAMERON1", "cameron@example.com", "U00SIMON001", "simon@example.com");

    static SlackSandbox.Answer call(SlackSandbox slack, String method, String json) {
        return slack.handle("POST", method, "Bearer xoxb-test", (ObjectNode) SlackSandbox.JSON.readTree(json));
    }

    static SlackSandbox sandbox(Path dir) {
        SlackSandbox slack = new SlackSandbox(Clock.systemUTC(), 1_000, 100, USERS);
        slack.persistIn(dir);
        return slack;
    }

    @Test
    void everyAnsweredMessageAndUpdateIsThereAfterACrash(@TempDir Path dir) {
        SlackSandbox crashed = sandbox(dir);
        List<String> answered = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            String channel = i % 2 == 0 ? "C0LEADS" : "U00SIMON001";
            SlackSandbox.Answer posted = call(crashed, "chat.postMessage", "{\"channel\":\"" + channel + "\",\"text\":\"lead " + i
                    + "\",\"metadata\":{\"event_type\":\"leadflow_alert\",\"event_payload\":{\"alertId\":\"NEW_LEAD:" + i + "\"}}}");
            assertThat(posted.body().path("ok").asBoolean()).isTrue();
            answered.add(posted.body().path("ts").asString());
        }
        call(crashed, "chat.update", "{\"channel\":\"C0LEADS\",\"ts\":\"" + answered.get(0) + "\",\"text\":\"Accepted by Simon\"}");
        call(crashed, "chat.postEphemeral", "{\"channel\":\"C0LEADS\",\"user\":\"U00CAMERON1\",\"text\":\"Not yours\"}");
        crashed.faults().outage(503, null);
        call(crashed, "chat.postMessage", "{\"channel\":\"C0LEADS\",\"text\":\"refused\"}");

        // no close(): the process was killed; another sandbox starts on what is on disk
        SlackSandbox restarted = sandbox(dir);

        JsonNode messages = restarted.messages(1_000);
        assertThat(messages).hasSize(301);
        List<String> kept = new ArrayList<>();
        messages.forEach(m -> kept.add(m.path("ts").asString()));
        assertThat(kept).containsAll(answered);
        assertThat(messages.toString()).contains("Accepted by Simon", "Not yours", "NEW_LEAD:299").doesNotContain("refused");
        JsonNode history = call(restarted, "conversations.history", "{\"channel\":\"D00SIMON001\",\"limit\":999}").body();
        assertThat(history.path("messages")).hasSize(150);
        // and the next message comes after every one it had answered
        String next = call(restarted, "chat.postMessage", "{\"channel\":\"C0LEADS\",\"text\":\"after\"}").body().path("ts").asString();
        assertThat(new BigDecimal(next)).isGreaterThan(new BigDecimal(answered.get(answered.size() - 1)));
    }

    @Test
    void aLineTornByTheCrashWasNeverAnsweredAndIsDropped(@TempDir Path dir) throws IOException {
        SlackSandbox crashed = sandbox(dir);
        String ts = call(crashed, "chat.postMessage", "{\"channel\":\"C1\",\"text\":\"kept\"}").body().path("ts").asString();
        Files.writeString(dir.resolve("slack.json.journal"), "{\"seq\":2,\"change\":{\"op\":\"post\",\"channel\":\"C1\",\"mess", StandardCharsets.UTF_8,
                StandardOpenOption.APPEND);

        SlackSandbox restarted = sandbox(dir);

        assertThat(restarted.messages(10)).singleElement().satisfies(m -> assertThat(m.path("ts").asString()).isEqualTo(ts));
    }

    @Test
    void aCleanCloseFoldsTheJournalIntoTheSnapshot(@TempDir Path dir) throws IOException {
        SlackSandbox closed = sandbox(dir);
        call(closed, "chat.postMessage", "{\"channel\":\"C1\",\"text\":\"one\"}");
        assertThat(Files.size(dir.resolve("slack.json.journal"))).isPositive();

        closed.close();

        assertThat(Files.size(dir.resolve("slack.json.journal"))).isZero();
        assertThat(sandbox(dir).messages(10)).singleElement().satisfies(m -> assertThat(m.path("text").asString()).isEqualTo("one"));
    }

    @Test
    void callsAnsweredTogetherAreAllThereAfterACrash(@TempDir Path dir) throws Exception {
        SlackSandbox crashed = sandbox(dir);
        List<Callable<String>> posts = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            String text = "burst " + i;
            posts.add(() -> call(crashed, "chat.postMessage", "{\"channel\":\"C0BURST\",\"text\":\"" + text + "\"}")
                    .body().path("ts").asString());
        }
        List<String> answered = new ArrayList<>();
        ExecutorService callers = Executors.newFixedThreadPool(16);
        try {
            for (Future<String> ts : callers.invokeAll(posts)) {
                answered.add(ts.get());
            }
        } finally {
            callers.shutdown();
        }

        SlackSandbox restarted = sandbox(dir);

        List<String> kept = new ArrayList<>();
        restarted.messages(1_000).forEach(m -> kept.add(m.path("ts").asString()));
        assertThat(kept).hasSize(400).containsExactlyInAnyOrderElementsOf(answered);
    }

    @Test
    void aWorkspaceKeptInTheEarlierJournalFormatIsReadAndConverted(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("slack.json"), """
                {"lastTsMicros":1700000002000000,"channels":{"C1":[{"type":"message","ts":"1700000001.000000","text":"snapshotted"}]},\
                "ephemeral":[],"journalSeq":0}""", StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("slack.journal"), """
                {"op":"post","channel":"C1","lastTsMicros":1700000002000000,"message":{"type":"message","ts":"1700000002.000000","text":"journalled"}}
                {"op":"update","channel":"C1","lastTsMicros":1700000002000000,"message":{"type":"message","ts":"1700000001.000000","text":"updated"}}
                {"op":"post","channel":"C1","mess""", StandardCharsets.UTF_8);

        SlackSandbox converted = sandbox(dir);

        assertThat(dir.resolve("slack.journal")).doesNotExist();
        assertThat(converted.messages(10).toString()).contains("journalled", "updated").doesNotContain("snapshotted");
        assertThat(converted.messages(10)).hasSize(2);
        String next = call(converted, "chat.postMessage", "{\"channel\":\"C1\",\"text\":\"after\"}").body().path("ts").asString();
        assertThat(new BigDecimal(next)).isGreaterThan(new BigDecimal("1700000002.000000"));
        assertThat(sandbox(dir).messages(10)).hasSize(3);
    }

    @Test
    void aMessageDeletedThroughAResponseUrlStaysDeleted(@TempDir Path dir) {
        SlackSandbox crashed = sandbox(dir);
        String ts = call(crashed, "chat.postMessage", "{\"channel\":\"D00SIMON001\",\"text\":\"New lead\",\"blocks\":"
                + SlackSandboxTests.BUTTONS + "}").body().path("ts").asString();
        ObjectNode click = crashed.click("D00SIMON001", ts, "lead.accept", "", "http://127.0.0.1/sandbox/slack/actions");
        String secret = click.path("response_url").asString().substring("http://127.0.0.1/sandbox/slack/actions/".length());
        crashed.respond(secret, SlackSandbox.JSON.createObjectNode().put("delete_original", true));

        assertThat(sandbox(dir).messages(10)).isEmpty();
    }
}
