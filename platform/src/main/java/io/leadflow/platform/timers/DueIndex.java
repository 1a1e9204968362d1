package io.leadflow.platform.timers;

import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Durable timers for a Kafka Streams processor: a key-value store (with a changelog) of every pending timer, keyed by
 * its due time as fixed-width decimal digits, then {@code |} and the timer's id. The store's byte order is then due-time
 * order, so a scan for due timers reads from the smallest key and stops at the first one in the future: its cost grows
 * with the timers due, not with the timers pending.
 *
 * <p>A wall-clock punctuator scans and fires; with {@code exactly_once_v2} the deletion of a fired row and whatever the
 * firing wrote commit in one transaction, so a timer fires once across crashes, restarts and rebalances, and a timer
 * that fell due while the application was down fires when it starts.
 */
public final class DueIndex {

    private static final char SEPARATOR = '|';
    private static final int WIDTH = 15;

    private final KeyValueStore<String, String> store;

    public DueIndex(KeyValueStore<String, String> store) {
        this.store = store;
    }

    /** The row key of a timer: {@code <due millis, 15 digits>|<id>}. */
    public static String key(Instant dueAt, String id) {
        return digits(dueAt.toEpochMilli()) + SEPARATOR + id;
    }

    public void add(Instant dueAt, String id, String value) {
        store.put(key(dueAt, id), value);
    }

    public void remove(Instant dueAt, String id) {
        store.delete(key(dueAt, id));
    }

    /**
     * Up to {@code limit} timers due at or before {@code now}, oldest first, with their values; they stay in the index
     * until {@linkplain #remove removed}. A range query bounded by {@code now}, so no store visits a timer not yet due.
     */
    public List<Due> due(Instant now, int limit) {
        long nowMillis = now.toEpochMilli();
        List<Due> due = new ArrayList<>();
        try (KeyValueIterator<String, String> entries = store.range(lowest(), upperBound(nowMillis))) {
            while (entries.hasNext() && due.size() < limit) {
                KeyValue<String, String> entry = entries.next();
                int separator = entry.key.indexOf(SEPARATOR);
                long dueAt = Long.parseLong(entry.key.substring(0, separator));
                if (dueAt > nowMillis) {
                    break;
                }
                due.add(new Due(Instant.ofEpochMilli(dueAt), entry.key.substring(separator + 1), entry.value));
            }
        }
        return due;
    }

    /** The smallest possible key. */
    public static String lowest() {
        return digits(0);
    }

    /** A bound above every key due at or before {@code millis} and below every key due later. */
    public static String upperBound(long millis) {
        return digits(millis) + (char) (SEPARATOR + 1);
    }

    /** A due timer: when it was due, its id and the value its row holds. */
    public record Due(Instant dueAt, String id, String value) {
    }

    private static String digits(long millis) {
        if (millis < 0) {
            throw new IllegalArgumentException("due time before 1970: " + Instant.ofEpochMilli(millis));
        }
        String digits = Long.toString(millis);
        return "0".repeat(Math.max(0, WIDTH - digits.length())) + digits;
    }
}
