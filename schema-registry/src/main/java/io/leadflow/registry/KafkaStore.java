package io.leadflow.registry;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The compacted store topic (one partition, so one total order) and a reader thread that folds every
 * record into {@link RegistryState}. A write is produced with {@code acks=all} and idempotence, then
 * {@link #put} returns only once the reader has applied it, so an answer never runs ahead of the state.
 * One registry instance writes; several writers would race on ids (Confluent elects a leader, we do not).
 */
final class KafkaStore implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(KafkaStore.class);

    private final SchemaRegistryConfig config;
    private final RegistryState state;
    private final TopicPartition partition;
    private final KafkaProducer<String, String> producer;
    private final KafkaConsumer<String, String> consumer;
    private final Thread reader;
    private final Object progress = new Object();
    private long applied = -1;
    private volatile RuntimeException readerFailure;
    private volatile boolean closing;
    private volatile boolean started;

    KafkaStore(SchemaRegistryConfig config, RegistryState state) {
        this.config = config;
        this.state = state;
        this.partition = new TopicPartition(config.topic(), 0);
        ensureTopic();
        this.producer = new KafkaProducer<>(producerConfig(), new StringSerializer(), new StringSerializer());
        this.consumer = new KafkaConsumer<>(consumerConfig(), new StringDeserializer(), new StringDeserializer());
        consumer.assign(List.of(partition));
        consumer.seekToBeginning(List.of(partition));
        this.reader = new Thread(this::read, "schema-registry-store-reader");
        reader.setDaemon(true);
    }

    /** Starts the reader and waits until it has replayed the topic up to a NOOP marker written now. */
    void start() {
        started = true;
        reader.start();
        put(StoreRecords.noopKey(), null);
        log.info("Schema registry store {} replayed up to offset {}", config.topic(), applied);
    }

    /** Writes a record and waits until the reader has applied it. {@code value} null writes a tombstone. */
    void put(String key, String value) {
        RecordMetadata written;
        try {
            written = producer.send(new ProducerRecord<>(config.topic(), 0, key, value))
                    .get(config.timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw RegistryError.storeError("Interrupted while writing to the store topic " + config.topic(), e);
        } catch (ExecutionException e) {
            throw RegistryError.storeError("Store error writing to " + config.topic() + ": " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw RegistryError.timeout("Operation timed out writing to the store topic " + config.topic());
        }
        awaitApplied(written.offset());
    }

    private void awaitApplied(long offset) {
        long deadline = System.nanoTime() + config.timeout().toNanos();
        synchronized (progress) {
            while (applied < offset) {
                if (readerFailure != null) {
                    throw RegistryError.storeError("The store reader stopped: " + readerFailure, readerFailure);
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw RegistryError.timeout("Operation timed out waiting to read back offset " + offset + " of " + config.topic());
                }
                try {
                    progress.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw RegistryError.storeError("Interrupted while waiting for the store reader", e);
                }
            }
        }
    }

    private void read() {
        try {
            while (!closing) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.key() != null) {
                        state.apply(record.key(), record.value());
                    }
                    markApplied(record.offset());
                }
                // Transaction markers and compacted gaps advance the position without a record.
                long position = consumer.position(partition);
                markApplied(position - 1);
            }
        } catch (WakeupException e) {
            if (!closing) {
                fail(new IllegalStateException("store reader woken up unexpectedly", e));
            }
        } catch (RuntimeException e) {
            log.error("The store reader of {} stopped; writes will fail until the registry restarts", config.topic(), e);
            fail(e);
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void markApplied(long offset) {
        synchronized (progress) {
            if (offset > applied) {
                applied = offset;
                progress.notifyAll();
            }
        }
    }

    private void fail(RuntimeException e) {
        synchronized (progress) {
            readerFailure = e;
            progress.notifyAll();
        }
    }

    /** Creates the topic compacted with one partition, or checks that an existing one is, as Confluent does. */
    private void ensureTopic() {
        Admin admin = Admin.create(adminConfig());
        try {
            long timeout = config.timeout().toMillis();
            try {
                TopicDescription description = admin.describeTopics(Set.of(config.topic())).allTopicNames()
                        .get(timeout, TimeUnit.MILLISECONDS).get(config.topic());
                verify(admin, description, timeout);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw new IllegalStateException("Cannot describe the store topic " + config.topic() + ": " + e.getCause(), e.getCause());
                }
                create(admin, timeout);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while preparing the store topic " + config.topic(), e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka at " + config.bootstrapServers() + " did not answer within " + config.timeout()
                    + " while preparing the store topic " + config.topic(), e);
        } finally {
            admin.close(Duration.ofSeconds(1));
        }
    }

    private void create(Admin admin, long timeout) throws InterruptedException, TimeoutException {
        NewTopic topic = new NewTopic(config.topic(), 1, config.replicationFactor())
                .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
        try {
            admin.createTopics(List.of(topic)).all().get(timeout, TimeUnit.MILLISECONDS);
            log.info("Created the store topic {} (compacted, 1 partition, replication {})", config.topic(), config.replicationFactor());
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("Cannot create the store topic " + config.topic() + " with replication factor "
                        + config.replicationFactor() + ": " + e.getCause(), e.getCause());
            }
        }
    }

    private void verify(Admin admin, TopicDescription description, long timeout)
            throws InterruptedException, ExecutionException, TimeoutException {
        if (description.partitions().size() != 1) {
            throw new IllegalStateException("The store topic " + config.topic() + " has " + description.partitions().size()
                    + " partitions; a schema registry needs exactly one to keep a single order of writes");
        }
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, config.topic());
        Config topicConfig = admin.describeConfigs(List.of(resource)).all().get(timeout, TimeUnit.MILLISECONDS).get(resource);
        String policy = topicConfig.get(TopicConfig.CLEANUP_POLICY_CONFIG).value();
        if (!TopicConfig.CLEANUP_POLICY_COMPACT.equals(policy)) {
            throw new IllegalStateException("The store topic " + config.topic() + " has cleanup.policy=" + policy
                    + "; it must be compact, or old schemas would be deleted by retention");
        }
    }

    private Map<String, Object> adminConfig() {
        Map<String, Object> props = new HashMap<>(config.kafkaProperties());
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        props.putIfAbsent(AdminClientConfig.CLIENT_ID_CONFIG, "schema-registry-admin");
        int timeout = (int) Math.min(Integer.MAX_VALUE, config.timeout().toMillis());
        props.putIfAbsent(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeout);
        props.putIfAbsent(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.min(timeout, 30_000));
        return props;
    }

    private Map<String, Object> producerConfig() {
        Map<String, Object> props = new HashMap<>(config.kafkaProperties());
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        props.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "schema-registry-producer");
        int timeout = (int) Math.min(Integer.MAX_VALUE, config.timeout().toMillis());
        props.putIfAbsent(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, timeout);
        props.putIfAbsent(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.min(timeout, 30_000));
        props.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeout);
        return props;
    }

    private Map<String, Object> consumerConfig() {
        Map<String, Object> props = new HashMap<>(config.kafkaProperties());
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "schema-registry-reader");
        return props;
    }

    @Override
    public void close() {
        closing = true;
        if (started) {
            consumer.wakeup();
            try {
                reader.join(TimeUnit.SECONDS.toMillis(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        } else {
            consumer.close(Duration.ofSeconds(5));
        }
        producer.close(Duration.ofSeconds(5));
    }
}
