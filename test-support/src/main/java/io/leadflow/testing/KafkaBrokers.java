package io.leadflow.testing;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;

import java.util.Map;

/**
 * Starts the one broker a test JVM shares. {@code LEADFLOW_TEST_BROKER=embedded|testcontainers}
 * forces a kind; by default Testcontainers is used when a Docker engine answers.
 */
public final class KafkaBrokers {

    private static final Logger log = LoggerFactory.getLogger(KafkaBrokers.class);

    /** Settings a single broker needs for transactions and consumer groups, and that a test wants fast. */
    static final Map<String, String> BROKER_PROPERTIES = Map.of(
            "auto.create.topics.enable", "false",
            "offsets.topic.replication.factor", "1",
            "offsets.topic.num.partitions", "3",
            "transaction.state.log.replication.factor", "1",
            "transaction.state.log.min.isr", "1",
            "transaction.state.log.num.partitions", "3",
            "group.initial.rebalance.delay.ms", "0",
            "share.coordinator.state.topic.replication.factor", "1",
            "share.coordinator.state.topic.min.isr", "1");

    private static KafkaBroker shared;

    private KafkaBrokers() {
    }

    /** The JVM-wide broker, started on first use with the catalogue's topics, stopped when the JVM exits. */
    public static synchronized KafkaBroker shared() {
        if (shared == null) {
            shared = start();
            shared.createTopics(KafkaBroker.catalogue());
            KafkaBroker broker = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "kafka-broker-shutdown"));
        }
        return shared;
    }

    /** A broker of its own, for a test that must stop it (e.g. broker-unavailable behaviour). Caller closes it. */
    public static KafkaBroker startPrivate() {
        KafkaBroker broker = start();
        broker.createTopics(KafkaBroker.catalogue());
        return broker;
    }

    private static KafkaBroker start() {
        String forced = System.getenv().getOrDefault("LEADFLOW_TEST_BROKER", "");
        boolean docker = !forced.equals("embedded") && (forced.equals("testcontainers") || dockerAvailable());
        KafkaBroker broker = docker ? container() : embedded();
        log.info("Kafka broker for tests: {} at {}", broker.kind(), broker.bootstrapServers());
        return broker;
    }

    private static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    private static KafkaBroker container() {
        KafkaContainer container = new KafkaContainer("apache/kafka:4.2.0");
        BROKER_PROPERTIES.forEach((k, v) -> container.withEnv("KAFKA_" + k.toUpperCase().replace('.', '_'), v));
        container.start();
        return new KafkaBroker() {
            @Override
            public String bootstrapServers() {
                return container.getBootstrapServers();
            }

            @Override
            public String kind() {
                return "testcontainers";
            }

            @Override
            public void close() {
                container.stop();
            }
        };
    }

    private static KafkaBroker embedded() {
        EmbeddedKafkaKraftBroker embedded = new EmbeddedKafkaKraftBroker(1, 1);
        embedded.brokerProperties(BROKER_PROPERTIES);
        embedded.afterPropertiesSet();
        return new KafkaBroker() {
            @Override
            public String bootstrapServers() {
                return embedded.getBrokersAsString();
            }

            @Override
            public String kind() {
                return "embedded-kraft";
            }

            @Override
            public void close() {
                embedded.destroy();
            }
        };
    }
}
