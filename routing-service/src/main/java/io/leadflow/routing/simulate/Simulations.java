package io.leadflow.routing.simulate;

import io.leadflow.routing.rules.RoutingRules;
import io.leadflow.routing.system.RoutingProperties;
import io.leadflow.schemas.registry.SchemaRegistryClient;
import io.leadflow.schemas.serde.AvroSerdeConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs simulations: candidate rules replayed over past leads and compared with what was decided, publishing nothing
 * and changing no live state (a plain consumer without a group reads the topics; the candidate routes with state of
 * its own). One at a time per instance, since a replay keeps a core busy.
 */
@Component
public class Simulations {

    private static final Logger log = LoggerFactory.getLogger(Simulations.class);

    private final Map<String, Object> consumerConfig;
    private final SchemaRegistryClient registry;
    private final Duration timeout;
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
    }

    public SimulationReport run(RoutingRules candidate, SimulationWindow window, int limit) {
        if (!running.tryAcquire()) {
            throw new BusyException();
        }
        long started = System.nanoTime();
        Map<String, Object> config = new HashMap<>(consumerConfig);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "leadflow-routing-simulation-" + runs.incrementAndGet());
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            Simulation simulation = new Simulation(candidate, window, limit);
            new TopicReplay(consumer, new RecordReaders(registry), timeout).replay(window, simulation);
            SimulationReport report = simulation.report();
            double seconds = (System.nanoTime() - started) / 1e9;
            log.info("Simulated rules {} over {} leads ({} changed) in {} s", candidate.version(), report.leadsExamined(),
                    report.changed().total(), String.format("%.1f", seconds));
            return report;
        } catch (TimeoutException e) {
            throw new TooLongException(timeout);
        } catch (KafkaException e) {
            throw new TopicsUnavailableException(e);
        } finally {
            running.release();
        }
    }
}
