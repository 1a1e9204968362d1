package io.leadflow.sandbox.slack;

import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

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

    /** Changes the journal takes before it is folded into a new snapshot. */
    static final int COMPACT_AFTER = 20_000;

    private final Map<String, List<ObjectNode>> messagesByChannel = new LinkedHashMap<>();
    /** Ephemeral messages, oldest first: shown to one user, never in a conversation's history. */
    private final List<ObjectNode> ephemeral = new ArrayList<>();
    /** Where every change goes before it is answered; null while the workspace lives in memory only. */
    private SlackJournal journal;
    private long lastTsMicros;

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
        journal.append(change);
        if (journal.wantsCompaction()) {
            journal.restart(snapshot());
        }
    }

    /** Records that the message {@code ts} of {@code channel} was deleted. */
    void journalDelete(String channel, String ts) {
        if (journal != null) {
            journal("delete", channel, JSON.createObjectNode().put("ts", ts));
        }
    }

    /** The journal to sync before answering, or null while the workspace lives in memory only. */
    SlackJournal journal() {
        return journal;
    }

    /** Forgets every message and ephemeral message (on disk too, when kept there); timestamps still never go back. */
    void clear() {
        messagesByChannel.clear();
        ephemeral.clear();
        if (journal != null) {
            journal.restart(snapshot());
        }
    }

    /** Every message, newest first, as the console shows them (see {@link SlackSandboxState#view}). */
    ArrayNode view(Map<String, String> users, int limit) {
        return SlackSandboxState.view(messagesByChannel, ephemeral, users, limit);
    }

    /** Keeps the messages in {@code directory} from now on, after reading what is there (see {@link SlackJournal}). */
    void persistIn(Path directory) {
        if (journal != null) {
            throw new IllegalStateException("The Slack sandbox is already kept in a directory");
        }
        SlackJournal opened = SlackJournal.open(directory, COMPACT_AFTER,
                root -> lastTsMicros = SlackSandboxState.restore(root, lastTsMicros, messagesByChannel, ephemeral),
                change -> lastTsMicros = SlackSandboxState.replay(change, lastTsMicros, messagesByChannel, ephemeral));
        opened.restart(snapshot());
        journal = opened;
    }

    /** Folds the journal into a new snapshot and lets the files go. */
    void close() {
        if (journal != null) {
            journal.restart(snapshot());
            journal.close();
            journal = null;
        }
    }

    private ObjectNode snapshot() {
        return SlackSandboxState.snapshot(lastTsMicros, messagesByChannel, ephemeral);
    }
}
