package io.leadflow.sandbox.slack;

import io.leadflow.sandbox.SandboxStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The Slack sandbox's workspace on disk: a snapshot ({@code slack.json}, replaced atomically) and an append-only journal
 * of every change since ({@code slack.journal}, one JSON object a line). A change is appended while the sandbox holds
 * its lock and forced to the disk before the call that made it is answered; calls answered together share one force
 * (group commit), so a burst of hundreds of messages costs a few forces, not a rewrite of the whole workspace each.
 * A SIGKILL therefore never loses a change a client saw acknowledged; a line torn by the crash was never acknowledged
 * and is dropped. On opening, the journal is replayed onto the snapshot (replaying is idempotent: a message is known by
 * its conversation and ts), a new snapshot is written, and the journal starts empty again; it is compacted the same way
 * whenever it grows past {@code compactAfter} changes.
 */
final class SlackJournal implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SlackJournal.class);

    private final SandboxStore snapshot;
    private final Path file;
    private final int compactAfter;
    /** Guards {@code written} and {@code forced}; held only for a moment. */
    private final Object counters = new Object();
    /** Held while forcing, so that one force serves every caller waiting. */
    private final Object forcing = new Object();
    private FileChannel channel;
    private long written;
    private long forced;
    private int entries;

    private SlackJournal(Path directory, int compactAfter) {
        this.snapshot = new SandboxStore(directory.resolve("slack.json"));
        this.file = directory.resolve("slack.journal");
        this.compactAfter = compactAfter;
    }

    /** Reads the snapshot and the journal's complete lines: what {@code restore} gets, in order. */
    static SlackJournal open(Path directory, int compactAfter, Consumer<JsonNode> restoreSnapshot, Consumer<JsonNode> replay) {
        SlackJournal journal = new SlackJournal(directory, compactAfter);
        journal.snapshot.read().ifPresent(restoreSnapshot);
        for (JsonNode change : journal.readChanges()) {
            replay.accept(change);
        }
        return journal;
    }

    /** Starts a new journal after {@code state}, the whole workspace now, is the snapshot. Caller holds the sandbox's lock. */
    void restart(ObjectNode state) {
        synchronized (forcing) {
            try {
                if (channel != null) {
                    channel.force(false);
                    channel.close();
                }
                snapshot.write(state);
                force(snapshotFile());
                force(file.getParent());
                channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
                channel.force(true);
                synchronized (counters) {
                    written = 0;
                    forced = 0;
                }
                entries = 0;
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot start the Slack sandbox's journal " + file, e);
            }
        }
    }

    private Path snapshotFile() {
        return file.resolveSibling("slack.json");
    }

    /** The snapshot and the directory entry of its rename reach the disk before the journal they replace is emptied. */
    private static void force(Path path) {
        try (FileChannel c = FileChannel.open(path, StandardOpenOption.READ)) {
            c.force(true);
        } catch (IOException e) {
            log.debug("Could not force {}: {}", path, e.getMessage());
        }
    }

    /** Appends one change. Caller holds the sandbox's lock, so changes are in the order they were made. */
    void append(ObjectNode change) {
        byte[] line = (change.toString() + "\n").getBytes(StandardCharsets.UTF_8);
        try {
            ByteBuffer buffer = ByteBuffer.wrap(line);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the Slack sandbox's journal " + file, e);
        }
        synchronized (counters) {
            written += line.length;
        }
        entries++;
    }

    /** Whether it has grown enough to be folded into a new snapshot. Caller holds the sandbox's lock. */
    boolean wantsCompaction() {
        return entries >= compactAfter;
    }

    /** Returns once everything appended so far is on the disk; one force serves every caller waiting for it. */
    void sync() {
        long target;
        synchronized (counters) {
            target = written;
            if (forced >= target) {
                return;
            }
        }
        synchronized (forcing) {
            long upTo;
            synchronized (counters) {
                if (forced >= target) {
                    return; // another caller's force covered this change
                }
                upTo = written;
            }
            try {
                channel.force(false);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot force the Slack sandbox's journal " + file + " to disk", e);
            }
            synchronized (counters) {
                forced = Math.max(forced, upTo);
            }
        }
    }

    @Override
    public void close() {
        synchronized (forcing) {
            closeChannel();
        }
    }

    private void closeChannel() {
        try {
            if (channel != null) {
                channel.force(false);
                channel.close();
            }
        } catch (IOException e) {
            log.warn("Could not close the Slack sandbox's journal {}: {}", file, e.getMessage());
        }
    }

    private List<JsonNode> readChanges() {
        List<JsonNode> changes = new ArrayList<>();
        if (!Files.exists(file)) {
            return changes;
        }
        try {
            String all = Files.readString(file, StandardCharsets.UTF_8);
            int start = 0;
            for (int end = all.indexOf('\n'); end >= 0; start = end + 1, end = all.indexOf('\n', start)) {
                String line = all.substring(start, end);
                if (line.isBlank()) {
                    continue;
                }
                try {
                    changes.add(SlackSandbox.JSON.readTree(line));
                } catch (RuntimeException e) {
                    log.warn("Skipping an unreadable line of {}", file);
                }
            }
            if (start < all.length()) {
                log.warn("Dropping the last line of {}: it was torn by a crash before it was acknowledged", file);
            }
        } catch (IOException | RuntimeException e) {
            log.warn("Could not read the Slack sandbox's journal {}: {}", file, e.getMessage());
        }
        return changes;
    }
}
