package io.leadflow.sandbox.slack;

import io.leadflow.sandbox.RecordedCall;
import io.leadflow.sandbox.SandboxToken;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
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
 * {@code chat.postEphemeral}, {@code auth.test} and {@code users.lookupByEmail}, and Slack's per-channel posting
 * limit (a short burst, then one message a second) answered with HTTP 429 and {@code Retry-After}. Every call is
 * recorded. A person can click a message's buttons ({@link #click}): that gives the {@code block_actions} payload
 * Slack would send to the app's interactivity URL (signed and sent by {@link SlackInteractions}).
 */
public final class SlackSandbox implements AutoCloseable {

    static final ObjectMapper JSON = JsonMapper.builder().build();
    /** Changes the journal takes before it is folded into a new snapshot. */
    static final int COMPACT_AFTER = 20_000;
    private static final String BOT_USER = "U0LEADFLOW";
    private static final String BOT_ID = "B0LEADFLOW";
    static final String TEAM = "T0LOCAL";

    private final Object lock = new Object();
    private volatile SandboxToken requiredToken;
    private final Clock clock;
    private final int burst;
    private final int recordedCalls;
    private final Map<String, List<ObjectNode>> messagesByChannel = new LinkedHashMap<>();
    /** Ephemeral messages, oldest first: shown to one user, never in a conversation's history. */
    private final List<ObjectNode> ephemeral = new ArrayList<>();
    private final SecureRandom random = new SecureRandom();
    /** Clicks on buttons and the response URLs they hand out. */
    private final SlackClicks clicks = new SlackClicks(this, random);
    private final Map<String, double[]> buckets = new HashMap<>();
    private final Deque<SlackCall> calls = new ArrayDeque<>();
    private final SlackFaults faults;
    /** Where every change goes before it is answered; null while the workspace lives in memory only. */
    private SlackJournal journal;
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
        this.faults = new SlackFaults(clock);
    }

    /** Failures to answer with instead of Slack's answers, for tests and the chaos suite. */
    public SlackFaults faults() {
        return faults;
    }

    /** As newly started: no messages, ephemeral messages, clicks, calls, spent rate limit, faults or required token. */
    public void reset() {
        faults.clear();
        faults.release();
        requiredToken = null;
        synchronized (lock) {
            messagesByChannel.clear();
            ephemeral.clear();
            clicks.clear();
            buckets.clear();
            calls.clear();
            rateLimited = 0;
            if (journal != null) {
                journal.restart(snapshotLocked());
            }
        }
    }

    /** An HTTP answer: status, JSON body and extra headers. */
    public record Answer(int status, JsonNode body, Map<String, String> headers) {
    }

    /**
     * From now on only this token is accepted (else {@code invalid_auth}), not just any bot or user token: the local
     * stack asks for this when it listens beyond loopback.
     */
    public void requireToken(String token) {
        requiredToken = new SandboxToken(token);
    }

    /**
     * One Web API call as the sandbox received it, in full (the console's {@link RecordedCall}s are shortened).
     *
     * @param at          when it arrived, on the sandbox's clock
     * @param httpMethod  the HTTP method it came with
     * @param method      Web API method, e.g. {@code chat.postMessage}
     * @param arguments   query, form or JSON arguments merged into one object
     * @param contentType the request's {@code Content-Type}, null for a call made in-process
     * @param bearer      whether the token came as {@code Authorization: Bearer} (else as a {@code token} argument)
     * @param status      the HTTP status answered
     * @param answer      the body answered
     */
    public record SlackCall(Instant at, String httpMethod, String method, ObjectNode arguments, String contentType, boolean bearer,
                            int status, JsonNode answer) {

        public String channel() {
            return arguments.path("channel").asString("");
        }
    }

    /**
     * Handles one Web API call.
     *
     * @param httpMethod    the HTTP method it came with, for the call log
     * @param method        Web API method, e.g. {@code chat.postMessage}
     * @param authorization the {@code Authorization} header (the token may also come as a {@code token} argument)
     * @param arguments     query, form or JSON arguments merged into one object
     */
    public Answer handle(String httpMethod, String method, String authorization, ObjectNode arguments) {
        return handle(httpMethod, method, authorization, null, arguments);
    }

    /**
     * Handles one Web API call: the token first, then any {@link #faults() fault}, then the method itself.
     *
     * @param contentType the request's {@code Content-Type}, recorded for tests of a client's requests
     */
    public Answer handle(String httpMethod, String method, String authorization, String contentType, ObjectNode arguments) {
        Instant now = clock.instant();
        boolean bearer = authorization != null && authorization.startsWith("Bearer ");
        Answer refused = authenticate(bearer ? authorization.substring(7).trim() : arguments.path("token").asString(""));
        SlackFaults.Decision fault = refused == null ? faults.decide(method, arguments) : SlackFaults.Decision.NONE;
        faults.await(fault.delay());
        Answer answer;
        if (refused != null) {
            answer = refused;
        } else if (!fault.faulty()) {
            answer = apply(method, arguments, now);
            durable();
        } else {
            if (fault.applyFirst()) {
                apply(method, arguments, now);
                durable();
            }
            if (fault.hold()) {
                faults.hold();
            }
            answer = fault.answer();
        }
        record(new SlackCall(now, httpMethod, method, withoutToken(arguments), contentType, bearer, answer.status(), answer.body()));
        return answer;
    }

    /**
     * Puts a message in a conversation as though the bot had posted it earlier with {@code chat.postMessage} and these
     * arguments (before a crash, say): no token, fault, rate limit or call record applies.
     *
     * @return the answer {@code chat.postMessage} gave (its {@code channel} and {@code ts})
     */
    public Answer seed(ObjectNode arguments) {
        Instant now = clock.instant();
        Answer answer;
        synchronized (lock) {
            answer = postMessage(arguments, now, false);
        }
        durable();
        return answer;
    }

    /** Returns once every change made so far is on disk (when the workspace is kept on disk at all). */
    private void durable() {
        SlackJournal j;
        synchronized (lock) {
            j = journal;
        }
        if (j != null) {
            j.sync();
        }
    }

    /** Records a change in the journal. Caller holds the lock and has made the change. */
    void journal(String op, String channel, ObjectNode message) {
        if (journal == null) {
            return;
        }
        ObjectNode change = JSON.createObjectNode().put("op", op).put("channel", channel).put("lastTsMicros", lastTsMicros);
        if (message != null) {
            change.set("message", message.deepCopy());
        }
        journal.append(change);
        if (journal.wantsCompaction()) {
            journal.restart(snapshotLocked());
        }
    }

    /** Records that the message {@code ts} of {@code channel} was deleted. Caller holds the lock. */
    void journalDelete(String channel, String ts) {
        if (journal != null) {
            journal("delete", channel, JSON.createObjectNode().put("ts", ts));
        }
    }

    /** The arguments as they are kept and shown: a {@code token} argument masked, like every token in Leadflow's logs. */
    private static ObjectNode withoutToken(ObjectNode arguments) {
        ObjectNode copy = arguments.deepCopy();
        if (copy.has("token")) {
            copy.put("token", "***");
        }
        return copy;
    }

    private Answer apply(String method, ObjectNode arguments, Instant now) {
        synchronized (lock) {
            return handleLocked(method, arguments, now);
        }
    }

    private void record(SlackCall call) {
        synchronized (lock) {
            calls.addLast(call);
            while (calls.size() > recordedCalls) {
                calls.removeFirst();
            }
        }
    }

    /** The refusal of a call with this token, or null when it is accepted. */
    private Answer authenticate(String token) {
        if (token.isEmpty()) {
            return fail("not_authed");
        }
        SandboxToken required = requiredToken;
        if (!(token.startsWith("xoxb-") || token.startsWith("xoxp-")) || (required != null && !required.matches(token))) {
            return fail("invalid_auth");
        }
        return null;
    }

    private Answer handleLocked(String method, ObjectNode args, Instant now) {
        return switch (method) {
            case "auth.test" -> ok(o -> o.put("url", "https://leadflow-local.slack.com/").put("team", "Leadflow local")
                    .put("user", "leadflow").put("team_id", TEAM).put("user_id", BOT_USER).put("bot_id", BOT_ID));
            case "chat.postMessage" -> postMessage(args, now);
            case "chat.update" -> update(args, now);
            case "chat.postEphemeral" -> postEphemeral(args, now);
            case "conversations.open" -> open(args);
            case "conversations.history" -> history(args);
            case "users.lookupByEmail" -> lookupByEmail(args);
            default -> fail("unknown_method");
        };
    }

    Answer postMessage(ObjectNode args, Instant now) {
        return postMessage(args, now, true);
    }

    private Answer postMessage(ObjectNode args, Instant now, boolean paced) {
        String channel = resolveChannel(args.path("channel").asString(""));
        if (channel.isEmpty()) {
            return fail("channel_not_found");
        }
        Content content = content(args);
        if (content.refusal() != null) {
            return content.refusal();
        }
        String text = content.text();
        JsonNode blocks = content.blocks();
        if (paced && !take(channel, now)) {
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
            message.set("blocks", withBlockIds(blocks));
        }
        JsonNode metadata = args.path("metadata");
        if (metadata.isString()) {
            metadata = JSON.readTree(metadata.asString());
        }
        if (metadata.isObject()) {
            message.set("metadata", metadata);
        }
        messagesByChannel.computeIfAbsent(channel, c -> new ArrayList<>()).add(message);
        journal("post", channel, message);
        ObjectNode answer = JSON.createObjectNode();
        answer.put("ok", true);
        answer.put("channel", channel);
        answer.put("ts", ts);
        ObjectNode echoed = message.deepCopy();
        echoed.remove("metadata");
        answer.set("message", echoed);
        return new Answer(200, answer, Map.of());
    }

    /**
     * {@code chat.update} as Slack documents it (https://docs.slack.dev/reference/methods/chat.update): the channel
     * must be a conversation id (a DM's {@code D...}, never a user id); {@code blocks} replace the message's blocks,
     * {@code text} without {@code blocks} removes them (and marks the message edited); {@code metadata} is kept unless
     * given. Who may update: only the bot that posted it (https://docs.slack.dev/messaging/modifying-messages). Errors:
     * {@code channel_not_found}, {@code message_not_found} (no such ts, or an ephemeral message),
     * {@code cant_update_message} (not the bot's), {@code no_text}, {@code invalid_blocks}.
     */
    private Answer update(ObjectNode args, Instant now) {
        String channel = args.path("channel").asString("").trim();
        if (channel.isEmpty() || channel.startsWith("#") || channel.startsWith("U") || channel.startsWith("W")) {
            return fail("channel_not_found"); // an id is needed here: a DM by its D... id, not the user's
        }
        String ts = args.path("ts").asString("").trim();
        JsonNode blocks;
        try {
            blocks = blocks(args.path("blocks"));
        } catch (RuntimeException e) {
            return fail("invalid_blocks_format");
        }
        boolean hasText = args.hasNonNull("text") && !args.path("text").asString("").isBlank();
        if (!hasText && blocks == null) {
            return fail("no_text");
        }
        if (blocks != null && (!blocks.isArray() || blocks.size() > 50)) {
            return fail("invalid_blocks");
        }
        JsonNode metadata = args.path("metadata");
        try {
            metadata = metadata.isString() ? JSON.readTree(metadata.asString()) : metadata;
        } catch (RuntimeException e) {
            return fail("invalid_metadata_format");
        }
        for (ObjectNode message : messagesByChannel.getOrDefault(channel, List.of())) {
            if (message.path("ts").asString("").equals(ts)) {
                if (!BOT_USER.equals(message.path("user").asString(""))) {
                    return fail("cant_update_message");
                }
                if (hasText) {
                    message.put("text", args.path("text").asString(""));
                }
                if (blocks != null) {
                    message.set("blocks", withBlockIds(blocks));
                } else {
                    message.remove("blocks");
                }
                if (metadata != null && metadata.isObject()) {
                    if (metadata.isEmpty()) {
                        message.remove("metadata");
                    } else {
                        message.set("metadata", metadata);
                    }
                }
                if (blocks == null) {
                    // Slack marks a message edited when its text changes, not when its blocks are replaced.
                    message.putObject("edited").put("user", BOT_USER).put("ts", nextTs(now));
                }
                journal("update", channel, message);
                ObjectNode answer = JSON.createObjectNode().put("ok", true).put("channel", channel).put("ts", ts)
                        .put("text", message.path("text").asString(""));
                ObjectNode echoed = message.deepCopy();
                echoed.remove("metadata");
                answer.set("message", echoed);
                return new Answer(200, answer, Map.of());
            }
        }
        return fail("message_not_found");
    }

    /**
     * {@code chat.postEphemeral} as Slack documents it (https://docs.slack.dev/reference/methods/chat.postEphemeral):
     * shown only to {@code user}, who must be in {@code channel} (else {@code user_not_in_channel}); the answer is
     * {@code message_ts}. The message is in no conversation's history and cannot be updated with {@code chat.update}.
     */
    Answer postEphemeral(ObjectNode args, Instant now) {
        String channel = resolveChannel(args.path("channel").asString("").trim());
        if (channel.isEmpty()) {
            return fail("channel_not_found");
        }
        String user = args.path("user").asString("").trim();
        if (!isMember(user, channel)) {
            return fail("user_not_in_channel");
        }
        Content content = content(args);
        if (content.refusal() != null) {
            return content.refusal();
        }
        String text = content.text();
        JsonNode blocks = content.blocks();
        String ts = nextTs(now);
        ObjectNode message = JSON.createObjectNode();
        message.put("type", "message");
        message.put("subtype", "bot_message");
        message.put("text", text);
        message.put("user", BOT_USER);
        message.put("bot_id", BOT_ID);
        message.put("ts", ts);
        message.put("channel", channel);
        message.put("ephemeralTo", user);
        if (blocks != null) {
            message.set("blocks", withBlockIds(blocks));
        }
        ephemeral.add(message);
        journal("ephemeral", channel, message);
        return ok(o -> o.put("message_ts", ts));
    }

    /** Who is in a conversation: a DM holds its one user; every channel holds every user of the workspace. */
    boolean isMember(String user, String channel) {
        if (user.isEmpty() || !users.containsKey(user)) {
            return false;
        }
        return !channel.startsWith("D") || channel.equals(directMessage(user));
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

    /** A conversation's messages, oldest first (a new empty list for an unknown conversation). */
    List<ObjectNode> conversation(String channel) {
        return messagesByChannel.getOrDefault(channel, new ArrayList<>());
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

    String nextTs(Instant now) {
        long micros = Math.max(now.getEpochSecond() * 1_000_000 + now.getNano() / 1000, lastTsMicros + 1);
        lastTsMicros = micros;
        return String.format(Locale.ROOT, "%d.%06d", micros / 1_000_000, micros % 1_000_000);
    }

    static JsonNode blocks(JsonNode blocks) {
        if (blocks == null || blocks.isMissingNode() || blocks.isNull()) {
            return null;
        }
        if (blocks.isString()) {
            return JSON.readTree(blocks.asString());
        }
        return blocks;
    }

    /** Slack gives every block without a {@code block_id} one of its own. */
    JsonNode withBlockIds(JsonNode blocks) {
        if (!blocks.isArray()) {
            return blocks;
        }
        ArrayNode copy = JSON.createArrayNode();
        for (JsonNode block : blocks) {
            if (block.isObject() && !block.has("block_id")) {
                ObjectNode withId = ((ObjectNode) block).deepCopy();
                withId.put("block_id", randomId(5));
                copy.add(withId);
            } else {
                copy.add(block);
            }
        }
        return copy;
    }

    String randomId(int length) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        StringBuilder id = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            id.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return id.toString();
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

    static BigDecimal decimal(String value) {
        try {
            return new BigDecimal(value.isBlank() ? "0" : value);
        } catch (NumberFormatException e) {
            return BigDecimal.ZERO;
        }
    }

    static Answer ok(java.util.function.Consumer<ObjectNode> fill) {
        ObjectNode body = JSON.createObjectNode().put("ok", true);
        fill.accept(body);
        return new Answer(200, body, Map.of());
    }

    /** A new message's text and blocks as Slack checks them, or the refusal Slack would answer. */
    private record Content(String text, JsonNode blocks, Answer refusal) {
    }

    private Content content(ObjectNode args) {
        JsonNode blocks;
        try {
            blocks = blocks(args.path("blocks"));
        } catch (RuntimeException e) {
            return new Content(null, null, fail("invalid_blocks_format"));
        }
        String text = args.path("text").asString("");
        if (text.isBlank() && (blocks == null || blocks.isEmpty())) {
            return new Content(null, null, fail("no_text"));
        }
        if (blocks != null && (!blocks.isArray() || blocks.size() > 50)) {
            return new Content(null, null, fail("invalid_blocks"));
        }
        return new Content(text, blocks, null);
    }

    static Answer fail(String error) {
        return new Answer(200, JSON.createObjectNode().put("ok", false).put("error", error), Map.of());
    }

    private static String shorten(String text) {
        return text.length() > 400 ? text.substring(0, 400) + "…" : text;
    }

    // ---------------------------------------------------------------------------------------------
    // A person clicking a button

    /** How long a click's {@code response_url} may be used, and how often, as Slack allows. */
    static final Duration RESPONSE_URL_LIFETIME = Duration.ofMinutes(30);
    static final int RESPONSE_URL_USES = 5;

    /**
     * What Slack sends the app when {@code user} clicks the button {@code actionId} of the message {@code ts} in
     * {@code channel}: a {@code block_actions} payload (see {@link SlackClicks#click}).
     *
     * @param user            the clicking user's id; empty picks the DM's user
     * @param responseUrlBase where this sandbox takes {@code response_url} calls ({@code .../<secret>} is appended)
     * @throws IllegalArgumentException naming the field ({@code ts:}, {@code actionId:}, {@code user:}) that is wrong
     */
    public ObjectNode click(String channel, String ts, String actionId, String user, String responseUrlBase) {
        Instant now = clock.instant();
        synchronized (lock) {
            return clicks.click(channel, ts, actionId, user, responseUrlBase, now);
        }
    }

    /**
     * A call to a click's {@code response_url} (https://docs.slack.dev/messaging/modifying-messages): valid for 30
     * minutes and 5 uses; {@code replace_original} replaces the clicked message's text and blocks,
     * {@code delete_original} deletes it, otherwise the message is posted anew, {@code response_type}
     * {@code in_channel} for everyone or (the default) {@code ephemeral}, to the clicking user only.
     */
    public Answer respond(String secret, ObjectNode body) {
        Instant now = clock.instant();
        Answer answer;
        synchronized (lock) {
            answer = clicks.respond(secret, body, now);
            record(new SlackCall(now, "POST", "response_url", body.deepCopy(), "application/json", false, answer.status(), answer.body()));
        }
        durable();
        return answer;
    }

    // ---------------------------------------------------------------------------------------------
    // What the console shows

    /** The workspace's users: Slack user id → email. */
    public Map<String, String> users() {
        return users;
    }

    /**
     * Every message, newest first, each with its channel and (for DMs) the user it went to; ephemeral messages carry
     * {@code ephemeralTo}, the one user who sees them.
     */
    public ArrayNode messages(int limit) {
        synchronized (lock) {
            return SlackSandboxState.view(messagesByChannel, ephemeral, users, limit);
        }
    }

    /** The most recent calls, newest first, shortened for the console. */
    public List<RecordedCall> calls(int limit) {
        List<SlackCall> list = slackCalls();
        Collections.reverse(list);
        return list.stream().limit(limit).map(c -> new RecordedCall(c.at(), c.httpMethod(), "/" + c.method(), c.status(), shorten(c.arguments().toString()), shorten(c.answer().toString()))).toList();
    }

    /** The calls kept (the most recent {@code recordedCalls}), oldest first, in full. */
    public List<SlackCall> slackCalls() {
        synchronized (lock) {
            return new ArrayList<>(calls);
        }
    }

    /** The calls of one method kept, oldest first, in full. */
    public List<SlackCall> slackCalls(String method) {
        return slackCalls().stream().filter(c -> c.method().equals(method)).toList();
    }

    public long rateLimitedCount() {
        synchronized (lock) {
            return rateLimited;
        }
    }

    /**
     * Keeps the workspace in {@code directory} from now on, crash-safe: what is there ({@code slack.json} and the
     * journal of changes since) is read first, and every change is on disk before the call that made it is answered
     * (see {@link SlackJournal}). Call once, before the sandbox is served.
     */
    public void persistIn(Path directory) {
        synchronized (lock) {
            if (journal != null) {
                throw new IllegalStateException("The Slack sandbox is already kept in a directory");
            }
            SlackJournal opened = SlackJournal.open(directory, COMPACT_AFTER,
                    root -> lastTsMicros = SlackSandboxState.restore(root, lastTsMicros, messagesByChannel, ephemeral),
                    change -> lastTsMicros = SlackSandboxState.replay(change, lastTsMicros, messagesByChannel, ephemeral));
            opened.restart(snapshotLocked());
            journal = opened;
        }
    }

    /** Folds the journal into a new snapshot and lets the files go; nothing is lost without it either. */
    @Override
    public void close() {
        synchronized (lock) {
            if (journal != null) {
                journal.restart(snapshotLocked());
                journal.close();
                journal = null;
            }
        }
    }

    private ObjectNode snapshotLocked() {
        return SlackSandboxState.snapshot(lastTsMicros, messagesByChannel, ephemeral);
    }
}
