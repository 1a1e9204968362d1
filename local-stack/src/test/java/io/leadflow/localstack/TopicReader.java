package io.leadflow.localstack;

import io.leadflow.schemas.Topic;
import io.leadflow.schemas.serde.AvroDeserializer;
import io.leadflow.schemas.serde.AvroSerdeConfig;
import io.leadflow.schemas.serde.FieldCipher;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import static org.awaitility.Awaitility.await;

/** Reads a catalogue topic of the running stack from the beginning, as its consumers would (committed records only, personal fields decrypted). */
final class TopicReader {

    private final String bootstrapServers;
    private final String registryUrl;
    private final FieldCipher keys;

    TopicReader(LocalStack stack) {
        this.bootstrapServers = stack.bootstrapServers();
        this.registryUrl = stack.registryUrl();
        this.keys = stack.personalKeys();
    }

    /** Every value on {@code topic} so far. */
    <V extends SpecificRecord> List<ConsumerRecord<String, V>> readAll(Topic<V> topic) {
        Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                AvroSerdeConfig.SCHEMA_REGISTRY_URL, registryUrl,
                AvroSerdeConfig.SPECIFIC_AVRO_READER, true);
        AvroDeserializer<V> values = new AvroDeserializer<>();
        values.configure(config, false);
        values.withCipher(keys);
        try (KafkaConsumer<String, V> consumer = new KafkaConsumer<>(config, new StringDeserializer(), values)) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (int p = 0; p < topic.partitions(); p++) {
                partitions.add(new TopicPartition(topic.name(), p));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            List<ConsumerRecord<String, V>> records = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < ends.get(tp)) && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            return records;
        }
    }

    /** Waits until {@code topic} holds a value for {@code key} that matches, and returns the matching values. */
    <V extends SpecificRecord> List<V> awaitValues(Topic<V> topic, String key, Predicate<V> matching) {
        List<V> found = new ArrayList<>();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> {
            found.clear();
            readAll(topic).stream().filter(r -> key.equals(r.key()) && r.value() != null && matching.test(r.value()))
                    .forEach(r -> found.add(r.value()));
            return !found.isEmpty();
        });
        return found;
    }
}
