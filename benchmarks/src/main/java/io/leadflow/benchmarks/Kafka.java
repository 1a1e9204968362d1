package io.leadflow.benchmarks;

import io.leadflow.schemas.serde.AvroDeserializer;
import io.leadflow.schemas.serde.AvroSerializer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.LongFunction;

/** Plain Kafka clients for loading topics and for the baselines: the canonical settings, nothing of a service. */
final class Kafka {

    private Kafka() {
    }

    /** acks=all and idempotent as every service; linger and batch sized for bulk loading. */
    static <V extends org.apache.avro.generic.IndexedRecord> KafkaProducer<String, V> avroProducer(String bootstrap, String registry) {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, 128 * 1024);
        config.put("schema.registry.url", registry);
        AvroSerializer<V> serializer = new AvroSerializer<>();
        serializer.configure(config, false);
        return new KafkaProducer<>(config, new StringSerializer(), serializer);
    }

    static <V extends org.apache.avro.generic.IndexedRecord> KafkaConsumer<String, V> avroConsumer(String bootstrap, String registry) {
        Map<String, Object> config = consumerConfig(bootstrap);
        config.put("schema.registry.url", registry);
        config.put("specific.avro.reader", true);
        AvroDeserializer<V> deserializer = new AvroDeserializer<>();
        deserializer.configure(config, false);
        return new KafkaConsumer<>(config, new StringDeserializer(), deserializer);
    }

    /** Values left as bytes: for counting what a service committed without paying for decoding. */
    static KafkaConsumer<String, byte[]> rawConsumer(String bootstrap) {
        return new KafkaConsumer<>(consumerConfig(bootstrap), new StringDeserializer(), new ByteArrayDeserializer());
    }

    private static Map<String, Object> consumerConfig(String bootstrap) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
        config.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 50 * 1024 * 1024);
        config.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 4 * 1024 * 1024);
        return config;
    }

    /** Every partition of {@code topic}, assigned from the beginning (no group). */
    static List<TopicPartition> assignFromStart(KafkaConsumer<?, ?> consumer, String topic) {
        List<TopicPartition> partitions = partitions(consumer, topic);
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        return partitions;
    }

    /** Every partition of {@code topic}, assigned at its current end (only what is written from now on). */
    static List<TopicPartition> assignAtEnd(KafkaConsumer<?, ?> consumer, String topic) {
        List<TopicPartition> partitions = partitions(consumer, topic);
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
        return partitions;
    }

    private static List<TopicPartition> partitions(KafkaConsumer<?, ?> consumer, String topic) {
        List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
        return infos.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
    }

    /**
     * Sends {@code count} records asynchronously, at most 20,000 unacknowledged, and waits for every ack.
     * Returns the elapsed nanoseconds; fails on the first failed send.
     */
    static <V> long produceAll(KafkaProducer<String, V> producer, long count, LongFunction<ProducerRecord<String, V>> record)
            throws InterruptedException {
        Semaphore inFlight = new Semaphore(20_000);
        AtomicReference<Exception> failure = new AtomicReference<>();
        long start = System.nanoTime();
        for (long i = 0; i < count && failure.get() == null; i++) {
            inFlight.acquire();
            producer.send(record.apply(i), (metadata, e) -> {
                if (e != null) {
                    failure.compareAndSet(null, e);
                }
                inFlight.release();
            });
        }
        producer.flush();
        if (failure.get() != null) {
            throw new IllegalStateException("Loading failed: " + failure.get(), failure.get());
        }
        return System.nanoTime() - start;
    }

    /**
     * Reads {@code topic} (read_committed) until {@code expected} records arrived or {@code timeout} passed,
     * handing each to {@code each}. Returns how many arrived.
     */
    static <V> long readUntil(KafkaConsumer<String, V> consumer, long expected, Duration timeout, Consumer<ConsumerRecord<String, V>> each) {
        AtomicLong seen = new AtomicLong();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (seen.get() < expected && System.nanoTime() < deadline) {
            for (ConsumerRecord<String, V> r : consumer.poll(Duration.ofMillis(100))) {
                seen.incrementAndGet();
                each.accept(r);
            }
        }
        return seen.get();
    }

    /**
     * The routing scenarios' set-up and baseline: loads {@code leads} sample leads into {@code leads.received}, received a
     * millisecond apart from {@code firstReceivedAt}, then times a plain Avro consumer reading them all from the start.
     *
     * @return the plain consumer's records per second
     */
    static double loadLeadsAndTimeAPlainRead(String bootstrap, String registry, int leads, java.time.Instant firstReceivedAt,
            Duration timeout) throws InterruptedException {
        long loadNanos;
        try (KafkaProducer<String, io.leadflow.avro.LeadReceived> producer = avroProducer(bootstrap, registry)) {
            loadNanos = produceAll(producer, leads, seq -> {
                io.leadflow.avro.LeadReceived lead = LeadMix.received(seq, firstReceivedAt.plusMillis(seq));
                return new ProducerRecord<>(io.leadflow.schemas.Topics.LEADS_RECEIVED.name(), lead.getLeadId(), lead);
            });
        }
        System.out.printf("  loaded %,d leads into %s in %.1f s%n", leads, io.leadflow.schemas.Topics.LEADS_RECEIVED.name(), loadNanos / 1e9);
        long baselineNanos;
        long read;
        try (KafkaConsumer<String, io.leadflow.avro.LeadReceived> consumer = avroConsumer(bootstrap, registry)) {
            assignFromStart(consumer, io.leadflow.schemas.Topics.LEADS_RECEIVED.name());
            long start = System.nanoTime();
            read = readUntil(consumer, leads, timeout, r -> {
                if (r.value() == null) {
                    throw new IllegalStateException("undecodable record at " + r.offset());
                }
            });
            baselineNanos = System.nanoTime() - start;
        }
        if (read < leads) {
            throw new IllegalStateException("The baseline consumer read only " + read + " of " + leads + " records");
        }
        System.out.printf("  baseline: plain consumer read them in %.1f s%n", baselineNanos / 1e9);
        return leads / (baselineNanos / 1e9);
    }
}
