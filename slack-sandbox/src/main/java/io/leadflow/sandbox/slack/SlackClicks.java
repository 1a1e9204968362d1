package io.leadflow.sandbox.slack;

import io.leadflow.sandbox.slack.SlackSandbox.Answer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static io.leadflow.sandbox.slack.SlackSandbox.JSON;

/**
 * A person clicking a message's button in the {@link SlackSandbox}: the {@code block_actions} payload Slack would
 * send, and the calls to the {@code response_url} handed out with it. Callers hold the sandbox's lock.
 */
final class SlackClicks {

    /** How long a click's {@code response_url} may be used, and how often, as Slack allows. */
    static final Duration RESPONSE_URL_LIFETIME = Duration.ofMinutes(30);
    static final int RESPONSE_URL_USES = 5;

    private static final String TEAM_NUMBER = "4000001";
    private static final String APP_ID = "A0LEADFLOW";
    /** Slack's deprecated verification token, still sent in payloads; apps must verify the signature instead. */
    private static final String VERIFICATION_TOKEN = "sandbox-verification-token";

    private record ResponseUrl(String channel, String messageTs, String user, Instant expires, int[] uses) {
    }

    private final SlackMethods methods;
    private final SlackMessageStore store;
    private final Map<String, String> users;
    private final SecureRandom random;
    /** The response URLs handed out with clicks, by their secret part. */
    private final Map<String, ResponseUrl> responseUrls = new HashMap<>();

    SlackClicks(SlackMethods methods, SlackMessageStore store, Map<String, String> users, SecureRandom random) {
        this.methods = methods;
        this.store = store;
        this.users = users;
        this.random = random;
    }

    /** Forgets every response URL handed out. */
    void clear() {
        responseUrls.clear();
    }

    /**
     * What Slack sends the app when {@code user} clicks the button {@code actionId} of the message {@code ts} in
     * {@code channel}: a {@code block_actions} payload
     * (https://docs.slack.dev/reference/interaction-payloads/block_actions-payload) with the user, the container
     * (message ts, channel), the channel, the message as it is now, a {@code trigger_id}, a {@code response_url} and
     * the action ({@code action_id}, {@code block_id}, {@code value}, {@code text}, {@code type}, {@code action_ts}).
     * Only someone in the conversation sees the message, so only they can click: a DM's buttons only its user.
     *
     * @param wantedBlock     the {@code block_id} of the button's block; null or empty takes the first button
     *                        {@code actionId} of the message (a digest has one per lead)
     * @param user            the clicking user's id; empty picks the DM's user
     * @param responseUrlBase where this sandbox takes {@code response_url} calls ({@code .../<secret>} is appended)
     * @throws IllegalArgumentException naming the field ({@code ts:}, {@code actionId:}, {@code user:}) that is wrong
     */
    ObjectNode click(String channel, String ts, String wantedBlock, String actionId, String user, String responseUrlBase, Instant now) {
        ObjectNode message = store.conversation(channel == null ? "" : channel).stream()
                .filter(m -> m.path("ts").asString("").equals(ts)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("ts: no message " + ts + " in " + channel));
        ObjectNode action = null;
        String blockId = null;
        for (JsonNode block : message.path("blocks")) {
            if (wantedBlock != null && !wantedBlock.isBlank() && !wantedBlock.equals(block.path("block_id").asString(""))) {
                continue;
            }
            List<JsonNode> elements = new ArrayList<>();
            block.path("elements").forEach(elements::add);
            if (block.has("accessory")) {
                elements.add(block.path("accessory"));
            }
            for (JsonNode element : elements) {
                if ("button".equals(element.path("type").asString("")) && element.path("action_id").asString("").equals(actionId)) {
                    action = (ObjectNode) element;
                    blockId = block.path("block_id").asString("");
                    break;
                }
            }
            if (action != null) {
                break;
            }
        }
        if (action == null) {
            throw new IllegalArgumentException("actionId: message " + ts + " has no button " + actionId
                    + (wantedBlock == null || wantedBlock.isBlank() ? "" : " in block " + wantedBlock));
        }
        String clicker = user == null || user.isBlank()
                ? (channel.startsWith("D") ? "U" + channel.substring(1) : "") : user.trim();
        if (!methods.isMember(clicker, channel)) {
            throw new IllegalArgumentException("user: " + (clicker.isEmpty() ? "a user id is needed" : clicker
                    + " is not in " + channel + " and cannot see its messages"));
        }
        String secret = methods.randomId(24);
        responseUrls.put(secret, new ResponseUrl(channel, ts, clicker, now.plus(RESPONSE_URL_LIFETIME), new int[] {0}));
        responseUrls.values().removeIf(r -> r.expires().isBefore(now));

        ObjectNode payload = JSON.createObjectNode();
        payload.put("type", "block_actions");
        String email = users.getOrDefault(clicker, "");
        String name = email.contains("@") ? email.substring(0, email.indexOf('@')) : clicker;
        payload.putObject("user").put("id", clicker).put("username", name).put("name", name).put("team_id", SlackSandbox.TEAM);
        payload.put("api_app_id", APP_ID);
        payload.put("token", VERIFICATION_TOKEN);
        payload.putObject("container").put("type", "message").put("message_ts", ts).put("channel_id", channel)
                .put("is_ephemeral", false);
        payload.put("trigger_id", (now.getEpochSecond() * 1000 + random.nextInt(1000)) + "." + TEAM_NUMBER + "." + randomHex(32));
        payload.putObject("team").put("id", SlackSandbox.TEAM).put("domain", "leadflow-local");
        payload.putNull("enterprise");
        payload.put("is_enterprise_install", false);
        payload.putObject("channel").put("id", channel).put("name", channel.startsWith("D") ? "directmessage" : channel.toLowerCase(Locale.ROOT));
        ObjectNode shown = message.deepCopy();
        shown.remove("metadata");
        payload.set("message", shown);
        payload.putObject("state").putObject("values");
        payload.put("response_url", responseUrlBase + "/" + secret);
        ObjectNode clicked = payload.putArray("actions").addObject();
        clicked.put("action_id", actionId);
        clicked.put("block_id", blockId);
        clicked.set("text", action.path("text").deepCopy());
        if (action.has("value")) {
            clicked.put("value", action.path("value").asString(""));
        }
        if (action.has("style")) {
            clicked.put("style", action.path("style").asString(""));
        }
        clicked.put("type", "button");
        clicked.put("action_ts", store.nextTs(now));
        return payload;
    }

    Answer respond(String secret, ObjectNode body, Instant now) {
        ResponseUrl url = responseUrls.get(secret);
        if (url == null || url.expires().isBefore(now)) {
            return new Answer(404, JSON.createObjectNode().put("ok", false).put("error", "expired_url"), Map.of());
        }
        if (url.uses()[0] >= RESPONSE_URL_USES) {
            return new Answer(404, JSON.createObjectNode().put("ok", false).put("error", "used_url"), Map.of());
        }
        JsonNode blocks;
        try {
            blocks = SlackMethods.blocks(body.path("blocks"));
        } catch (RuntimeException e) {
            return SlackSandbox.fail("invalid_blocks_format");
        }
        String text = body.path("text").asString("");
        boolean delete = body.path("delete_original").asBoolean(false);
        if (!delete && text.isBlank() && (blocks == null || blocks.isEmpty())) {
            return SlackSandbox.fail("no_text");
        }
        url.uses()[0]++;
        List<ObjectNode> conversation = store.conversation(url.channel());
        if (delete) {
            conversation.removeIf(m -> m.path("ts").asString("").equals(url.messageTs()));
            store.journalDelete(url.channel(), url.messageTs());
            return SlackSandbox.ok(o -> { });
        }
        if (body.path("replace_original").asBoolean(false)) {
            for (ObjectNode message : conversation) {
                if (message.path("ts").asString("").equals(url.messageTs())) {
                    message.put("text", text);
                    if (blocks != null) {
                        message.set("blocks", methods.withBlockIds(blocks));
                    } else {
                        message.remove("blocks");
                    }
                    store.journalReplaced(url.channel(), message);
                    return SlackSandbox.ok(o -> { });
                }
            }
            return SlackSandbox.fail("message_not_found");
        }
        ObjectNode args = JSON.createObjectNode().put("channel", url.channel()).put("text", text);
        if (blocks != null) {
            args.set("blocks", blocks);
        }
        if ("in_channel".equals(body.path("response_type").asString(""))) {
            Answer posted = methods.postMessage(args, now);
            return posted.body().path("ok").asBoolean(false) ? SlackSandbox.ok(o -> { }) : posted;
        }
        args.put("user", url.user());
        Answer posted = methods.postEphemeral(args, now);
        return posted.body().path("ok").asBoolean(false) ? SlackSandbox.ok(o -> { }) : posted;
    }

    private String randomHex(int length) {
        StringBuilder hex = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            hex.append(Character.forDigit(random.nextInt(16), 16));
        }
        return hex.toString();
    }
}
