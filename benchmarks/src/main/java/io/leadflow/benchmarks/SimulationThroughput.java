package io.leadflow.benchmarks;

import io.leadflow.avro.LeadReceived;
import io.leadflow.localstack.system.EmbeddedService;
import io.leadflow.routing.RoutingServiceApplication;
import io.leadflow.routing.rules.RoutingRules;
import io.leadflow.routing.simulate.SimulationReport;
import io.leadflow.routing.simulate.SimulationWindow;
import io.leadflow.routing.simulate.Simulations;
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
 * Scenario: N {@code LeadReceived} records already in {@code leads.received}; routing-service's simulation replays
 * them through its own rules, called in-process on the service's {@link Simulations} bean (no HTTP, and Kafka Streams
 * not started, so nothing else routes meanwhile). Baseline in the same run: a plain KafkaConsumer with the Avro
 * deserializer reading the same topic to its end.
 */
final class SimulationThroughput implements Scenario {

    private static final String REGISTRY = "mock://benchmarks-simulation";

    @Override
    public String name() {
        return "simulation";
    }

    @Override
    public Result run(boolean quick) throws Exception {
        int leads = quick ? 100_000 : 1_000_000;
        Duration timeout = Duration.ofMinutes(3);
        KafkaBroker broker = KafkaBrokers.startPrivate();
        Path stateDir = Files.createTempDirectory("bench-simulation-state");
        try {
            String bootstrap = broker.bootstrapServers();
            double baselinePerSecond = Kafka.loadLeadsAndTimeAPlainRead(bootstrap, REGISTRY, leads,
                    Instant.now().minus(Duration.ofDays(1)), timeout);

            EmbeddedService routing = Services.start("routing-service", RoutingServiceApplication.class, bootstrap, REGISTRY, Map.of(
                    "spring.kafka.streams.auto-startup", "false",
                    "spring.kafka.streams.application-id", "bench-simulation-" + UUID.randomUUID(),
                    "spring.kafka.streams.state-dir", stateDir.toString(),
                    "LEADFLOW_ROUTING_STATE_DIR", stateDir.toString()));
            SimulationReport report;
            long nanos;
            try {
                Simulations simulations = routing.context().getBean(Simulations.class);
                RoutingRules rules = routing.context().getBean(RoutingRules.class);
                long start = System.nanoTime();
                report = simulations.run(rules, SimulationWindow.everything(), 0);
                nanos = System.nanoTime() - start;
            } finally {
                routing.close();
            }
            if (report.leadsExamined() < leads) {
                throw new IllegalStateException("The simulation examined only " + report.leadsExamined() + " of " + leads + " leads");
            }
            double seconds = nanos / 1e9;
            double perSecond = report.leadsExamined() / seconds;
            double ratio = perSecond / baselinePerSecond;
            return Result.of(name())
                    .settings(String.format("%,d LeadReceived pre-loaded (mixed countries, plans, volumes, recurring domains), no past "
                            + "decisions in leads.routed; routing-service's Simulations called in-process with its default rules over "
                            + "every lead (Kafka Streams not started, no HTTP), timed from the call to its report; baseline: plain "
                            + "KafkaConsumer with the Avro deserializer, same topic, same run", leads))
                    .figure("leads", leads)
                    .figure("examined", report.leadsExamined())
                    .figure("seconds", seconds)
                    .figure("leads/s", perSecond)
                    .figure("baseline consumer records/s", baselinePerSecond)
                    .ratio(String.format("%.3f of a plain consumer", ratio))
                    .target(">= 100,000 leads/s and >= 0.25 of a plain consumer", perSecond >= 100_000 && ratio >= 0.25)
                    .build();
        } finally {
            broker.close();
            RoutingReplay.deleteQuietly(stateDir);
        }
    }
}
