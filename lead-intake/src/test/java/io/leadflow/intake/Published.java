package io.leadflow.intake;

import io.leadflow.schemas.Topic;
import io.leadflow.schemas.serde.AvroDeserializer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.awaitility.Awaitility;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/** Reads what reached a topic of the real broker, through the Avro deserializer and the registry. */
public final class Published {

    private final String bootstrapServers;
    private final String registry;

    public Published(String bootstrapServers, String registry) {
        this.bootstrapServers = bootstrapServers;
        this.registry = registry;
    }

    /** Waits until at least one record with this key is on the topic and returns every record with it. */
    public <V> List<V> awaitValues(Topic<?> topic, String key, Class<V> type) {
        List<V> found = new ArrayList<>();
        Awaitility.await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            found.clear();
            found.addAll(values(topic, key, type));
            org.assertj.core.api.Assertions.assertThat(found).isNotEmpty();
        });
        return found;
    }

    /** Every record with this key on the topic right now (reads to the end offsets). */
    public <V> List<V> values(Topic<?> topic, String key, Class<V> type) {
        List<V> values = new ArrayList<>();
        try (KafkaConsumer<String, Object> consumer = consumer()) {
            List<TopicPartition> partitions = partitions(topic);
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                for (ConsumerRecord<String, Object> record : consumer.poll(Duration.ofMillis(200))) {
                    if (key.equals(record.key())) {
                        values.add(type.cast(record.value()));
                    }
                }
            }
        }
        return values;
    }

    /** The sum of the topic's end offsets: unchanged means nothing was published. */
    public long endOffsets(Topic<?> topic) {
        try (KafkaConsumer<String, Object> consumer = consumer()) {
            return consumer.endOffsets(partitions(topic)).values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /**
     * End offsets of some topics read again and again through one open consumer: a request costs one round trip, so
     * offsets can be compared around every single request of a long run.
     */
    public EndOffsets watchEndOffsets(Topic<?>... topics) {
        return new EndOffsets(consumer(), java.util.Arrays.stream(topics).flatMap(t -> partitions(t).stream()).toList());
    }

    /** The summed end offsets of the watched topics: unchanged means nothing was published to any of them. */
    public static final class EndOffsets implements AutoCloseable {

        private final KafkaConsumer<String, Object> consumer;
        private final List<TopicPartition> partitions;

        private EndOffsets(KafkaConsumer<String, Object> consumer, List<TopicPartition> partitions) {
            this.consumer = consumer;
            this.partitions = partitions;
        }

        public long sum() {
            return consumer.endOffsets(partitions).values().stream().mapToLong(Long::longValue).sum();
        }

        @Override
        public void close() {
            consumer.close();
        }
    }

    private static List<TopicPartition> partitions(Topic<?> topic) {
        return IntStream.range(0, topic.partitions()).mapToObj(p -> new TopicPartition(topic.name(), p)).toList();
    }

    private KafkaConsumer<String, Object> consumer() {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                "schema.registry.url", registry,
                "specific.avro.reader", true);
        AvroDeserializer<Object> deserializer = new AvroDeserializer<>();
        deserializer.configure(config, false);
        return new KafkaConsumer<>(config, new StringDeserializer(), deserializer);
    }
}
