package io.leadflow.localstack.sandbox.slack;

import io.leadflow.localstack.sandbox.RecordedCall;
import io.leadflow.localstack.sandbox.SandboxStore;
import io.leadflow.localstack.sandbox.SandboxToken;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An in-memory Slack workspace answering the Web API methods Leadflow calls as Slack does: HTTP 200 with
 * {@code "ok": true|false} and an {@code error} code, bearer-token auth, {@code chat.postMessage} (with
 * Block Kit blocks and message metadata), {@code conversations.open} for a rep's DM,
 * {@code conversations.history} (newest first, paged, metadata on request), {@code chat.update},
 * {@code auth.test} and {@code users.lookupByEmail}, and Slack's per-channel posting limit (a short
 * burst, then one message a second) answered with HTTP 429 and {@code Retry-After}. Every call is recorded.
 */
public final class SlackSandbox {

    static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final String BOT_USER = "U0LEADFLOW";
    private static final String BOT_ID = "B0LEADFLOW";
    private static final String TEAM = "T0LOCAL";

    private final Object lock = new Object();
    private volatile SandboxToken requiredToken;
    private final Clock clock;
    private final int burst;
    private final int recordedCalls;
    private final Map<String, List<ObjectNode>> messagesByChannel = new LinkedHashMap<>();
    private final Map<String, double[]> buckets = new HashMap<>();
    private final Deque<RecordedCall> calls = new ArrayDeque<>();
    private final Map<String, String> users;
    private long lastTsMicros;
    private long rateLimited;

    /**
     * @param burst messages a channel may receive back to back before Slack's one-per-second pace applies
     * @param users known users: Slack user id → email (for {@code users.lookupByEmail} and display)
     */
    public SlackSandbox(Clock clock, int burst, int recordedCalls, Map<String, String> users) {
        this.clock = clock;
        this.burst = burst;
        this.recordedCalls = recordedCalls;
        this.users = Map.copyOf(users);
    }

    /** An HTTP answer: status, JSON body and extra headers. */
    public record Answer(int status, JsonNode body, Map<String, String> headers) {
    }

    /**
     * Handles one Web API call.
     *
     * @param method        Web API method, e.g. {@code chat.postMessage}
     * @param authorization the {@code Authorization} header (the token may also come as a {@code token} argument)
     * @param arguments     query, form or JSON arguments merged into one object
     */
    /**
     * From now on only this token is accepted (else {@code invalid_auth}), not just any bot or user token: the local
     * stack asks for this when it listens beyond loopback.
     */
    public void requireToken(String token) {
        requiredToken = new SandboxToken(token);
    }

    public Answer handle(String httpMethod, String method, String authorization, ObjectNode arguments) {
        Instant now = clock.instant();
        synchronized (lock) {
            Answer answer = handleLocked(method, authorization, arguments, now);
            String request = arguments.toString();
            String response = answer.body().toString();
            calls.addLast(new RecordedCall(now, httpMethod, "/" + method, answer.status(), shorten(request), shorten(response)));
            while (calls.size() > recordedCalls) {
                calls.removeFirst();
            }
            return answer;
        }
    }

    private Answer handleLocked(String method, String authorization, ObjectNode args, Instant now) {
        String token = authorization != null && authorization.startsWith("Bearer ") ? authorization.substring(7).trim()
                : args.path("token").asString("");
        if (token.isEmpty()) {
            return fail("not_authed");
        }
        SandboxToken required = requiredToken;
        if (!(token.startsWith("xoxb-") || token.startsWith("xoxp-")) || (required != null && !required.matches(token))) {
            return fail("invalid_auth");
        }
        return switch (method) {
            case "auth.test" -> ok(o -> o.put("url", "https://leadflow-local.slack.com/").put("team", "Leadflow local")
                    .put("user", "leadflow").put("team_id", TEAM).put("user_id", BOT_USER).put("bot_id", BOT_ID));
            case "chat.postMessage" -> postMessage(args, now);
            case "chat.update" -> update(args, now);
            case "conversations.open" -> open(args);
            case "conversations.history" -> history(args);
            case "users.lookupByEmail" -> lookupByEmail(args);
            default -> fail("unknown_method");
        };
    }

    private Answer postMessage(ObjectNode args, Instant now) {
        String channel = resolveChannel(args.path("channel").asString(""));
        if (channel.isEmpty()) {
            return fail("channel_not_found");
        }
        JsonNode blocks = blocks(args.path("blocks"));
        String text = args.path("text").asString("");
        if (text.isBlank() && (blocks == null || blocks.isEmpty())) {
            return fail("no_text");
        }
        if (blocks != null && blocks.size() > 50) {
            return fail("invalid_blocks");
        }
        if (!take(channel, now)) {
            rateLimited++;
            ObjectNode body = JSON.createObjectNode().put("ok", false).put("error", "ratelimited");
            return new Answer(429, body, Map.of("Retry-After", "1"));
        }
        String ts = nextTs(now);
        ObjectNode message = JSON.createObjectNode();
        message.put("type", "message");
        message.put("subtype", "bot_message");
        message.put("text", text);
        message.put("user", BOT_USER);
        message.put("bot_id", BOT_ID);
        message.put("ts", ts);
        message.put("team", TEAM);
        if (blocks != null) {
            message.set("blocks", blocks);
        }
        JsonNode metadata = args.path("metadata");
        if (metadata.isString()) {
            metadata = JSON.readTree(metadata.asString());
        }
        if (metadata.isObject()) {
            message.set("metadata", metadata);
        }
        messagesByChannel.computeIfAbsent(channel, c -> new ArrayList<>()).add(message);
        ObjectNode answer = JSON.createObjectNode();
        answer.put("ok", true);
        answer.put("channel", channel);
        answer.put("ts", ts);
        ObjectNode echoed = message.deepCopy();
        echoed.remove("metadata");
        answer.set("message", echoed);
        return new Answer(200, answer, Map.of());
    }

    private Answer update(ObjectNode args, Instant now) {
        String channel = resolveChannel(args.path("channel").asString(""));
        String ts = args.path("ts").asString("");
        for (ObjectNode message : messagesByChannel.getOrDefault(channel, List.of())) {
            if (message.path("ts").asString("").equals(ts)) {
                if (args.has("text")) {
                    message.put("text", args.path("text").asString(""));
                }
                JsonNode blocks = blocks(args.path("blocks"));
                if (blocks != null) {
                    message.set("blocks", blocks);
                }
                message.putObject("edited").put("user", BOT_USER).put("ts", nextTs(now));
                return ok(o -> o.put("channel", channel).put("ts", ts).put("text", message.path("text").asString("")));
            }
        }
        return fail("message_not_found");
    }

    private Answer open(ObjectNode args) {
        String users = args.path("users").asString(args.path("user").asString(""));
        if (users.isBlank()) {
            return fail("users_list_not_supplied");
        }
        if (users.contains(",")) {
            return ok(o -> o.putObject("channel").put("id", "G" + Integer.toHexString(users.hashCode()).toUpperCase(Locale.ROOT)));
        }
        if (!users.startsWith("U") && !users.startsWith("W")) {
            return fail("user_not_found");
        }
        String dm = directMessage(users);
        return ok(o -> o.putObject("channel").put("id", dm));
    }

    private Answer history(ObjectNode args) {
        String channel = args.path("channel").asString("");
        if (channel.isBlank()) {
            return fail("channel_not_found");
        }
        List<ObjectNode> all = messagesByChannel.getOrDefault(resolveChannel(channel), List.of());
        BigDecimal oldest = decimal(args.path("oldest").asString("0"));
        BigDecimal latest = args.has("latest") ? decimal(args.path("latest").asString("")) : null;
        boolean inclusive = args.path("inclusive").asBoolean(false) || "true".equals(args.path("inclusive").asString(""));
        boolean metadata = args.path("include_all_metadata").asBoolean(false) || "true".equals(args.path("include_all_metadata").asString(""));
        int limit = Math.max(1, Math.min(999, intArg(args, "limit", 100)));
        int start = args.path("cursor").asString("").isBlank() ? 0 : Integer.parseInt(args.path("cursor").asString().replace("bmV4dF9", ""));
        List<ObjectNode> newestFirst = new ArrayList<>();
        for (ObjectNode m : all) {
            BigDecimal ts = decimal(m.path("ts").asString());
            int vsOldest = ts.compareTo(oldest);
            boolean afterOldest = inclusive ? vsOldest >= 0 : vsOldest > 0;
            boolean beforeLatest = latest == null || (inclusive ? ts.compareTo(latest) <= 0 : ts.compareTo(latest) < 0);
            if (afterOldest && beforeLatest) {
                newestFirst.add(m);
            }
        }
        Collections.reverse(newestFirst);
        ArrayNode messages = JSON.createArrayNode();
        newestFirst.stream().skip(start).limit(limit).forEach(m -> {
            ObjectNode copy = m.deepCopy();
            if (!metadata) {
                copy.remove("metadata");
            }
            messages.add(copy);
        });
        boolean more = start + limit < newestFirst.size();
        ObjectNode answer = JSON.createObjectNode();
        answer.put("ok", true);
        answer.set("messages", messages);
        answer.put("has_more", more);
        answer.put("pin_count", 0);
        answer.putObject("response_metadata").put("next_cursor", more ? "bmV4dF9" + (start + limit) : "");
        return new Answer(200, answer, Map.of());
    }

    private Answer lookupByEmail(ObjectNode args) {
        String email = args.path("email").asString("");
        return users.entrySet().stream().filter(e -> e.getValue().equalsIgnoreCase(email)).findFirst()
                .map(e -> ok(o -> {
                    ObjectNode user = o.putObject("user");
                    user.put("id", e.getKey());
                    user.put("team_id", TEAM);
                    user.put("name", e.getValue().substring(0, e.getValue().indexOf('@')));
                    user.putObject("profile").put("email", e.getValue());
                }))
                .orElseGet(() -> fail("users_not_found"));
    }

    /** A user id posts to that user's DM with the bot; {@code #name} to a channel id derived from the name. */
    private static String resolveChannel(String channel) {
        if (channel.isBlank()) {
            return "";
        }
        if (channel.startsWith("U") || channel.startsWith("W")) {
            return directMessage(channel);
        }
        if (channel.startsWith("#")) {
            return "C" + channel.substring(1).toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "");
        }
        return channel;
    }

    static String directMessage(String userId) {
        return "D" + userId.substring(1);
    }

    private boolean take(String channel, Instant now) {
        double seconds = now.toEpochMilli() / 1000.0;
        double[] bucket = buckets.computeIfAbsent(channel, c -> new double[] {burst, seconds});
        bucket[0] = Math.min(burst, bucket[0] + (seconds - bucket[1]));
        bucket[1] = seconds;
        if (bucket[0] < 1) {
            return false;
        }
        bucket[0] -= 1;
        return true;
    }

    private String nextTs(Instant now) {
        long micros = Math.max(now.getEpochSecond() * 1_000_000 + now.getNano() / 1000, lastTsMicros + 1);
        lastTsMicros = micros;
        return String.format(Locale.ROOT, "%d.%06d", micros / 1_000_000, micros % 1_000_000);
    }

    private static JsonNode blocks(JsonNode blocks) {
        if (blocks == null || blocks.isMissingNode() || blocks.isNull()) {
            return null;
        }
        if (blocks.isString()) {
            return JSON.readTree(blocks.asString());
        }
        return blocks;
    }

    private static int intArg(ObjectNode args, String name, int fallback) {
        JsonNode value = args.path(name);
        if (value.isNumber()) {
            return value.asInt();
        }
        try {
            return value.isString() && !value.asString().isBlank() ? Integer.parseInt(value.asString().trim()) : fallback;
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    private static BigDecimal decimal(String value) {
        try {
            return new BigDecimal(value.isBlank() ? "0" : value);
        } catch (NumberFormatException e) {
            return BigDecimal.ZERO;
        }
    }

    private static Answer ok(java.util.function.Consumer<ObjectNode> fill) {
        ObjectNode body = JSON.createObjectNode().put("ok", true);
        fill.accept(body);
        return new Answer(200, body, Map.of());
    }

    private static Answer fail(String error) {
        return new Answer(200, JSON.createObjectNode().put("ok", false).put("error", error), Map.of());
    }

    private static String shorten(String text) {
        return text.length() > 400 ? text.substring(0, 400) + "…" : text;
    }

    // ---------------------------------------------------------------------------------------------
    // What the console shows

    /** Every message, newest first, each with its channel and (for DMs) the user it went to. */
    public ArrayNode messages(int limit) {
        synchronized (lock) {
            List<ObjectNode> all = new ArrayList<>();
            messagesByChannel.forEach((channel, list) -> list.forEach(m -> {
                ObjectNode copy = m.deepCopy();
                copy.put("channel", channel);
                if (channel.startsWith("D")) {
                    String user = "U" + channel.substring(1);
                    copy.put("dmUser", user);
                    copy.put("dmUserEmail", users.getOrDefault(user, ""));
                }
                all.add(copy);
            }));
            all.sort((a, b) -> decimal(b.path("ts").asString()).compareTo(decimal(a.path("ts").asString())));
            ArrayNode out = JSON.createArrayNode();
            all.stream().limit(limit).forEach(out::add);
            return out;
        }
    }

    public List<RecordedCall> calls(int limit) {
        synchronized (lock) {
            List<RecordedCall> list = new ArrayList<>(calls);
            Collections.reverse(list);
            return list.stream().limit(limit).toList();
        }
    }

    public long rateLimitedCount() {
        synchronized (lock) {
            return rateLimited;
        }
    }

    public void saveTo(SandboxStore store) {
        ObjectNode root = JSON.createObjectNode();
        synchronized (lock) {
            root.put("lastTsMicros", lastTsMicros);
            ObjectNode channels = root.putObject("channels");
            messagesByChannel.forEach((channel, list) -> {
                ArrayNode array = channels.putArray(channel);
                list.forEach(array::add);
            });
        }
        store.write(root);
    }

    public void loadFrom(SandboxStore store) {
        store.read().ifPresent(root -> {
            synchronized (lock) {
                lastTsMicros = Math.max(lastTsMicros, root.path("lastTsMicros").asLong(0));
                root.path("channels").properties().forEach(e -> {
                    List<ObjectNode> list = messagesByChannel.computeIfAbsent(e.getKey(), c -> new ArrayList<>());
                    for (JsonNode m : e.getValue()) {
                        list.add((ObjectNode) m);
                    }
                });
            }
        });
    }
}
