package io.leadflow.routing.publish;

import io.leadflow.avro.RulesVersion;
import io.leadflow.schemas.Topics;
import io.leadflow.schemas.serde.AvroSerde;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.stereotype.Component;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Writes and reads {@code routing.rules}, the published versions of the rules file (keyed by the zero-padded version).
 * routing-service is its only writer; the routing task reads it through its routing lane and switches there.
 * <p>
 * A new version is one more than the highest published, and two publishes at the same time — on two instances, or two
 * requests on one — must never both take the same number. Every publish therefore goes through one transactional id
 * shared by all instances: {@code initTransactions} fences any other instance's publisher and aborts whatever it had
 * not committed, and only then is the topic read (read_committed) to find the highest version. A publisher fenced after
 * reading fails its commit instead of writing a duplicate number, and tries again with a fresh read. Within one
 * instance a lock keeps requests from fencing each other.
 */
@Component
public class RulesPublisher {

    private static final Logger log = LoggerFactory.getLogger(RulesPublisher.class);

    static final String TRANSACTIONAL_ID = "leadflow-routing-rules-publisher";
    private static final int ATTEMPTS = 10;
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(30);

    private final Map<String, Object> producerConfig;
    private final Map<String, Object> consumerConfig;
    private final Map<String, Object> serdeConfig;
    private final Clock clock;
    private final ReentrantLock publishing = new ReentrantLock();

    /** The topic could not be read or written (broker unreachable, topic missing): nothing was published. */
    public static class UnavailableException extends RuntimeException {
        UnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    public RulesPublisher(KafkaProperties kafka, Clock clock) {
        this.clock = clock;
        Map<String, Object> producer = new HashMap<>(kafka.buildProducerProperties());
        producer.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, TRANSACTIONAL_ID);
        producer.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        producer.put(ProducerConfig.ACKS_CONFIG, "all");
        producer.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 15_000);
        producer.put(ProducerConfig.CLIENT_ID_CONFIG, "leadflow-routing-rules-publisher");
        this.producerConfig = producer;
        Map<String, Object> consumer = new HashMap<>(kafka.buildConsumerProperties());
        consumer.remove(ConsumerConfig.GROUP_ID_CONFIG);
        consumer.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
        consumer.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        consumer.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        consumer.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        consumer.put(ConsumerConfig.CLIENT_ID_CONFIG, "leadflow-routing-rules-reader");
        this.consumerConfig = consumer;
        this.serdeConfig = new HashMap<>(kafka.buildConsumerProperties());
    }

    /** Every published version, oldest first. */
    public List<RulesVersion> history() {
        try {
            return read();
        } catch (KafkaException e) {
            throw new UnavailableException("routing.rules could not be read: " + e.getMessage(), e);
        }
    }

    /** One published version. */
    public Optional<RulesVersion> version(int version) {
        return history().stream().filter(v -> v.getVersion() == version).findFirst();
    }

    /**
     * Publishes a (validated) rules file as the next version. When the same file was published before and is not the
     * newest, the new version records it as a rollback to the newest such version.
     */
    public RulesVersion publish(String yaml, String publishedBy, String note) {
        return write(yaml, publishedBy, note, null, false).orElseThrow();
    }

    /** Publishes an older version's file again as the next version. */
    public RulesVersion republish(RulesVersion older, String publishedBy, String note) {
        return write(older.getYaml(), publishedBy, note, older.getVersion(), false).orElseThrow();
    }

    /** Publishes the file the service started with as version 1, unless a version exists already (then nothing). */
    public Optional<RulesVersion> publishFirst(String yaml, String publishedBy, String note) {
        return write(yaml, publishedBy, note, null, true);
    }

    private Optional<RulesVersion> write(String yaml, String publishedBy, String note, Integer rolledBackFrom, boolean onlyIfEmpty) {
        publishing.lock();
        try {
            for (int attempt = 1; ; attempt++) {
                try (KafkaProducer<String, RulesVersion> producer = new KafkaProducer<>(producerConfig, new StringSerializer(),
                        AvroSerde.forValues(RulesVersion.class, serdeConfig).serializer())) {
                    producer.initTransactions();
                    List<RulesVersion> history = read();
                    if (onlyIfEmpty && !history.isEmpty()) {
                        return Optional.empty();
                    }
                    RulesVersion next = next(history, yaml, publishedBy, note, rolledBackFrom);
                    producer.beginTransaction();
                    producer.send(new ProducerRecord<>(Topics.ROUTING_RULES.name(), key(next.getVersion()), next));
                    producer.commitTransaction();
                    log.info("Published routing rules v{} (sha256 {}) by {}{}", next.getVersion(), next.getSha256(), publishedBy,
                            next.getRolledBackFrom() == null ? "" : ", the file of v" + next.getRolledBackFrom());
                    return Optional.of(next);
                } catch (KafkaException e) {
                    if (!mayRetry(e)) {
                        throw new UnavailableException("routing.rules could not be written: " + e.getMessage() + "; nothing was published", e);
                    }
                    if (attempt == ATTEMPTS) {
                        throw new UnavailableException("routing.rules could not be written in " + ATTEMPTS + " attempts (another publisher"
                                + " kept taking its turn; last: " + e.getMessage() + "); nothing was published", e);
                    }
                    log.info("Rules publish lost to another publisher's (attempt {}: {}); reading the topic again", attempt, e.getMessage());
                    pause(attempt);
                }
            }
        } finally {
            publishing.unlock();
        }
    }

    private RulesVersion next(List<RulesVersion> history, String yaml, String publishedBy, String note, Integer rolledBackFrom) {
        int highest = history.stream().mapToInt(RulesVersion::getVersion).max().orElse(0);
        String sha = sha256(yaml);
        Integer from = rolledBackFrom;
        if (from == null && !history.isEmpty() && !history.get(history.size() - 1).getSha256().equals(sha)) {
            // the same file again: a rollback by PUT, recorded like a republish
            from = history.stream().filter(v -> v.getSha256().equals(sha)).map(RulesVersion::getVersion)
                    .max(Comparator.naturalOrder()).orElse(null);
        }
        return RulesVersion.newBuilder()
                .setVersion(highest + 1)
                .setYaml(yaml)
                .setSha256(sha)
                .setPublishedBy(publishedBy)
                .setPublishedAt(clock.instant())
                .setNote(note)
                .setRolledBackFrom(from)
                .build();
    }

    /** The topic from its start to its end (committed records only), sorted by version. */
    private List<RulesVersion> read() {
        try (KafkaConsumer<String, RulesVersion> consumer = new KafkaConsumer<>(consumerConfig, new StringDeserializer(),
                AvroSerde.forValues(RulesVersion.class, serdeConfig).deserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.ROUTING_RULES.name(), READ_TIMEOUT).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, READ_TIMEOUT);
            Map<Integer, RulesVersion> byVersion = new HashMap<>();
            long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p, READ_TIMEOUT) < ends.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new KafkaException("routing.rules was not read to its end within " + READ_TIMEOUT);
                }
                for (ConsumerRecord<String, RulesVersion> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.value() != null) {
                        byVersion.put(record.value().getVersion(), record.value());
                    }
                }
            }
            List<RulesVersion> versions = new ArrayList<>(byVersion.values());
            versions.sort(Comparator.comparingInt(RulesVersion::getVersion));
            return versions;
        }
    }

    /**
     * Whether this attempt may have lost to another publisher, so that reading the topic again and trying again is
     * safe: each attempt reads the committed history first, so a retry never takes a number already taken. Which error
     * the losing side sees depends on where the other's {@code initTransactions} caught it: fenced or a stale epoch
     * before its commit, an invalid transaction state or an abortable error when the coordinator had already aborted
     * its transaction, a concurrent-transactions answer while the other's abort was being written, and even an
     * "unhandled error in EndTxnResponse" (a plain {@link KafkaException}) when the two commits crossed. Only what
     * another attempt cannot mend is not retried: a broker that does not answer in time, and a client refused access.
     */
    static boolean mayRetry(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof TimeoutException || cause instanceof AuthorizationException
                    || cause instanceof AuthenticationException || cause instanceof UnsupportedVersionException) {
                return false;
            }
        }
        return e instanceof KafkaException;
    }

    /** A short random pause, longer with each attempt, so that two publishers stop taking the id from each other. */
    private static void pause(int attempt) {
        try {
            Thread.sleep(java.util.concurrent.ThreadLocalRandom.current().nextLong(20, 60L * attempt + 21));
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new UnavailableException("interrupted while publishing rules; nothing was published", interrupted);
        }
    }

    static String key(int version) {
        return "%010d".formatted(version);
    }

    static String sha256(String yaml) {
        try {
            return java.util.HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(yaml.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
