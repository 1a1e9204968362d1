package io.leadflow.intake.delivery;

import com.github.benmanes.caffeine.cache.Cache;
import io.leadflow.avro.BookingLink;
import io.leadflow.intake.system.IntakeProperties;
import io.leadflow.intake.system.RejectedRequest;
import io.leadflow.platform.kafka.TopicFollower;
import io.leadflow.schemas.Topics;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.stereotype.Component;

import java.time.Duration;
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
class LedgerView extends TopicFollower {

    private static final Logger log = LoggerFactory.getLogger(LedgerView.class);
    private static final List<String> TOPICS = List.of(Topics.INTAKE_DELIVERIES.name(), Topics.INTAKE_BOOKINGS.name());

    private final IntakeProperties properties;
    private final Cache<String, DeliveryLedger.Entry> deliveries;
    private final Map<String, BookingLink> bookings = DeliveryLedger.newBookingMap();
    private final Map<TopicPartition, Long> applied = new ConcurrentHashMap<>();
    private final Object progress = new Object();
    private volatile boolean loaded;

    LedgerView(KafkaProperties kafka, IntakeProperties properties) {
        super("lead-intake-ledger", kafka, Map.of());
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

    /** The keys of the bookings linked to these leads. */
    List<String> bookingsOf(java.util.Set<String> leadIds) {
        return bookings.entrySet().stream().filter(e -> leadIds.contains(e.getValue().getLeadId())).map(Map.Entry::getKey).toList();
    }

    /** Forgets a link this instance's tombstone for was acknowledged, before it comes back from the log. */
    void unlinkLocally(String key) {
        bookings.remove(key);
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
    protected void follow(Consumer<String, Object> opened) {
        List<TopicPartition> partitions = assignAll(opened, TOPICS);
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
        while (following()) {
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
