package io.leadflow.routing.topology;

import io.leadflow.avro.LeadReceived;
import io.leadflow.avro.LeadRouted;
import io.leadflow.avro.RepAlert;
import io.leadflow.routing.decide.Router;
import io.leadflow.routing.rules.RulesLoader;
import io.leadflow.schemas.Topics;
import io.leadflow.schemas.serde.AvroDeserializer;
import io.leadflow.schemas.serde.AvroSerializer;
import io.leadflow.testing.PooledRules;
import io.leadflow.testing.KafkaBroker;
import io.leadflow.testing.KafkaBrokers;
import io.leadflow.testing.MutableClock;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;

import static io.leadflow.routing.Leads.lead;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * SLA clocks on a real broker with {@code exactly_once_v2} and persistent stores: a clock that fell due while the
 * service was down fires once when it starts, a crash between firing and commit fires it again exactly once, and a
 * later restart fires nothing more. One reassignment: not zero, not two. The broker is this class's own, so no other
 * test's leads pass through these stream instances.
 */
class SlaClockRestartTests {

    private static final String REGISTRY = "mock://sla-restart-tests";
    private static KafkaBroker broker;

    @TempDir
    Path stateDirs;

    private final MutableClock clock = new MutableClock(Instant.now());

    @BeforeAll
    static void startBroker() {
        broker = KafkaBrokers.startPrivate();
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    @Test
    void aClockDueWhileTheServiceWasDownFiresOnceOnStartEvenAcrossACrashBeforeItsCommit() {
        LeadReceived lead = lead().build();
        AtomicInteger reassignments = new AtomicInteger();
        DecisionListener crashOnFirstReassignment = new DecisionListener() {
            @Override
            public void reassigned(String policy, String cause) {
                if (reassignments.incrementAndGet() == 1) {
                    throw new IllegalStateException("simulated crash after the reassignment was written, before its commit");
                }
            }
        };

        KafkaStreams first = start("first", DecisionListener.NONE);
        publish(lead);
        await().atMost(Duration.ofSeconds(60)).until(() -> versions(lead.getLeadId()).size() == 1);
        close(first);

        clock.advance(Duration.ofMinutes(20)); // the 15-minute clock falls due while nothing runs
        KafkaStreams crashing = start("second", crashOnFirstReassignment);
        await().atMost(Duration.ofSeconds(60)).until(() -> crashing.state() == KafkaStreams.State.ERROR
                || crashing.state() == KafkaStreams.State.PENDING_ERROR);
        assertThat(reassignments.get()).isEqualTo(1);
        assertThat(versions(lead.getLeadId())).as("the crashed transaction was aborted").hasSize(1);
        close(crashing);

        KafkaStreams restarted = start("third", crashOnFirstReassignment);
        await().atMost(Duration.ofSeconds(60)).until(() -> versions(lead.getLeadId()).size() == 2);
        close(restarted);
        KafkaStreams again = start("fourth", DecisionListener.NONE);
        await().atMost(Duration.ofSeconds(60)).until(() -> again.state() == KafkaStreams.State.RUNNING);
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)).until(() -> versions(lead.getLeadId()).size() == 2);
        close(again);

        List<LeadRouted> versions = versions(lead.getLeadId());
        assertThat(versions).extracting(LeadRouted::getDecisionVersion).containsExactly(1, 2);
        assertThat(versions.get(1).getPreviousOwner().getRepId()).isEqualTo(versions.get(0).getOwner().getRepId());
        assertThat(versions.get(1).getOwner().getRepId()).isNotEqualTo(versions.get(0).getOwner().getRepId());
        assertThat(versions.get(1).getChangeReason()).endsWith("did not accept within 15 minutes");
        assertThat(reassignments.get()).isEqualTo(2);
        List<RepAlert> alerts = committed(Topics.REP_ALERTS.name(), RepAlert.class).stream()
                .filter(alert -> lead.getLeadId().equals(alert.getLeadId())).toList();
        assertThat(alerts).extracting(RepAlert::getAlertId).containsExactlyInAnyOrder("NEW_LEAD:" + lead.getLeadId(),
                "SLA_REMINDER:" + lead.getLeadId() + ":v1", "NEW_LEAD:" + lead.getLeadId() + ":v2",
                "LEAD_REASSIGNED:" + lead.getLeadId() + ":v1");
    }

    private KafkaStreams start(String name, DecisionListener listener) {
        RoutingTopology topology = new RoutingTopology(new Router(RulesLoader.parse(RULES, "restart-rules.yml")), clock,
                Map.of("schema.registry.url", REGISTRY), listener, RoutingTopology.StoreKind.PERSISTENT,
                new RoutingTopology.SlaSettings(Duration.ofMillis(100), 10_000));
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "leadflow-routing-restart-test");
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        config.put(StreamsConfig.STATE_DIR_CONFIG, stateDirs.resolve(name).toString()); // a fresh disk: state comes back from the changelogs
        config.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        config.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
        config.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        config.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        config.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), 6000);
        config.put(StreamsConfig.consumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG), 1000);
        KafkaStreams streams = new KafkaStreams(topology.build(new StreamsBuilder()), config);
        streams.setUncaughtExceptionHandler(e -> org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler
                .StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
        streams.start();
        return streams;
    }

    private static void close(KafkaStreams streams) {
        streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(Duration.ofSeconds(30)));
    }

    private static void publish(LeadReceived lead) {
        try (KafkaProducer<String, LeadReceived> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, AvroSerializer.class,
                "schema.registry.url", REGISTRY))) {
            producer.send(new ProducerRecord<>(Topics.LEADS_RECEIVED.name(), lead.getLeadId(), lead));
        }
    }

    private static List<LeadRouted> versions(String leadId) {
        return committed(Topics.LEADS_ROUTED.name(), LeadRouted.class).stream().filter(d -> d.getLeadId().equals(leadId)).toList();
    }

    /** Every committed record of the topic, up to its current end. */
    private static <T> List<T> committed(String topic, Class<T> type) {
        try (KafkaConsumer<String, T> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, AvroDeserializer.class,
                "schema.registry.url", REGISTRY,
                "specific.avro.reader", true))) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            List<T> records = new ArrayList<>();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
                for (ConsumerRecord<String, T> record : consumer.poll(Duration.ofMillis(200))) {
                    records.add(record.value());
                }
            }
            return records;
        }
    }

    private static final String RULES = PooledRules.version("restart-test")
            .rep("{ id: ana, name: Ana, email: ana@example.com, slackUserId: U0ANA }")
            .rep("{ id: bo, name: Bo, email: bo@example.com, slackUserId: U0BO }")
            .team("ana", "bo")
            .sla("  - { id: standard, remindAfter: 5m, reassignAfter: 15m, maxReassignments: 1 }")
            .yaml();
}
