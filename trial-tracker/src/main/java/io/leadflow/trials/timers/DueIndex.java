package io.leadflow.trials.timers;

import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The durable timer wheel: a key-value store (with a changelog) of every pending reminder, keyed by
 * {@link DueKey}. Scanning for due reminders reads from the smallest key and stops at the first one in the
 * future, so its cost grows with the number of reminders due, not with the number of running trials.
 *
 * <p>A row's value is whatever its owner needs to fire the reminder without reading anything else (the trial
 * topology keeps a small card of the trial there), so that firing costs one scan and one deletion here.
 */
public final class DueIndex {

    /** Name of the store (and of its changelog, {@code leadflow-trials-trial-due-changelog}). */
    public static final String STORE = "trial-due";

    private final KeyValueStore<String, String> store;

    public DueIndex(KeyValueStore<String, String> store) {
        this.store = store;
    }

    public void add(DueKey key, String value) {
        store.put(key.encode(), value);
    }

    public void remove(DueKey key) {
        store.delete(key.encode());
    }

    /**
     * Up to {@code limit} reminders due at or before {@code now}, in due-time order, with their values; they stay in
     * the index. A range query bounded by {@code now}, so neither RocksDB nor an in-memory store visits a reminder
     * that is not due.
     */
    public List<Due> due(Instant now, int limit) {
        long nowMillis = now.toEpochMilli();
        List<Due> due = new ArrayList<>();
        try (KeyValueIterator<String, String> entries = store.range(DueKey.lowest(), DueKey.upperBound(nowMillis))) {
            while (entries.hasNext() && due.size() < limit) {
                KeyValue<String, String> entry = entries.next();
                if (!DueKey.isDue(entry.key, nowMillis)) {
                    break;
                }
                due.add(new Due(DueKey.decode(entry.key), entry.value));
            }
        }
        return due;
    }

    /** A due reminder and the value its row holds. */
    public record Due(DueKey key, String value) {
    }
}
