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
 */
public final class DueIndex {

    /** Name of the store (and of its changelog, {@code leadflow-trials-trial-due-changelog}). */
    public static final String STORE = "trial-due";

    private final KeyValueStore<String, String> store;

    public DueIndex(KeyValueStore<String, String> store) {
        this.store = store;
    }

    public void add(DueKey key) {
        store.put(key.encode(), key.kind().name());
    }

    public void remove(DueKey key) {
        store.delete(key.encode());
    }

    /**
     * Up to {@code limit} reminders due at or before {@code now}, in due-time order; they stay in the index. A range
     * query bounded by {@code now}, so neither RocksDB nor an in-memory store visits a reminder that is not due.
     */
    public List<DueKey> due(Instant now, int limit) {
        long nowMillis = now.toEpochMilli();
        List<DueKey> due = new ArrayList<>();
        try (KeyValueIterator<String, String> entries = store.range(DueKey.lowest(), DueKey.upperBound(nowMillis))) {
            while (entries.hasNext() && due.size() < limit) {
                KeyValue<String, String> entry = entries.next();
                if (!DueKey.isDue(entry.key, nowMillis)) {
                    break;
                }
                due.add(DueKey.decode(entry.key));
            }
        }
        return due;
    }
}
