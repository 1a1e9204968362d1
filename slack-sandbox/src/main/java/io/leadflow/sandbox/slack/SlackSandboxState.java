package io.leadflow.sandbox.slack;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.leadflow.sandbox.slack.SlackSandbox.JSON;
import static io.leadflow.sandbox.slack.SlackMethods.decimal;

/**
 * The {@link SlackSandbox}'s messages as the console shows them and as they are kept across restarts. Callers hold
 * the sandbox's lock.
 */
final class SlackSandboxState {

    private SlackSandboxState() {
    }

    /**
     * Every message, newest first, each with its channel and (for DMs) the user it went to; ephemeral messages carry
     * {@code ephemeralTo}, the one user who sees them.
     */
    static ArrayNode view(Map<String, List<ObjectNode>> messagesByChannel, List<ObjectNode> ephemeral,
                          Map<String, String> users, int limit) {
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
        for (ObjectNode m : ephemeral) {
            ObjectNode copy = m.deepCopy();
            String user = m.path("ephemeralTo").asString("");
            copy.put("ephemeralToEmail", users.getOrDefault(user, ""));
            if (m.path("channel").asString("").startsWith("D")) {
                copy.put("dmUser", user);
                copy.put("dmUserEmail", users.getOrDefault(user, ""));
            }
            all.add(copy);
        }
        all.sort((a, b) -> decimal(b.path("ts").asString()).compareTo(decimal(a.path("ts").asString())));
        ArrayNode out = JSON.createArrayNode();
        all.stream().limit(limit).forEach(out::add);
        return out;
    }

    /** A copy of the messages and the last timestamp handed out, to be written to the sandbox's store. */
    static ObjectNode snapshot(long lastTsMicros, Map<String, List<ObjectNode>> messagesByChannel, List<ObjectNode> ephemeral,
                               Map<String, ObjectNode> createdChannels) {
        ObjectNode root = JSON.createObjectNode();
        root.put("lastTsMicros", lastTsMicros);
        ObjectNode channels = root.putObject("channels");
        messagesByChannel.forEach((channel, list) -> {
            ArrayNode array = channels.putArray(channel);
            list.forEach(m -> array.add(m.deepCopy()));
        });
        ArrayNode ephemeralMessages = root.putArray("ephemeral");
        ephemeral.forEach(m -> ephemeralMessages.add(m.deepCopy()));
        ArrayNode created = root.putArray("createdChannels");
        createdChannels.values().forEach(c -> created.add(c.deepCopy()));
        return root;
    }

    /**
     * Applies one change of the journal again (see {@link SlackMessageStore#persistIn}); a change already in the workspace changes
     * nothing. Answers the last timestamp handed out, never going back.
     */
    static long replay(JsonNode change, long lastTsMicros, Map<String, List<ObjectNode>> messagesByChannel,
                       List<ObjectNode> ephemeral, Map<String, ObjectNode> channels) {
        long last = Math.max(lastTsMicros, change.path("lastTsMicros").asLong(0));
        String channel = change.path("channel").asString("");
        JsonNode message = change.path("message");
        if (!message.isObject()) {
            return last;
        }
        String ts = message.path("ts").asString("");
        switch (change.path("op").asString("")) {
            case "post", "update" -> {
                List<ObjectNode> conversation = messagesByChannel.computeIfAbsent(channel, c -> new ArrayList<>());
                for (int i = 0; i < conversation.size(); i++) {
                    if (conversation.get(i).path("ts").asString("").equals(ts)) {
                        conversation.set(i, (ObjectNode) message);
                        return last;
                    }
                }
                conversation.add((ObjectNode) message);
            }
            case "ephemeral" -> {
                if (ephemeral.stream().noneMatch(m -> m.path("ts").asString("").equals(ts))) {
                    ephemeral.add((ObjectNode) message);
                }
            }
            case "channel" -> channels.put(channel, (ObjectNode) message);
            case "delete" -> messagesByChannel.getOrDefault(channel, new ArrayList<>())
                    .removeIf(m -> m.path("ts").asString("").equals(ts));
            default -> { }
        }
        return last;
    }

    /** Adds the stored messages; answers the last timestamp handed out, never going back. */
    static long restore(JsonNode root, long lastTsMicros, Map<String, List<ObjectNode>> messagesByChannel,
                        List<ObjectNode> ephemeral, Map<String, ObjectNode> channels) {
        long last = Math.max(lastTsMicros, root.path("lastTsMicros").asLong(0));
        root.path("channels").properties().forEach(e -> {
            List<ObjectNode> list = messagesByChannel.computeIfAbsent(e.getKey(), c -> new ArrayList<>());
            for (JsonNode m : e.getValue()) {
                list.add((ObjectNode) m);
            }
        });
        for (JsonNode m : root.path("ephemeral")) {
            if (m.isObject()) {
                ephemeral.add((ObjectNode) m);
            }
        }
        for (JsonNode c : root.path("createdChannels")) {
            if (c.isObject()) {
                channels.put(c.path("id").asString(), (ObjectNode) c);
            }
        }
        return last;
    }
}
