package io.leadflow.sandbox.slack;

import io.leadflow.sandbox.SandboxStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static io.leadflow.sandbox.slack.SlackSandbox.JSON;

/**
 * The Slack workspace's messages and their timestamps, journaled to disk when kept there. Callers hold the sandbox's lock.
 */
final class SlackMessageStore {

    private static final Logger log = LoggerFactory.getLogger(SlackMessageStore.class);

    private final Map<String, List<ObjectNode>> messagesByChannel = new LinkedHashMap<>();
    /** Ephemeral messages, oldest first: shown to one user, never in a conversation's history. */
    private final List<ObjectNode> ephemeral = new ArrayList<>();
    /**
     * Where every change is journalled before it is answered ({@code slack.json} and {@code slack.json.journal}); null
     * while the workspace lives in memory only.
     */
    private SandboxStore journal;
    private long lastTsMicros;
    /** Channels created with {@code conversations.create}, by id, each with its members and Slack Connect invites. */
    private final Map<String, ObjectNode> channels = new LinkedHashMap<>();

    /** A created channel by its id, or null. */
    ObjectNode channel(String id) {
        return channels.get(id);
    }

    /** A created channel by its name (names are unique in a workspace), or null. */
    ObjectNode channelNamed(String name) {
        for (ObjectNode channel : channels.values()) {
            if (channel.path("name").asString("").equals(name)) {
                return channel;
            }
        }
        return null;
    }

    /** Every created channel, oldest first. */
    List<ObjectNode> channels() {
        return List.copyOf(channels.values());
    }

    /** Adds or replaces a created channel (with its members and invites) and journals it. */
    void putChannel(ObjectNode channel) {
        channels.put(channel.path("id").asString(), channel);
        journal("channel", channel.path("id").asString(), channel);
    }

    /** A conversation's messages, oldest first (a new empty list for an unknown conversation). */
    List<ObjectNode> conversation(String channel) {
        return messagesByChannel.getOrDefault(channel, new ArrayList<>());
    }

    /** Adds a message to the end of a conversation and journals it. */
    void post(String channel, ObjectNode message) {
        messagesByChannel.computeIfAbsent(channel, c -> new ArrayList<>()).add(message);
        journal("post", channel, message);
    }

    /** Keeps an ephemeral message (shown to one user, in no history) and journals it. */
    void postEphemeral(String channel, ObjectNode message) {
        ephemeral.add(message);
        journal("ephemeral", channel, message);
    }

    /** A new message timestamp, {@code seconds.micros}, always later than every one handed out before. */
    String nextTs(Instant now) {
        long micros = Math.max(now.getEpochSecond() * 1_000_000 + now.getNano() / 1000, lastTsMicros + 1);
        lastTsMicros = micros;
        return String.format(Locale.ROOT, "%d.%06d", micros / 1_000_000, micros % 1_000_000);
    }

    /** Records a change in the journal, once it is made. */
    void journal(String op, String channel, ObjectNode message) {
        if (journal == null) {
            return;
        }
        ObjectNode change = JSON.createObjectNode().put("op", op).put("channel", channel).put("lastTsMicros", lastTsMicros);
        if (message != null) {
            change.set("message", message.deepCopy());
        }
        journal.appendUnforced(change);
        if (journal.journalOutgrewSnapshot()) {
            journal.write(snapshot());
        }
    }

    /**
     * Records that the message {@code ts} of {@code channel} was deleted, then compacts: the journal would otherwise keep
     * the deleted message's text on disk until it next outgrew the snapshot (a deletion is how a person is erased).
     */
    void journalDelete(String channel, String ts) {
        if (journal != null) {
            journal("delete", channel, JSON.createObjectNode().put("ts", ts));
            journal.write(snapshot());
        }
    }

    /**
     * Records that a message's content was replaced, then compacts like {@link #journalDelete}: the journal would keep
     * the earlier text (replacing a digest's text is how an erased person leaves a message that lists others too).
     */
    void journalReplaced(String channel, ObjectNode message) {
        if (journal != null) {
            journal("update", channel, message);
            journal.write(snapshot());
        }
    }

    /** The store to {@link SandboxStore#sync} before answering, or null while the workspace lives in memory only. */
    SandboxStore journal() {
        return journal;
    }

    /** Forgets every message and ephemeral message (on disk too, when kept there); timestamps still never go back. */
    void clear() {
        messagesByChannel.clear();
        ephemeral.clear();
        channels.clear();
        if (journal != null) {
            journal.write(snapshot());
        }
    }

    /** Every message, newest first, as the console shows them (see {@link SlackSandboxState#view}). */
    ArrayNode view(Map<String, String> users, int limit) {
        return SlackSandboxState.view(messagesByChannel, ephemeral, users, limit);
    }

    /**
     * Keeps the messages in {@code directory} from now on, after reading what is there: the snapshot, the changes
     * journalled after it, and a journal of the earlier format ({@code slack.journal}, one bare change a line), which is
     * folded into the new snapshot and removed. Replaying is idempotent (a message is known by its conversation and ts).
     */
    void persistIn(Path directory) {
        if (journal != null) {
            throw new IllegalStateException("The Slack sandbox is already kept in a directory");
        }
        SandboxStore opened = new SandboxStore(directory.resolve("slack.json"));
        SandboxStore.Restored restored = opened.restore();
        restored.snapshot().ifPresent(root -> lastTsMicros = SlackSandboxState.restore(root, lastTsMicros, messagesByChannel, ephemeral, channels));
        Path earlierJournal = directory.resolve("slack.journal");
        for (JsonNode change : earlierJournal(earlierJournal)) {
            lastTsMicros = SlackSandboxState.replay(change, lastTsMicros, messagesByChannel, ephemeral, channels);
        }
        for (JsonNode change : restored.changes()) {
            lastTsMicros = SlackSandboxState.replay(change, lastTsMicros, messagesByChannel, ephemeral, channels);
        }
        opened.write(snapshot());
        try {
            Files.deleteIfExists(earlierJournal);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot remove " + earlierJournal + ", already folded into the snapshot", e);
        }
        journal = opened;
    }

    /** Folds the journal into a new snapshot and lets the files go. */
    void close() {
        if (journal != null) {
            journal.write(snapshot());
            journal.close();
            journal = null;
        }
    }

    /** The whole lines of a journal of the earlier format; a last line torn by a crash was never answered and is dropped. */
    private static List<JsonNode> earlierJournal(Path file) {
        List<JsonNode> changes = new ArrayList<>();
        if (!Files.exists(file)) {
            return changes;
        }
        String all;
        try {
            all = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the Slack sandbox's journal " + file, e);
        }
        int start = 0;
        for (int end = all.indexOf('\n'); end >= 0; start = end + 1, end = all.indexOf('\n', start)) {
            String line = all.substring(start, end);
            if (!line.isBlank()) {
                try {
                    changes.add(JSON.readTree(line));
                } catch (RuntimeException e) {
                    log.warn("Skipping an unreadable line of {}", file);
                }
            }
        }
        if (start < all.length()) {
            log.warn("Dropping the last line of {}: it was torn by a crash before it was acknowledged", file);
        }
        return changes;
    }

    private ObjectNode snapshot() {
        return SlackSandboxState.snapshot(lastTsMicros, messagesByChannel, ephemeral, channels);
    }
}
