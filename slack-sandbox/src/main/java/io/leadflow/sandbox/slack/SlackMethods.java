package io.leadflow.sandbox.slack;

import io.leadflow.sandbox.slack.SlackSandbox.Answer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static io.leadflow.sandbox.slack.SlackSandbox.JSON;
import static io.leadflow.sandbox.slack.SlackSandbox.TEAM;
import static io.leadflow.sandbox.slack.SlackSandbox.fail;
import static io.leadflow.sandbox.slack.SlackSandbox.ok;

/**
 * The Web API methods the Slack sandbox answers, as Slack documents them, over its messages. Callers hold the sandbox's lock.
 */
final class SlackMethods {

    static final String BOT_USER = "U0LEADFLOW";
    private static final String BOT_ID = "B0LEADFLOW";

    private final SlackMessageStore store;
    private final SlackRateLimit rateLimit;
    private final Map<String, String> users;
    private final SecureRandom random;
    /** The {@code conversations.*} methods that make and share channels. */
    private final SlackChannelMethods channels;

    SlackMethods(SlackMessageStore store, SlackRateLimit rateLimit, Map<String, String> users, SecureRandom random) {
        this.store = store;
        this.rateLimit = rateLimit;
        this.users = users;
        this.random = random;
        this.channels = new SlackChannelMethods(store, users, this);
    }

    /** Answers one Web API call whose token was accepted. */
    Answer answer(String method, ObjectNode args, Instant now) {
        return switch (method) {
            case "auth.test" -> ok(o -> o.put("url", "https://leadflow-local.slack.com/").put("team", "Leadflow local")
                    .put("user", "leadflow").put("team_id", TEAM).put("user_id", BOT_USER).put("bot_id", BOT_ID));
            case "chat.postMessage" -> postMessage(args, now);
            case "chat.update" -> update(args, now);
            case "chat.delete" -> delete(args);
            case "chat.postEphemeral" -> postEphemeral(args, now);
            case "conversations.open" -> open(args);
            case "conversations.history" -> history(args);
            case "users.lookupByEmail" -> lookupByEmail(args);
            case "conversations.create" -> channels.create(args, now);
            case "conversations.invite" -> channels.invite(args);
            case "conversations.inviteShared" -> channels.inviteShared(args, now);
            case "conversations.list" -> channels.list(args);
            case "conversations.info" -> channels.info(args);
            default -> fail("unknown_method");
        };
    }

    /** A free workspace (false) has no Slack Connect: {@code conversations.inviteShared} answers {@code not_paid}. */
    void slackConnect(boolean available) {
        channels.slackConnect(available);
    }

    /** {@code chat.postMessage}, within Slack's per-channel posting limit. */
    Answer postMessage(ObjectNode args, Instant now) {
        return postMessage(args, now, true);
    }

    /** {@code chat.postMessage}; {@code paced} false posts regardless of the rate limit (a message posted earlier). */
    Answer postMessage(ObjectNode args, Instant now, boolean paced) {
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
        if (paced && !rateLimit.take(channel, now)) {
            ObjectNode body = JSON.createObjectNode().put("ok", false).put("error", "ratelimited");
            return new Answer(429, body, Map.of("Retry-After", "1"));
        }
        String ts = store.nextTs(now);
        ObjectNode message = botMessage(text, blocks, ts);
        message.put("team", TEAM);
        JsonNode metadata = args.path("metadata");
        if (metadata.isString()) {
            metadata = JSON.readTree(metadata.asString());
        }
        if (metadata.isObject()) {
            message.set("metadata", metadata);
        }
        store.post(channel, message);
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
        String channel = conversationId(args);
        if (channel.isEmpty()) {
            return fail("channel_not_found");
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
        for (ObjectNode message : store.conversation(channel)) {
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
                    message.putObject("edited").put("user", BOT_USER).put("ts", store.nextTs(now));
                }
                store.journalReplaced(channel, message);
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
     * {@code chat.delete} as Slack documents it (https://docs.slack.dev/reference/methods/chat.delete/): {@code channel} (a
     * conversation id, as for {@code chat.update}) and {@code ts} of the message; a bot token "may delete only messages
     * posted by that bot". The message is gone from {@code conversations.history} (and the console) and the deletion is
     * journalled like any change. Answers {@code {"ok": true, "channel", "ts"}}; errors {@code channel_not_found},
     * {@code message_not_found} (no such ts, one deleted before, or an ephemeral message), {@code cant_delete_message}
     * (not the bot's).
     */
    private Answer delete(ObjectNode args) {
        String channel = conversationId(args);
        if (channel.isEmpty()) {
            return fail("channel_not_found");
        }
        String ts = args.path("ts").asString("").trim();
        List<ObjectNode> conversation = store.conversation(channel);
        for (ObjectNode message : conversation) {
            if (message.path("ts").asString("").equals(ts)) {
                if (!BOT_USER.equals(message.path("user").asString(""))) {
                    return fail("cant_delete_message");
                }
                conversation.remove(message);
                store.journalDelete(channel, ts);
                return ok(o -> o.put("channel", channel).put("ts", ts));
            }
        }
        return fail("message_not_found");
    }

    /**
     * The conversation id {@code chat.update} and {@code chat.delete} act in, or empty when Slack would answer
     * {@code channel_not_found}: an id is needed there, a DM by its {@code D...} id, never a user's id or a {@code #name}.
     */
    private static String conversationId(ObjectNode args) {
        String channel = args.path("channel").asString("").trim();
        return channel.startsWith("#") || channel.startsWith("U") || channel.startsWith("W") ? "" : channel;
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
        String ts = store.nextTs(now);
        ObjectNode message = botMessage(text, blocks, ts);
        message.put("channel", channel);
        message.put("ephemeralTo", user);
        store.postEphemeral(channel, message);
        return ok(o -> o.put("message_ts", ts));
    }

    /** A message the bot writes: its text, its blocks (each given a {@code block_id}) and its {@code ts}. */
    private ObjectNode botMessage(String text, JsonNode blocks, String ts) {
        ObjectNode message = JSON.createObjectNode();
        message.put("type", "message");
        message.put("subtype", "bot_message");
        message.put("text", text);
        message.put("user", BOT_USER);
        message.put("bot_id", BOT_ID);
        message.put("ts", ts);
        if (blocks != null) {
            message.set("blocks", withBlockIds(blocks));
        }
        return message;
    }

    /**
     * Who is in a conversation: a DM holds its one user; a created channel its members; every other channel holds every
     * user of the workspace.
     */
    boolean isMember(String user, String channel) {
        if (user.isEmpty() || !users.containsKey(user)) {
            return false;
        }
        ObjectNode created = store.channel(channel);
        if (created != null) {
            return SlackChannelMethods.hasMember(created, user);
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
        List<ObjectNode> all = store.conversation(resolveChannel(channel));
        BigDecimal oldest = decimal(args.path("oldest").asString("0"));
        BigDecimal latest = args.has("latest") ? decimal(args.path("latest").asString("")) : null;
        boolean inclusive = args.path("inclusive").asBoolean(false) || "true".equals(args.path("inclusive").asString(""));
        boolean metadata = args.path("include_all_metadata").asBoolean(false) || "true".equals(args.path("include_all_metadata").asString(""));
        int limit = Math.max(1, Math.min(999, intArg(args, "limit", 100)));
        // Slack's cursor here is base64 of "next_ts:<the next page's first ts, without its dot>", so a page does not
        // shift when messages are posted between two calls (https://docs.slack.dev/reference/methods/conversations.history)
        BigDecimal from = null;
        String cursor = args.path("cursor").asString("").trim();
        if (!cursor.isEmpty()) {
            from = cursorTs(cursor);
            if (from == null) {
                return fail("invalid_cursor");
            }
        }
        List<ObjectNode> newestFirst = new ArrayList<>();
        for (ObjectNode m : all) {
            BigDecimal ts = decimal(m.path("ts").asString());
            int vsOldest = ts.compareTo(oldest);
            boolean afterOldest = inclusive ? vsOldest >= 0 : vsOldest > 0;
            boolean beforeLatest = latest == null || (inclusive ? ts.compareTo(latest) <= 0 : ts.compareTo(latest) < 0);
            if (afterOldest && beforeLatest && (from == null || ts.compareTo(from) <= 0)) {
                newestFirst.add(m);
            }
        }
        Collections.reverse(newestFirst);
        ArrayNode messages = JSON.createArrayNode();
        newestFirst.stream().limit(limit).forEach(m -> {
            ObjectNode copy = m.deepCopy();
            if (!metadata) {
                copy.remove("metadata");
            }
            messages.add(copy);
        });
        boolean more = limit < newestFirst.size();
        ObjectNode answer = JSON.createObjectNode();
        answer.put("ok", true);
        answer.set("messages", messages);
        answer.put("has_more", more);
        answer.put("pin_count", 0);
        answer.putObject("response_metadata").put("next_cursor", more ? nextCursor(newestFirst.get(limit).path("ts").asString()) : "");
        return new Answer(200, answer, Map.of());
    }

    private static String nextCursor(String ts) {
        return Base64.getEncoder().encodeToString(("next_ts:" + ts.replace(".", "")).getBytes(StandardCharsets.UTF_8));
    }

    /** The ts a history cursor starts its page at, or null when it is not one this workspace gave out. */
    private static BigDecimal cursorTs(String cursor) {
        if (cursor.length() > 64) {
            return null;
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(cursor), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
        String digits = decoded.startsWith("next_ts:") ? decoded.substring("next_ts:".length()) : "";
        if (digits.length() < 7 || digits.length() > 20 || !digits.chars().allMatch(Character::isDigit)) {
            return null;
        }
        return new BigDecimal(digits.substring(0, digits.length() - 6) + "." + digits.substring(digits.length() - 6));
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

    /**
     * A user id posts to that user's DM with the bot; {@code #name} to the channel of that name created with
     * {@code conversations.create}, else to a channel id derived from the name.
     */
    private String resolveChannel(String channel) {
        if (channel.startsWith("#")) {
            ObjectNode created = store.channelNamed(channel.substring(1));
            if (created != null) {
                return created.path("id").asString();
            }
        }
        return derivedChannel(channel);
    }

    private static String derivedChannel(String channel) {
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

    static int intArg(ObjectNode args, String name, int fallback) {
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
}
