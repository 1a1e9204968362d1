package io.leadflow.intake.delivery;

import com.github.benmanes.caffeine.cache.Cache;
import io.leadflow.avro.BookingLink;
import io.leadflow.intake.system.IntakeProperties;
import io.leadflow.intake.system.RejectedRequest;
import io.leadflow.schemas.Topics;
import io.leadflow.schemas.serde.AvroDeserializer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every instance's copy of the replay memory: one consumer, on a thread of its own, reads {@code intake.deliveries}
 * and {@code intake.bookings} from the beginning and keeps applying what is appended. Requests wait until it has
 * caught up once after start-up, and a claim waits until the view has applied the claim's own offset.
 */
@Component
class LedgerView implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(LedgerView.class);
    private static final List<String> TOPICS = List.of(Topics.INTAKE_DELIVERIES.name(), Topics.INTAKE_BOOKINGS.name());
    /** Short, so that a broker coming back is noticed within seconds; the loop simply asks again. */
    private static final Duration METADATA_TIMEOUT = Duration.ofSeconds(5);

    private final Map<String, Object> consumerConfig;
    private final IntakeProperties properties;
    private final Cache<String, DeliveryLedger.Entry> deliveries;
    private final Map<String, BookingLink> bookings = DeliveryLedger.newBookingMap();
    private final Map<TopicPartition, Long> applied = new ConcurrentHashMap<>();
    private final Object progress = new Object();
    private volatile boolean loaded;
    private volatile boolean running;
    private volatile KafkaConsumer<String, Object> consumer;
    private Thread thread;

    LedgerView(KafkaProperties kafka, IntakeProperties properties) {
        Map<String, Object> config = new HashMap<>(kafka.buildConsumerProperties());
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, AvroDeserializer.class);
        config.put("specific.avro.reader", true);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "lead-intake-ledger");
        this.consumerConfig = config;
        this.properties = properties;
        this.deliveries = DeliveryLedger.newDeliveryCache(properties.replayCacheSize(), Duration.ofDays(4));
    }

    DeliveryLedger.Entry delivery(String key) {
        return deliveries.getIfPresent(key);
    }

    /** Applies a record this instance is about to append, before it comes back from the log. */
    void applyLocally(String key, io.leadflow.avro.IntakeDelivery value) {
        DeliveryLedger.apply(deliveries.asMap(), key, value, value.getAt().toEpochMilli(), properties.claimLease());
    }

    /** Records a link this instance's write of it was acknowledged for, before it comes back from the log. */
    void linkLocally(String key, BookingLink link) {
        bookings.put(key, link);
    }

    BookingLink booking(String key) {
        return bookings.get(key);
    }

    boolean loaded() {
        return loaded;
    }

    /** Waits until the view has read both topics to their end once; 503 when Kafka cannot be read in time. */
    void awaitLoaded(Duration retryAfter) {
        if (loaded) {
            return;
        }
        long until = System.nanoTime() + properties.publishTimeout().toNanos();
        synchronized (progress) {
            while (!loaded) {
                long left = until - System.nanoTime();
                if (left <= 0) {
                    throw RejectedRequest.unavailable("the replay memory could not be read from Kafka yet; retry later", retryAfter);
                }
                waitNanos(left);
            }
        }
    }

    /** Waits until the record at this offset has been applied. */
    void awaitApplied(String topic, int partition, long offset, Duration timeout) {
        TopicPartition tp = new TopicPartition(topic, partition);
        long until = System.nanoTime() + timeout.toNanos();
        synchronized (progress) {
            while (applied.getOrDefault(tp, -1L) <= offset) {
                long left = until - System.nanoTime();
                if (left <= 0) {
                    throw RejectedRequest.unavailable("the replay memory did not catch up with Kafka in time; retry later",
                            properties.retryAfter());
                }
                waitNanos(left);
            }
        }
    }

    private void waitNanos(long nanos) {
        try {
            progress.wait(Math.max(1, nanos / 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw RejectedRequest.unavailable("interrupted while reading the replay memory", properties.retryAfter());
        }
    }

    @Override
    public void start() {
        running = true;
        thread = new Thread(this::run, "intake-ledger");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void stop() {
        running = false;
        KafkaConsumer<String, Object> current = consumer;
        if (current != null) {
            current.wakeup();
        }
        if (thread != null) {
            try {
                thread.join(Duration.ofSeconds(10).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private void run() {
        while (running) {
            try (KafkaConsumer<String, Object> opened = new KafkaConsumer<>(consumerConfig)) {
                consumer = opened;
                follow(opened);
            } catch (WakeupException e) {
                return;
            } catch (RuntimeException e) {
                if (running) {
                    log.warn("Replay memory consumer failed ({}); reconnecting", e.toString());
                    synchronized (progress) {
                        waitNanos(Duration.ofSeconds(1).toNanos());
                    }
                }
            }
        }
    }

    private void follow(KafkaConsumer<String, Object> opened) {
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : TOPICS) {
            List<PartitionInfo> infos = opened.partitionsFor(topic, METADATA_TIMEOUT);
            if (infos == null || infos.isEmpty()) {
                throw new IllegalStateException("topic " + topic + " does not exist yet");
            }
            for (PartitionInfo info : infos) {
                partitions.add(new TopicPartition(info.topic(), info.partition()));
            }
        }
        opened.assign(partitions);
        Map<TopicPartition, Long> resume = new HashMap<>();
        for (TopicPartition tp : partitions) {
            Long next = applied.get(tp);
            if (next != null) {
                resume.put(tp, next);
                opened.seek(tp, next);
            }
        }
        List<TopicPartition> fresh = partitions.stream().filter(tp -> !resume.containsKey(tp)).toList();
        opened.seekToBeginning(fresh);
        Map<TopicPartition, Long> end = opened.endOffsets(partitions, METADATA_TIMEOUT);
        while (running) {
            try {
                for (ConsumerRecord<String, Object> record : opened.poll(Duration.ofMillis(200))) {
                    applyOne(record);
                }
            } catch (RecordDeserializationException e) {
                // only lead-intake writes these topics; a record it cannot read is skipped, not retried forever
                log.warn("Skipping an unreadable replay-memory record at {}@{}: {}", e.topicPartition(), e.offset(), e.getMessage());
                opened.seek(e.topicPartition(), e.offset() + 1);
            }
            synchronized (progress) {
                for (TopicPartition tp : partitions) {
                    applied.put(tp, opened.position(tp));
                }
                if (!loaded && partitions.stream().allMatch(tp -> applied.get(tp) >= end.get(tp))) {
                    loaded = true;
                    log.info("Replay memory loaded: {} deliveries, {} bookings", deliveries.estimatedSize(), bookings.size());
                }
                progress.notifyAll();
            }
        }
    }

    private void applyOne(ConsumerRecord<String, Object> record) {
        if (record.key() == null) {
            return;
        }
        if (record.value() instanceof BookingLink link) {
            bookings.put(record.key(), link);
        } else if (record.value() == null && record.topic().equals(Topics.INTAKE_BOOKINGS.name())) {
            bookings.remove(record.key());
        } else {
            DeliveryLedger.apply(deliveries.asMap(), record, properties.claimLease());
        }
    }
}
