package io.leadflow.sandbox.slack;

import io.leadflow.sandbox.RecordedCall;
import io.leadflow.sandbox.SandboxStore;
import io.leadflow.sandbox.SandboxToken;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * An in-memory Slack workspace answering the Web API methods Leadflow calls as Slack does: HTTP 200 with
 * {@code "ok": true|false} and an {@code error} code, bearer-token auth, {@code chat.postMessage} (with
 * Block Kit blocks and message metadata), {@code conversations.open} for a rep's DM,
 * {@code conversations.history} (newest first, paged, metadata on request), {@code chat.update}, {@code chat.delete},
 * {@code chat.postEphemeral}, {@code auth.test}, {@code users.lookupByEmail}, channels ({@code conversations.create},
 * {@code conversations.invite}, {@code conversations.inviteShared} for Slack Connect, {@code conversations.list},
 * {@code conversations.info}), and Slack's per-channel posting
 * limit (a short burst, then one message a second) answered with HTTP 429 and {@code Retry-After}. Every call is
 * recorded. A person can click a message's buttons ({@link #click}): that gives the {@code block_actions} payload
 * Slack would send to the app's interactivity URL (signed and sent by {@link SlackInteractions}).
 *
 * <p>This class checks the token, applies faults, keeps calls and changes durable and serves the console; the methods
 * themselves are {@link SlackMethods}, the messages {@link SlackMessageStore}, the posting limit {@link SlackRateLimit},
 * the call log {@link SlackCallLog} and clicks {@link SlackClicks}, all under this sandbox's one lock.
 */
public final class SlackSandbox implements AutoCloseable {

    static final ObjectMapper JSON = JsonMapper.builder().build();
    static final String TEAM = "T0LOCAL";

    /** Guards every part below but the faults and the required token. */
    private final Object lock = new Object();
    private volatile SandboxToken requiredToken;
    private final Clock clock;
    private final Map<String, String> users;
    private final SlackFaults faults;
    private final SlackMessageStore store = new SlackMessageStore();
    private final SlackRateLimit rateLimit;
    private final SlackMethods methods;
    private final SlackCallLog calls;
    /** Clicks on buttons and the response URLs they hand out. */
    private final SlackClicks clicks;

    /**
     * @param burst messages a channel may receive back to back before Slack's one-per-second pace applies
     * @param users known users: Slack user id → email (for {@code users.lookupByEmail} and display)
     */
    public SlackSandbox(Clock clock, int burst, int recordedCalls, Map<String, String> users) {
        this.clock = clock;
        this.users = Map.copyOf(users);
        this.faults = new SlackFaults(clock);
        this.rateLimit = new SlackRateLimit(burst);
        this.calls = new SlackCallLog(recordedCalls);
        SecureRandom random = new SecureRandom();
        this.methods = new SlackMethods(store, rateLimit, this.users, random);
        this.clicks = new SlackClicks(methods, store, this.users, random);
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
            methods.slackConnect(true);
            clicks.clear();
            rateLimit.clear();
            calls.clear();
            store.clear();
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
        record(new SlackCall(now, httpMethod, method, SlackCallLog.withoutToken(arguments), contentType, bearer, answer.status(),
                SlackCallLog.kept(answer.body())));
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
            answer = methods.postMessage(arguments, now, false);
        }
        durable();
        return answer;
    }

    /**
     * A person writes {@code text} in a conversation (a channel id, or {@code D...} for a DM), as in Slack's own client: not
     * an API call, and not the bot's message, so the bot can neither update nor delete it.
     *
     * @return the message's {@code ts}
     */
    public String say(String channel, String user, String text) {
        Instant now = clock.instant();
        String ts;
        synchronized (lock) {
            ts = store.nextTs(now);
            store.post(channel, JSON.createObjectNode().put("type", "message").put("user", user).put("text", text).put("ts", ts).put("team", TEAM));
        }
        durable();
        return ts;
    }

    /** Returns once every change made so far is on disk (when the workspace is kept on disk at all). */
    private void durable() {
        SandboxStore j;
        synchronized (lock) {
            j = store.journal();
        }
        if (j != null) {
            j.sync();
        }
    }

    private Answer apply(String method, ObjectNode arguments, Instant now) {
        synchronized (lock) {
            return methods.answer(method, arguments, now);
        }
    }

    private void record(SlackCall call) {
        synchronized (lock) {
            calls.record(call);
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

    static Answer ok(java.util.function.Consumer<ObjectNode> fill) {
        ObjectNode body = JSON.createObjectNode().put("ok", true);
        fill.accept(body);
        return new Answer(200, body, Map.of());
    }

    static Answer fail(String error) {
        return new Answer(200, JSON.createObjectNode().put("ok", false).put("error", error), Map.of());
    }

    // ---------------------------------------------------------------------------------------------
    // A person clicking a button

    /**
     * What Slack sends the app when {@code user} clicks the button {@code actionId} of the message {@code ts} in
     * {@code channel}: a {@code block_actions} payload (see {@link SlackClicks#click}).
     *
     * @param user            the clicking user's id; empty picks the DM's user
     * @param responseUrlBase where this sandbox takes {@code response_url} calls ({@code .../<secret>} is appended)
     * @throws IllegalArgumentException naming the field ({@code ts:}, {@code actionId:}, {@code user:}) that is wrong
     */
    public ObjectNode click(String channel, String ts, String actionId, String user, String responseUrlBase) {
        return click(channel, ts, null, actionId, user, responseUrlBase);
    }

    /**
     * The same, for the button {@code actionId} of the block {@code blockId} (a digest shows an Accept button for each of
     * its leads, each in an actions block of its own); null or empty: the first such button of the message.
     */
    public ObjectNode click(String channel, String ts, String blockId, String actionId, String user, String responseUrlBase) {
        Instant now = clock.instant();
        synchronized (lock) {
            return clicks.click(channel, ts, blockId, actionId, user, responseUrlBase, now);
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

    /**
     * Puts the workspace on a free plan (false), without Slack Connect: {@code conversations.inviteShared} answers
     * {@code not_paid}; true (the default) is a paid one.
     */
    public void slackConnect(boolean available) {
        synchronized (lock) {
            methods.slackConnect(available);
        }
    }

    /**
     * Every channel created with {@code conversations.create}, oldest first, as {@code conversations.info} shows it plus
     * its {@code members} (user ids, the bot's first) and its Slack Connect {@code invites} ({@code invite_id},
     * {@code email} or {@code user_id}, {@code external_limited}).
     */
    public ArrayNode channels() {
        synchronized (lock) {
            ArrayNode out = JSON.createArrayNode();
            store.channels().forEach(c -> out.add(c.deepCopy()));
            return out;
        }
    }

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
            return store.view(users, limit);
        }
    }

    /** The most recent calls, newest first, shortened for the console. */
    public List<RecordedCall> calls(int limit) {
        return SlackCallLog.forConsole(slackCalls(), limit);
    }

    /** The calls kept (the most recent {@code recordedCalls}), oldest first; a page of messages or channels as its size. */
    public List<SlackCall> slackCalls() {
        synchronized (lock) {
            return calls.all();
        }
    }

    /** The calls of one method kept, oldest first, in full. */
    public List<SlackCall> slackCalls(String method) {
        return slackCalls().stream().filter(c -> c.method().equals(method)).toList();
    }

    public long rateLimitedCount() {
        synchronized (lock) {
            return rateLimit.refused();
        }
    }

    /**
     * Keeps the workspace in {@code directory} from now on, crash-safe: what is there ({@code slack.json} and the
     * journal of changes since) is read first, and every change is on disk before the call that made it is answered
     * (see {@link SandboxStore}; calls answered together share one force). Call once, before the sandbox is served.
     */
    public void persistIn(Path directory) {
        synchronized (lock) {
            store.persistIn(directory);
        }
    }

    /** Folds the journal into a new snapshot and lets the files go; nothing is lost without it either. */
    @Override
    public void close() {
        synchronized (lock) {
            store.close();
        }
    }
}
