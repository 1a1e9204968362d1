package io.leadflow.trials.topology;

import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import io.leadflow.schemas.Topics;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Read access to the topology's stores by interactive query, for the API and the metrics. Reads this instance's
 * partitions only: with several instances, a trial on another instance's partition is not visible here. A trial is
 * read with the reminders fired since its last event folded in ({@link FiredReminders}).
 */
public final class TrialStores {

    private final Supplier<KafkaStreams> streams;

    public TrialStores(Supplier<KafkaStreams> streams) {
        this.streams = streams;
    }

    public Optional<TrialState> trial(String trialId) {
        return Optional.ofNullable(FiredReminders.read(storeOf(TrialState.STORE, trialId), storeOf(FiredReminders.STORE, trialId), trialId));
    }

    public Optional<TrialContext> context(String trialId) {
        return Optional.ofNullable(this.<TrialContext>storeOf(TrialContext.STORE, trialId).get(trialId));
    }

    public List<TrialState> all() {
        List<TrialState> all = new ArrayList<>();
        forEach(all::add);
        return all;
    }

    /** Running trials on this instance; -1 when the stores cannot be read (starting, rebalancing, stopped). */
    public long countActive() {
        try {
            long[] active = {0};
            forEach(trial -> {
                if (trial.status() == TrialStatus.ACTIVE) {
                    active[0]++;
                }
            });
            return active[0];
        } catch (Unavailable e) {
            return -1;
        }
    }

    private void forEach(Consumer<TrialState> each) {
        ReadOnlyKeyValueStore<String, List<TrialState.Fired>> fired = fired();
        try (KeyValueIterator<String, TrialState> entries = trials().all()) {
            while (entries.hasNext()) {
                KeyValue<String, TrialState> entry = entries.next();
                each.accept(entry.value.folding(fired.get(entry.key)));
            }
        }
    }

    private ReadOnlyKeyValueStore<String, TrialState> trials() {
        return store(TrialState.STORE);
    }

    private ReadOnlyKeyValueStore<String, List<TrialState.Fired>> fired() {
        return store(FiredReminders.STORE);
    }

    private <V> ReadOnlyKeyValueStore<String, V> store(String name) {
        KafkaStreams current = running();
        try {
            return current.store(StoreQueryParameters.fromNameAndType(name, QueryableStoreTypes.<String, V>keyValueStore()));
        } catch (InvalidStateStoreException e) {
            throw new Unavailable("the trial stores are not ready: " + e.getMessage());
        }
    }

    /**
     * The one partition of a store that holds {@code key}. Reading a key through the whole store would answer "none"
     * while that partition's task is still restoring after a restart or a rebalance (Kafka Streams leaves a restoring
     * task out of a whole-store read); asked for the partition itself, it says the partition is not available, and the
     * API answers 503 instead of a wrong 404 (or a second start of a trial that already runs).
     */
    private <V> ReadOnlyKeyValueStore<String, V> storeOf(String name, String key) {
        KafkaStreams current = running();
        try {
            // every store here is partitioned as trials.events (the context's repartition topic has its partition count),
            // whose records are placed by the producer's default partitioner: murmur2 of the key's bytes
            int partition = BuiltInPartitioner.partitionForKey(Serdes.String().serializer().serialize(null, key), Topics.TRIALS_EVENTS.partitions());
            return current.store(StoreQueryParameters.fromNameAndType(name, QueryableStoreTypes.<String, V>keyValueStore())
                    .withPartition(partition));
        } catch (InvalidStateStoreException e) {
            throw new Unavailable("the trial stores are not ready: " + e.getMessage());
        }
    }

    private KafkaStreams running() {
        KafkaStreams current = streams.get();
        if (current == null || current.state() != KafkaStreams.State.RUNNING) {
            throw new Unavailable("the trial stores are not ready (Kafka Streams is "
                    + (current == null ? "not created" : current.state()) + ")");
        }
        return current;
    }

    /** The stores cannot be read right now; the API answers 503. */
    public static final class Unavailable extends RuntimeException {
        Unavailable(String message) {
            super(message);
        }
    }
}
