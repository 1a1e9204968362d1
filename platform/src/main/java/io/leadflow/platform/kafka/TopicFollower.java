package io.leadflow.platform.kafka;

import io.leadflow.schemas.serde.AvroDeserializer;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.SmartLifecycle;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * A thread that reads every partition of some topics on every instance, without a consumer group, and opens a new
 * consumer after a failure; what it does with the records is the subclass's. Written here because Spring Kafka's
 * listener containers always join a group, which would split the partitions between instances.
 */
public abstract class TopicFollower implements SmartLifecycle {

    /** How long a metadata call waits: short, so a broker coming back is noticed within seconds; the loop asks again. */
    protected static final Duration METADATA_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration RECONNECT_AFTER = Duration.ofSeconds(1);

    private final Logger log = LoggerFactory.getLogger(getClass());
    private final String threadName;
    private final Supplier<? extends Consumer<String, Object>> consumers;
    private volatile boolean running;
    private volatile Consumer<String, Object> consumer;
    private Thread thread;

    /**
     * @param name      names the thread and the consumer ({@code <name>})
     * @param overrides consumer settings on top of the application's: Avro values as generated classes, read_committed,
     *                  no group and no commits
     */
    protected TopicFollower(String name, KafkaProperties kafka, Map<String, Object> overrides) {
        this(name, consumers(name, kafka, overrides));
    }

    /**
     * @param name      names the thread
     * @param consumers opens a consumer without a group (read_committed, values as generated Avro classes); null: no
     *                  thread is started (nothing to follow)
     */
    protected TopicFollower(String name, Supplier<? extends Consumer<String, Object>> consumers) {
        this.threadName = name;
        this.consumers = consumers;
    }

    private static Supplier<Consumer<String, Object>> consumers(String name, KafkaProperties kafka, Map<String, Object> overrides) {
        Map<String, Object> config = new HashMap<>(kafka.buildConsumerProperties());
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, AvroDeserializer.class);
        config.put("specific.avro.reader", true);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, name);
        config.putAll(overrides);
        Map<String, Object> fixed = Map.copyOf(config);
        return () -> new KafkaConsumer<>(fixed);
    }

    /** Reads from a consumer just opened until it fails or is woken up by {@link #stop()}. */
    protected abstract void follow(Consumer<String, Object> opened);

    /** Whether {@link #stop()} has not been called; {@link #follow} polls while it is. */
    protected final boolean following() {
        return running;
    }

    /** Assigns every partition of {@code topics}; fails while one of them does not exist yet (the next consumer retries). */
    protected static List<TopicPartition> assignAll(Consumer<String, Object> opened, List<String> topics) {
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : topics) {
            List<PartitionInfo> infos = opened.partitionsFor(topic, METADATA_TIMEOUT);
            if (infos == null || infos.isEmpty()) {
                throw new IllegalStateException("topic " + topic + " does not exist yet");
            }
            for (PartitionInfo info : infos) {
                partitions.add(new TopicPartition(info.topic(), info.partition()));
            }
        }
        opened.assign(partitions);
        return partitions;
    }

    @Override
    public void start() {
        running = true;
        if (consumers == null) {
            return;
        }
        thread = new Thread(this::run, threadName);
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void stop() {
        running = false;
        Consumer<String, Object> current = consumer;
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
            try (Consumer<String, Object> opened = consumers.get()) {
                consumer = opened;
                follow(opened);
            } catch (WakeupException e) {
                return;
            } catch (RuntimeException e) {
                if (running) {
                    log.warn("{} failed ({}); opening a new consumer", threadName, e.toString());
                    LockSupport.parkNanos(RECONNECT_AFTER.toNanos());
                }
            }
        }
    }
}
