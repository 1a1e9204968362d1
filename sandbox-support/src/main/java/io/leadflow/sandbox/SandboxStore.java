package io.leadflow.sandbox;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A sandbox's state on disk, crash-safe: a <b>snapshot</b> (one JSON file, replaced atomically) and a <b>journal</b> of
 * the changes made since (the file {@code <snapshot>.journal}, one JSON line per change). A change is appended and
 * forced to disk by {@link #append} before the sandbox answers the call that made it, so a process killed at any moment
 * (SIGKILL included) never loses a change a client saw acknowledged; {@link #restore} gives the snapshot and the changes
 * after it, to replay in order.
 *
 * <p>{@link #write} compacts: the whole state becomes the snapshot, stamped with the sequence number of the last change
 * it contains ({@code journalSeq}), and the journal is emptied. A crash between the two leaves journal lines the snapshot
 * already holds; their sequence numbers tell {@link #restore} to skip them. A line half-written when the process died was
 * never acknowledged: it is dropped. A sandbox compacts when {@link #journalOutgrewSnapshot()}, so the cost of rewriting
 * the state is spread over as many bytes of changes as it has (amortised constant per change), and on a clean stop.
 *
 * <p>Callers serialise their changes ({@link #append}) and compactions ({@link #write}) with their own state's lock, so
 * the snapshot and the journal agree on what came first. A store without appends is a plain atomic snapshot file.
 *
 * <p>A sandbox answering many calls at once can instead {@link #appendUnforced} under its lock and {@link #sync} after
 * releasing it, before answering: calls answered together then share one force (group commit), so a burst of hundreds
 * of changes costs a few forces rather than one each, one after the other.
 */
public final class SandboxStore implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SandboxStore.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final long MIN_JOURNAL_BEFORE_COMPACTION = 1 << 20;

    private final Path file;
    private final Path journalFile;
    private FileChannel journal;
    private long seq;
    private long journalBytes;
    private long snapshotBytes;
    /** Lines written to the journal since this store was made, and how many of them are known to be on disk. */
    private long appended;
    private long durable;
    /** Held while forcing in {@link #sync} (and closing), so that one force serves every caller waiting; taken before {@code this}. */
    private final Object forcing = new Object();

    public SandboxStore(Path file) {
        this.file = file;
        this.journalFile = file.resolveSibling(file.getFileName() + ".journal");
    }

    /** What {@link #restore} found: the snapshot, if any, and the changes journalled after it, oldest first. */
    public record Restored(Optional<JsonNode> snapshot, List<JsonNode> changes) {
    }

    /** The snapshot alone (a store written only with {@link #write}). */
    public synchronized Optional<JsonNode> read() {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            byte[] bytes = Files.readAllBytes(file);
            snapshotBytes = bytes.length;
            return Optional.of(JSON.readTree(bytes));
        } catch (IOException | RuntimeException e) {
            log.warn("Ignoring unreadable sandbox state {}: {}", file, e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * The snapshot and the changes journalled after it, oldest first. A half-written last line (the process died while
     * appending it, before the change was answered) is dropped from the file, so appends continue after the last whole one.
     */
    public synchronized Restored restore() {
        Optional<JsonNode> snapshot = read();
        long after = snapshot.map(s -> s.path("journalSeq").asLong(0)).orElse(0L);
        seq = after;
        List<JsonNode> changes = new ArrayList<>();
        if (!Files.exists(journalFile)) {
            journalBytes = 0;
            return new Restored(snapshot, changes);
        }
        try {
            byte[] bytes = Files.readAllBytes(journalFile);
            int start = 0;
            long whole = 0;
            while (start < bytes.length) {
                int end = indexOf(bytes, (byte) '\n', start);
                if (end < 0) {
                    log.warn("Dropping the half-written last change of {} ({} bytes): it was never answered", journalFile, bytes.length - start);
                    break;
                }
                JsonNode line;
                try {
                    line = JSON.readTree(new String(bytes, start, end - start, StandardCharsets.UTF_8));
                } catch (RuntimeException e) {
                    log.warn("Stopping the replay of {} at an unreadable line (byte {}): {}", journalFile, start, e.getMessage());
                    break;
                }
                long lineSeq = line.path("seq").asLong(0);
                if (lineSeq > after) {
                    changes.add(line.path("change"));
                }
                seq = Math.max(seq, lineSeq);
                start = end + 1;
                whole = start;
            }
            if (whole < bytes.length) {
                try (FileChannel channel = FileChannel.open(journalFile, StandardOpenOption.WRITE)) {
                    channel.truncate(whole);
                    channel.force(true);
                }
            }
            journalBytes = whole;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the sandbox journal " + journalFile, e);
        }
        return new Restored(snapshot, changes);
    }

    /** Appends {@code change} to the journal and forces it to disk: once this returns, a crash cannot lose it. */
    public synchronized void append(JsonNode change) {
        appendUnforced(change);
        try {
            journal.force(false);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot force the sandbox journal " + journalFile + " to disk", e);
        }
        durable = appended;
    }

    /**
     * Appends {@code change} to the journal without waiting for the disk: the caller must {@link #sync} before it answers
     * the call that made the change. Changes keep the order of these calls.
     */
    public synchronized void appendUnforced(JsonNode change) {
        ObjectNode line = JSON.createObjectNode();
        line.put("seq", seq + 1);
        line.set("change", change);
        byte[] bytes = (JSON.writeValueAsString(line) + "\n").getBytes(StandardCharsets.UTF_8);
        try {
            FileChannel channel = journal();
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot journal a sandbox change to " + journalFile, e);
        }
        seq++;
        journalBytes += bytes.length;
        appended++;
    }

    /**
     * Returns once every change appended before this call is on disk. Callers waiting together share one force: while one
     * forces, the others queue, and the next force covers all of them. Call it without holding the lock the appends are
     * made under, so that changes keep being appended during a force.
     */
    public void sync() {
        long target;
        synchronized (this) {
            target = appended;
            if (durable >= target) {
                return;
            }
        }
        synchronized (forcing) {
            long upTo;
            FileChannel channel;
            synchronized (this) {
                if (durable >= target) {
                    return; // another caller's force covered it
                }
                upTo = appended;
                channel = journal;
            }
            if (channel == null) {
                throw new IllegalStateException("The sandbox journal " + journalFile + " was closed before its changes were forced");
            }
            try {
                channel.force(false);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot force the sandbox journal " + journalFile + " to disk", e);
            }
            synchronized (this) {
                durable = Math.max(durable, upTo);
            }
        }
    }

    /** Whether the journal has grown past the snapshot (and past 1 MiB): time to {@link #write} a new snapshot. */
    public synchronized boolean journalOutgrewSnapshot() {
        return journalBytes > Math.max(MIN_JOURNAL_BEFORE_COMPACTION, snapshotBytes);
    }

    /**
     * Makes {@code state}, which must hold every change appended so far, the snapshot (atomically, forced to disk), then
     * empties the journal. Adds {@code journalSeq} to {@code state}.
     */
    public synchronized void write(ObjectNode state) {
        state.put("journalSeq", seq);
        try {
            Path directory = file.toAbsolutePath().getParent();
            Files.createDirectories(directory);
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            byte[] bytes = JSON.writeValueAsBytes(state);
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            forceDirectory(directory);
            snapshotBytes = bytes.length;
            if (journalBytes > 0 || Files.exists(journalFile)) {
                FileChannel channel = journal();
                channel.truncate(0);
                channel.force(true);
                journalBytes = 0;
            }
            durable = appended; // the snapshot, on disk, holds every change appended so far
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot save sandbox state to " + file, e);
        }
    }

    /** Forces what was appended and lets the journal go. */
    @Override
    public void close() {
        synchronized (forcing) {
            synchronized (this) {
                if (journal != null) {
                    try {
                        journal.force(false);
                        durable = appended;
                        journal.close();
                    } catch (IOException e) {
                        log.warn("Could not close the sandbox journal {}: {}", journalFile, e.getMessage());
                    }
                    journal = null;
                }
            }
        }
    }

    private FileChannel journal() throws IOException {
        if (journal == null) {
            Files.createDirectories(journalFile.toAbsolutePath().getParent());
            journal = FileChannel.open(journalFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        }
        return journal;
    }

    /** Makes a rename in {@code directory} durable (a no-op where directories cannot be opened, as on Windows). */
    private static void forceDirectory(Path directory) {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // best effort: the rename itself is atomic either way
        }
    }

    private static int indexOf(byte[] bytes, byte wanted, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == wanted) {
                return i;
            }
        }
        return -1;
    }
}
