package io.leadflow.notifier;

import io.leadflow.sandbox.slack.SlackFaults;
import io.leadflow.sandbox.slack.SlackSandbox;
import io.leadflow.sandbox.slack.SlackSandboxServer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * The Slack sandbox on a port of its own, as rep-notifier's tests use it: it answers like Slack's Web API (messages kept
 * in their conversations, history, DMs, updates, ephemeral messages), accepts only {@link #TOKEN}, and takes faults.
 * Its own per-channel pace is out of the way (a burst of 10,000) so that the notifier's pacing is what tests measure.
 */
public final class SandboxSlack implements AutoCloseable {

    public static final String TOKEN = "xoxb-test-0000000000-secret";
    /** The workspace's members: the reps the test alerts go to. */
    public static final Map<String, String> USERS = Map.of("U02QULW4MDZ", "simon@example.com", "U00CAMERON1", "cameron@example.com");

    private final SlackSandbox sandbox;
    private final SlackSandboxServer server;

    private SandboxSlack() {
        sandbox = new SlackSandbox(Clock.systemUTC(), 10_000, 100_000, USERS);
        sandbox.requireToken(TOKEN);
        server = SlackSandboxServer.start(sandbox);
    }

    public static SandboxSlack start() {
        return new SandboxSlack();
    }

    public String baseUrl() {
        return server.baseUrl();
    }

    public SlackSandbox sandbox() {
        return sandbox;
    }

    public SlackFaults faults() {
        return sandbox.faults();
    }

    /** An empty workspace without faults, still accepting only {@link #TOKEN}. */
    public void reset() {
        sandbox.reset();
        sandbox.requireToken(TOKEN);
    }

    @Override
    public void close() {
        server.close();
    }

    /** {@code chat.postMessage} calls received, oldest first, faulty ones too. */
    public List<Call> posts() {
        return calls("chat.postMessage");
    }

    public List<Call> postsTo(String channel) {
        return posts().stream().filter(p -> channel.equals(p.channel())).toList();
    }

    /** {@code chat.update} calls received, oldest first. */
    public List<Call> updates() {
        return calls("chat.update");
    }

    /** {@code chat.postEphemeral} calls received, oldest first. */
    public List<Call> ephemerals() {
        return calls("chat.postEphemeral");
    }

    /** {@code conversations.history} calls received, oldest first. */
    public List<Call> historyReads() {
        return calls("conversations.history");
    }

    public List<Call> calls(String method) {
        return sandbox.slackCalls(method).stream().map(Call::new).toList();
    }

    /** Every message in the workspace's conversations, oldest first, each with its {@code channel}. */
    public List<JsonNode> messages() {
        List<JsonNode> all = new ArrayList<>();
        sandbox.messages(Integer.MAX_VALUE).forEach(all::add);
        Collections.reverse(all);
        return all.stream().filter(m -> !m.has("ephemeralTo")).toList();
    }

    /** The messages whose metadata names {@code alertId}, alone or in a digest's list. */
    public List<JsonNode> messagesWith(String alertId) {
        return messages().stream().filter(m -> alertIds(m.path("metadata")).contains(alertId)).toList();
    }

    /** The message {@code ts} of {@code channel} as it is now. */
    public JsonNode message(String channel, String ts) {
        return messages().stream().filter(m -> m.path("ts").asString("").equals(ts)
                && m.path("channel").asString("").equals(channel)).findFirst().orElseThrow();
    }

    /**
     * A message the bot posted before the test began (before a crash, say), with Leadflow's metadata for {@code alertIds}
     * (one: a single alert; more: a digest listing them, the first as its own). Answers its ts.
     */
    public String postedEarlier(String channel, String text, String eventType, String... alertIds) {
        ObjectNode arguments = JsonNodeFactory.instance.objectNode().put("channel", channel).put("text", text);
        ObjectNode payload = arguments.putObject("metadata").put("event_type", eventType).putObject("event_payload");
        payload.put("alertId", alertIds[0]).put("kind", "NEW_LEAD");
        if (alertIds.length > 1) {
            payload.put("count", alertIds.length);
            for (String id : alertIds) {
                payload.withArray("alerts").addObject().put("alertId", id);
            }
        }
        SlackSandbox.Answer answer = sandbox.seed(arguments);
        return answer.body().path("ts").asString();
    }

    /** Every alert a message's metadata names: a digest's {@code alerts[].alertId} in order, else its one alert id. */
    public static List<String> alertIds(JsonNode metadata) {
        JsonNode payload = metadata.path("event_payload");
        List<String> ids = new ArrayList<>();
        if (payload.path("alerts").isArray()) {
            payload.path("alerts").forEach(a -> ids.add(a.path("alertId").asString("")));
        } else if (payload.has("alertId")) {
            ids.add(payload.path("alertId").asString(""));
        }
        return ids;
    }

    /** One Web API call as the sandbox received it, and its answer. */
    public record Call(SlackSandbox.SlackCall call) {

        public JsonNode body() {
            return call.arguments();
        }

        public Instant at() {
            return call.at();
        }

        public String channel() {
            return call.channel();
        }

        /** Whether the bot token came as {@code Authorization: Bearer} (the sandbox accepts no other token than {@link #TOKEN}). */
        public boolean bearer() {
            return call.bearer();
        }

        /** Answered HTTP 200 with {@code "ok": true}. */
        public boolean ok() {
            return call.status() == 200 && call.answer().path("ok").asBoolean(false);
        }

        /** The ts the answer gave ({@code ts}, or {@code message_ts} for an ephemeral message). */
        public String answeredTs() {
            JsonNode answer = call.answer();
            return answer.has("message_ts") ? answer.path("message_ts").asString() : answer.path("ts").asString("");
        }

        public String alertId() {
            return body().path("metadata").path("event_payload").path("alertId").asString("");
        }

        /** Every alert the message carries: a digest's {@code alerts[].alertId}, in its order; else the one alert id. */
        public List<String> alertIds() {
            return SandboxSlack.alertIds(body().path("metadata"));
        }

        public boolean isDigest() {
            return body().path("metadata").path("event_payload").path("alerts").isArray();
        }

        /** Whether the message has a button with this {@code action_id}. */
        public boolean hasButton(String actionId) {
            return SandboxSlack.hasButton(body(), actionId);
        }
    }

    public static boolean hasButton(JsonNode message, String actionId) {
        for (JsonNode block : message.path("blocks")) {
            for (JsonNode element : block.path("elements")) {
                if (actionId.equals(element.path("action_id").asString(null))) {
                    return true;
                }
            }
        }
        return false;
    }
}
