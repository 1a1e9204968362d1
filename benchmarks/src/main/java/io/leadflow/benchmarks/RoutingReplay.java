package io.leadflow.benchmarks;

import io.leadflow.avro.LeadReceived;
import io.leadflow.localstack.system.EmbeddedService;
import io.leadflow.routing.RoutingServiceApplication;
import io.leadflow.schemas.Topics;
import io.leadflow.testing.KafkaBroker;
import io.leadflow.testing.KafkaBrokers;
import org.apache.kafka.clients.consumer.KafkaConsumer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * Scenario 4: N {@code LeadReceived} records already in {@code leads.received}; routing-service starts
 * with a fresh application id and routes them all. Measured from the moment its Spring context is up
 * (Kafka Streams running) until {@code leads.routed} holds N committed records. Baseline in the same
 * run: a plain KafkaConsumer with the Avro deserializer reading the same N records.
 */
final class RoutingReplay implements Scenario {

    private static final String REGISTRY = "mock://benchmarks-routing";

    @Override
    public String name() {
        return "routing-replay";
    }

    @Override
    public Result run(boolean quick) throws Exception {
        int leads = quick ? 100_000 : 1_000_000;
        Duration timeout = Duration.ofMinutes(3);
        // Routing is timed for at most this long after start-up (the rate is steady well before), so the suite stays bounded.
        Duration routingBudget = quick ? Duration.ofMinutes(3) : Duration.ofSeconds(120);
        KafkaBroker broker = KafkaBrokers.startPrivate();
        Path stateDir = Files.createTempDirectory("bench-routing-state");
        try {
            String bootstrap = broker.bootstrapServers();
            double baselinePerSecond = Kafka.loadLeadsAndTimeAPlainRead(bootstrap, REGISTRY, leads, Instant.now(), timeout);

            long startAt = System.nanoTime();
            long readyAt;
            long routed;
            long doneAt;
            try (KafkaConsumer<String, byte[]> counter = Kafka.rawConsumer(bootstrap)) {
                Kafka.assignFromStart(counter, Topics.LEADS_ROUTED.name());
                EmbeddedService routing = Services.start("routing-service", RoutingServiceApplication.class, bootstrap, REGISTRY, Map.of(
                        "spring.kafka.streams.application-id", "bench-routing-" + UUID.randomUUID(),
                        "spring.kafka.streams.state-dir", stateDir.toString(),
                        "LEADFLOW_ROUTING_STATE_DIR", stateDir.toString()));
                try {
                    readyAt = System.nanoTime();
                    routed = Kafka.readUntil(counter, leads, routingBudget, r -> { });
                    doneAt = System.nanoTime();
                } finally {
                    routing.close();
                }
            }
            double seconds = (doneAt - readyAt) / 1e9;
            double perSecond = routed / seconds;
            boolean capped = routed < leads;
            if (capped) {
                System.out.printf("  routing budget of %d s spent: %,d of %,d routed%n", routingBudget.toSeconds(), routed, leads);
            }
            return Result.of(name())
                    .settings(String.format("%,d LeadReceived pre-loaded (mixed countries, plans, volumes, recurring domains), "
                            + "routing-service with a fresh application id, RocksDB stores in a temp dir, exactly_once_v2, default rules; "
                            + "every lead passes one single-partition repartition topic on purpose (exact daily caps and round robin), "
                            + "so one task routes them all; timed from the context being up (start-up %.1f s not counted) to %,d committed "
                            + "records in leads.routed, or for at most %d s (then the rate is over what was routed); baseline: plain KafkaConsumer with the Avro deserializer, same topic, same run",
                            leads, (readyAt - startAt) / 1e9, leads, routingBudget.toSeconds()))
                    .figure("leads", leads)
                    .figure("routed", routed)
                    .figure("seconds", seconds)
                    .figure("leads/s", perSecond)
                    .figure("baseline consumer records/s", baselinePerSecond)
                    .ratio(String.format("%.3f of a plain consumer", perSecond / baselinePerSecond))
                    .target(">= 20,000 leads/s", perSecond >= 20_000)
                    .build();
        } finally {
            broker.close();
            deleteQuietly(stateDir);
        }
    }

    static void deleteQuietly(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (Exception e) {
            System.err.println("Could not delete " + dir + ": " + e.getMessage());
        }
    }
}
