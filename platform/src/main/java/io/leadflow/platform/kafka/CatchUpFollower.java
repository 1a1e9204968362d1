package io.leadflow.platform.kafka;

import io.leadflow.platform.privacy.PrivacySkips;
import io.leadflow.schemas.serde.PersonErasedException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link TopicFollower} that is a view: it reads its topics from the beginning, applies every record, resumes where it
 * was after a new consumer, and lets callers wait until it has caught up once ({@link #awaitLoaded}) or has applied a
 * record they just wrote ({@link #awaitApplied}). A record it cannot read is skipped (its writer is this service).
 */
public abstract class CatchUpFollower extends TopicFollower {

    private final Logger log = LoggerFactory.getLogger(getClass());
    private final String name;
    private final List<String> topics;
    private final Map<TopicPartition, Long> applied = new ConcurrentHashMap<>();
    private final Object progress = new Object();
    private volatile boolean loaded;

    protected CatchUpFollower(String name, KafkaProperties kafka, List<String> topics) {
        this(name, kafka, topics, Map.of());
    }

    /** With consumer settings on top of the application's (see {@link TopicFollower}). */
    protected CatchUpFollower(String name, KafkaProperties kafka, List<String> topics, Map<String, Object> overrides) {
        super(name, kafka, overrides);
        this.name = name;
        this.topics = List.copyOf(topics);
    }

    /** Applies one record read from the topics. */
    protected abstract void apply(ConsumerRecord<String, Object> record);

    /** Called once, on the follower's thread, when the topics have been read to their end after start-up. */
    protected void loadedNow() {
    }

    public final boolean loaded() {
        return loaded;
    }

    /** Waits up to {@code timeout} until the topics have been read to their end once; whether they have. */
    public final boolean awaitLoaded(Duration timeout) {
        return await(timeout, () -> loaded);
    }

    /** Waits up to {@code timeout} until the record at this offset has been applied; whether it has. */
    public final boolean awaitApplied(String topic, int partition, long offset, Duration timeout) {
        TopicPartition tp = new TopicPartition(topic, partition);
        return await(timeout, () -> applied.getOrDefault(tp, -1L) > offset);
    }

    private boolean await(Duration timeout, java.util.function.BooleanSupplier done) {
        long until = System.nanoTime() + timeout.toNanos();
        synchronized (progress) {
            while (!done.getAsBoolean()) {
                long left = until - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                try {
                    progress.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
        return true;
    }

    @Override
    protected final void follow(Consumer<String, Object> opened) {
        List<TopicPartition> partitions = assignAll(opened, topics);
        Map<TopicPartition, Long> resume = new HashMap<>();
        for (TopicPartition tp : partitions) {
            Long next = applied.get(tp);
            if (next != null) {
                resume.put(tp, next);
                opened.seek(tp, next);
            }
        }
        opened.seekToBeginning(partitions.stream().filter(tp -> !resume.containsKey(tp)).toList());
        Map<TopicPartition, Long> end = opened.endOffsets(partitions, METADATA_TIMEOUT);
        while (following()) {
            try {
                for (ConsumerRecord<String, Object> record : opened.poll(Duration.ofMillis(200))) {
                    apply(record);
                }
            } catch (RecordDeserializationException e) {
                if (PersonErasedException.isCause(e)) {
                    PrivacySkips.skipped(name, e.topicPartition().topic(), e.topicPartition().partition(), e.offset());
                } else {
                    // only this service writes these topics; a record it cannot read is skipped, not retried forever
                    log.warn("Skipping an unreadable record at {}@{}: {}", e.topicPartition(), e.offset(), e.getMessage());
                }
                opened.seek(e.topicPartition(), e.offset() + 1);
            }
            boolean justLoaded = false;
            synchronized (progress) {
                for (TopicPartition tp : partitions) {
                    applied.put(tp, opened.position(tp));
                }
                if (!loaded && partitions.stream().allMatch(tp -> applied.get(tp) >= end.get(tp))) {
                    loaded = true;
                    justLoaded = true;
                }
                progress.notifyAll();
            }
            if (justLoaded) {
                loadedNow();
            }
        }
    }
}
