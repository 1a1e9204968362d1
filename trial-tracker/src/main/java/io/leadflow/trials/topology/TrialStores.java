package io.leadflow.trials.topology;

import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Read access to the topology's stores by interactive query, for the API and the metrics. Reads this instance's
 * partitions only: with several instances, a trial on another instance's partition is not visible here.
 */
public final class TrialStores {

    private final Supplier<KafkaStreams> streams;

    public TrialStores(Supplier<KafkaStreams> streams) {
        this.streams = streams;
    }

    public Optional<TrialState> trial(String trialId) {
        return Optional.ofNullable(store(TrialState.STORE, TrialState.class).get(trialId));
    }

    public Optional<TrialContext> context(String trialId) {
        return Optional.ofNullable(store(TrialContext.STORE, TrialContext.class).get(trialId));
    }

    public List<TrialState> all() {
        List<TrialState> all = new ArrayList<>();
        try (KeyValueIterator<String, TrialState> entries = store(TrialState.STORE, TrialState.class).all()) {
            while (entries.hasNext()) {
                KeyValue<String, TrialState> entry = entries.next();
                all.add(entry.value);
            }
        }
        return all;
    }

    /** Running trials on this instance; -1 when the stores cannot be read (starting, rebalancing, stopped). */
    public long countActive() {
        try {
            return all().stream().filter(t -> t.status() == TrialStatus.ACTIVE).count();
        } catch (Unavailable e) {
            return -1;
        }
    }

    private <V> ReadOnlyKeyValueStore<String, V> store(String name, Class<V> type) {
        KafkaStreams current = streams.get();
        if (current == null || current.state() != KafkaStreams.State.RUNNING) {
            throw new Unavailable("the trial stores are not ready (Kafka Streams is "
                    + (current == null ? "not created" : current.state()) + ")");
        }
        try {
            return current.store(StoreQueryParameters.fromNameAndType(name, QueryableStoreTypes.<String, V>keyValueStore()));
        } catch (InvalidStateStoreException e) {
            throw new Unavailable("the trial stores are not ready: " + e.getMessage());
        }
    }

    /** The stores cannot be read right now; the API answers 503. */
    public static final class Unavailable extends RuntimeException {
        Unavailable(String message) {
            super(message);
        }
    }
}
