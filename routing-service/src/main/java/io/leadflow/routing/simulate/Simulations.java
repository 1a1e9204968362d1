package io.leadflow.routing.simulate;

import io.leadflow.avro.ErasureRequested;
import io.leadflow.platform.privacy.Subjects;
import io.leadflow.routing.rules.RoutingRules;
import io.leadflow.routing.system.RoutingProperties;
import io.leadflow.schemas.registry.SchemaRegistryClient;
import io.leadflow.schemas.Topics;
import io.leadflow.schemas.serde.AvroSerdeConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs simulations: candidate rules replayed over past leads and compared with what was decided, publishing nothing
 * and changing no live state, leaving out the leads of people erased since ({@code privacy.erasures}) (a plain consumer without a group reads the topics; the candidate routes with state of
 * its own). One at a time per instance, since a replay keeps a core busy.
 */
@Component
public class Simulations {

    private static final Logger log = LoggerFactory.getLogger(Simulations.class);

    private final Map<String, Object> consumerConfig;
    private final SchemaRegistryClient registry;
    private final Duration timeout;
    private final Subjects subjects;
    private final Semaphore running = new Semaphore(1);
    private final AtomicLong runs = new AtomicLong();

    /** Another simulation is running on this instance. */
    public static class BusyException extends RuntimeException {
        BusyException() {
            super("A simulation is already running on this instance; retry when it has finished.");
        }
    }

    /** The replay took longer than {@code leadflow.routing.simulation-timeout}. */
    public static class TooLongException extends RuntimeException {
        TooLongException(Duration timeout) {
            super("The simulation did not finish within " + timeout + "; narrow the window (from, to, sources) and retry.");
        }
    }

    /** The topics could not be read (broker unreachable, a topic missing): nothing was simulated. */
    public static class TopicsUnavailableException extends RuntimeException {
        TopicsUnavailableException(KafkaException cause) {
            super("The topics could not be read: " + cause.getMessage(), cause);
        }
    }

    public Simulations(KafkaProperties kafka, RoutingProperties properties) {
        Map<String, Object> config = new HashMap<>(kafka.buildConsumerProperties());
        this.registry = AvroSerdeConfig.from(config).client();
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000);
        config.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 4 * 1024 * 1024);
        this.consumerConfig = config;
        this.timeout = properties.simulationTimeout();
        this.subjects = properties.privacy().subjects();
    }

    public SimulationReport run(RoutingRules candidate, SimulationWindow window, int limit) {
        if (!running.tryAcquire()) {
            throw new BusyException();
        }
        long started = System.nanoTime();
        Map<String, Object> config = new HashMap<>(consumerConfig);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "leadflow-routing-simulation-" + runs.incrementAndGet());
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            RecordReaders readers = new RecordReaders(registry);
            ErasedSubjects erased = erased(consumer, readers, started);
            Simulation simulation = new Simulation(candidate, window, limit, erased);
            new TopicReplay(consumer, readers, timeout).replay(window, simulation);
            SimulationReport report = simulation.report();
            double seconds = (System.nanoTime() - started) / 1e9;
            log.info("Simulated rules {} over {} leads ({} changed; the leads of {} erased people left out) in {} s",
                    candidate.version(), report.leadsExamined(), report.changed().total(), erased.size(), String.format("%.1f", seconds));
            return report;
        } catch (TimeoutException e) {
            throw new TooLongException(timeout);
        } catch (KafkaException e) {
            throw new TopicsUnavailableException(e);
        } finally {
            running.release();
        }
    }

    /**
     * The people erased, read whole from {@code privacy.erasures} before the replay (the first request of a subject
     * counts, as everywhere): their leads from before the erasure are left out of the simulation. Nobody without
     * {@code LEADFLOW_PRIVACY_KEY}.
     */
    private ErasedSubjects erased(KafkaConsumer<byte[], byte[]> consumer, RecordReaders readers, long started) throws TimeoutException {
        if (subjects == null) {
            return ErasedSubjects.none();
        }
        List<TopicPartition> partitions = consumer.partitionsFor(Topics.PRIVACY_ERASURES.name(), timeout).stream()
                .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, timeout);
        Map<String, Long> requestedAts = new HashMap<>();
        long deadline = started + timeout.toNanos();
        while (partitions.stream().anyMatch(tp -> consumer.position(tp, timeout) < ends.get(tp))) {
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("privacy.erasures was not read within " + timeout);
            }
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                if (record.value() == null) {
                    continue;
                }
                try {
                    ErasureRequested request = readers.erasure(record.value());
                    if (request.getSubject() != null && request.getRequestedAt() != null) {
                        requestedAts.merge(request.getSubject(), request.getRequestedAt().toEpochMilli(), Math::min);
                    }
                } catch (IOException | RuntimeException e) {
                    log.warn("Skipping an unreadable privacy.erasures record at {}-{}@{}", record.topic(), record.partition(), record.offset());
                }
            }
        }
        consumer.unsubscribe();
        return new ErasedSubjects(subjects, requestedAts);
    }
}
