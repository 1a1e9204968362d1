package io.leadflow.routing.api;

import io.leadflow.avro.LeadReceived;
import io.leadflow.avro.LeadRouted;
import io.leadflow.avro.RulesVersion;
import io.leadflow.routing.RoutingServiceApplication;
import io.leadflow.routing.RunningRoutingService;
import io.leadflow.routing.topology.RoutingTopology;
import io.leadflow.schemas.Topics;
import io.leadflow.schemas.serde.AvroDeserializer;
import io.leadflow.schemas.serde.AvroSerializer;
import io.leadflow.testing.KafkaBrokers;
import io.leadflow.testing.StreamsInstance;
import io.leadflow.testing.WithKafkaBroker;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static io.leadflow.routing.Leads.lead;
import static io.leadflow.routing.RulesFiles.defaults;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two routing-services of one Kafka Streams application switch rules at the same lead. A version is published through
 * one instance while leads of every partition of {@code leads.received} keep coming; the instance running the routing
 * lane is then stopped and the other takes the lane over, restoring the live version from the task's changelog. Where
 * the version record landed in the lane (its offset among the leads) decides, on either instance: every lead after it
 * in the lane is decided under it, every lead before it under the version before.
 */
@WithKafkaBroker
class RulesSwitchOnTwoInstancesTests {

    static final String TOKEN = "routing-rules-switch-token";
    static final String APPLICATION_ID = "routing-rules-switch-" + UUID.randomUUID();
    static final JsonMapper JSON = JsonMapper.builder().build();
    static final HttpClient HTTP = HttpClient.newHttpClient();

    private final List<StreamsInstance> instances = new ArrayList<>();

    @AfterEach
    void stop() {
        instances.forEach(StreamsInstance::close);
    }

    @Test
    void everyLeadAfterTheVersionInTheLaneIsDecidedUnderItBeforeAndAfterTheLaneMovesToTheOtherInstance() throws Exception {
        StreamsInstance one = start();
        StreamsInstance two = start();
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> one.running() && two.running() && (runsTheLane(one) || runsTheLane(two))
                && one.streams().metadataForAllStreamsClients().size() == 2);
        StreamsInstance lane = runsTheLane(one) ? one : two;
        StreamsInstance other = lane == one ? two : one;

        // leads before the version, then the version published through the instance without the lane while leads keep coming
        Set<String> leadIds = new LinkedHashSet<>();
        try (KafkaProducer<String, LeadReceived> producer = producer()) {
            send(producer, 20, leadIds);
            await().atMost(Duration.ofSeconds(60)).until(() -> decisions(leadIds).size() == leadIds.size());
            HttpResponse<String> put = HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + other.port() + "/routing/rules"))
                    .header("Authorization", "Bearer " + TOKEN).header("Content-Type", "application/yaml")
                    .PUT(HttpRequest.BodyPublishers.ofString(defaults(), StandardCharsets.UTF_8)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(put.statusCode()).as(put.body()).isEqualTo(201);
            int published = JSON.readTree(put.body()).path("version").asInt();
            send(producer, 20, leadIds);
            await().atMost(Duration.ofSeconds(60)).until(() -> decisions(leadIds).size() == leadIds.size());

            // the instance running the lane stops; the other takes it over and routes what comes next
            lane.close();
            instances.remove(lane);
            await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> other.running() && runsTheLane(other));
            send(producer, 20, leadIds);
            await().atMost(Duration.ofSeconds(60)).until(() -> decisions(leadIds).size() == leadIds.size());

            // then, in the lane's order, each lead carries the last version before it; ours falls among our leads
            Map<String, Integer> expected = new java.util.LinkedHashMap<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                expected.clear();
                expected.putAll(versionsInLaneOrder(leadIds)); // read_committed: the lane's last transaction may be open yet
                return expected.size() == leadIds.size();
            });
            Map<String, LeadRouted> decided = decisions(leadIds);
            List<String> inLane = new ArrayList<>(expected.keySet());
            assertThat(inLane).allSatisfy(leadId -> assertThat(decided.get(leadId).getPublishedRulesVersion())
                    .as("lead %s, number %d in the lane", leadId, inLane.indexOf(leadId)).isEqualTo(expected.get(leadId)));
            assertThat(expected.values()).as("leads on both sides of the switch").contains(published)
                    .anyMatch(version -> version < published);
            assertThat(inLane.subList(inLane.size() - 20, inLane.size()))
                    .as("routed by the instance that took the lane over, with the version restored").allSatisfy(leadId ->
                            assertThat(decided.get(leadId).getPublishedRulesVersion()).isEqualTo(published));
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                Map<String, List<LeadRouted>> routed = routed(leadIds);
                assertThat(inLane).as("each of those decisions is on leads.routed").allSatisfy(leadId ->
                        assertThat(routed.get(leadId)).as("lead %s", leadId).contains(decided.get(leadId)));
            });
        }
    }

    /** Sends {@code count} leads keyed by their id, so they land on every partition of {@code leads.received}. */
    private static void send(KafkaProducer<String, LeadReceived> producer, int count, Set<String> leadIds) {
        for (int i = 0; i < count; i++) {
            String submission = "switch-" + UUID.randomUUID(); // ids of this run alone: the broker outlives test runs
            LeadReceived lead = i % 2 == 0 ? lead().id(submission).us().build() : lead().id(submission).eu().build();
            producer.send(new ProducerRecord<>(Topics.LEADS_RECEIVED.name(), lead.getLeadId(), lead));
            leadIds.add(lead.getLeadId());
        }
        producer.flush();
    }

    /**
     * Our leads in the order of the routing lane, each with the newest version of the rules records before it in the
     * lane (0 before any: the file the service started with).
     */
    private static Map<String, Integer> versionsInLaneOrder(Set<String> leadIds) {
        Map<String, Integer> versions = new java.util.LinkedHashMap<>();
        try (KafkaConsumer<String, Object> consumer = consumer()) {
            TopicPartition lanePartition = new TopicPartition(APPLICATION_ID + "-routing-lane-repartition", 0);
            consumer.assign(List.of(lanePartition));
            consumer.seekToBeginning(List.of(lanePartition));
            long end = consumer.endOffsets(List.of(lanePartition)).get(lanePartition);
            int version = 0;
            while (consumer.position(lanePartition) < end) {
                for (ConsumerRecord<String, Object> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.value() instanceof RulesVersion rules) {
                        version = Math.max(version, rules.getVersion()); // an older one met again is ignored
                    } else if (record.value() instanceof LeadReceived lead && leadIds.contains(lead.getLeadId())) {
                        versions.putIfAbsent(lead.getLeadId(), version);
                    }
                }
            }
        }
        return versions;
    }

    /**
     * The first decision this application made for each of these leads, as committed: the first record of the lead in
     * the changelog of the routing task's decisions store, which every decision is written to in the same transaction as
     * its {@code leads.routed} record. Not {@code leads.routed} itself: every routing application on the test JVM's
     * broker reads {@code leads.received} and writes there (the one Spring context the other test classes share keeps
     * running after they finish), each with its own lane and so its own point of switching, and the first decision of a
     * lead there may be another application's.
     */
    private static Map<String, LeadRouted> decisions(Set<String> leadIds) {
        Map<String, LeadRouted> decided = new HashMap<>();
        try (KafkaConsumer<String, Object> consumer = consumer()) {
            TopicPartition changelog = new TopicPartition(APPLICATION_ID + "-" + RoutingTopology.DECISIONS_STORE + "-changelog", 0);
            consumer.assign(List.of(changelog));
            consumer.seekToBeginning(List.of(changelog));
            long end = consumer.endOffsets(List.of(changelog)).get(changelog);
            while (consumer.position(changelog) < end) {
                for (ConsumerRecord<String, Object> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.value() instanceof LeadRouted routed && leadIds.contains(routed.getLeadId())) {
                        decided.putIfAbsent(routed.getLeadId(), routed);
                    }
                }
            }
        }
        return decided;
    }

    /** Every decision of these leads on {@code leads.routed}, as committed, whichever application made it. */
    private static Map<String, List<LeadRouted>> routed(Set<String> leadIds) {
        Map<String, List<LeadRouted>> routed = new HashMap<>();
        try (KafkaConsumer<String, Object> consumer = consumer()) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.LEADS_ROUTED.name()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < ends.get(tp))) {
                for (ConsumerRecord<String, Object> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.value() instanceof LeadRouted decision && leadIds.contains(decision.getLeadId())) {
                        routed.computeIfAbsent(decision.getLeadId(), leadId -> new ArrayList<>()).add(decision);
                    }
                }
            }
        }
        return routed;
    }

    private static KafkaConsumer<String, Object> consumer() {
        return new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBrokers.shared().bootstrapServers(),
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, AvroDeserializer.class,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2_000,
                "schema.registry.url", RunningRoutingService.REGISTRY,
                "specific.avro.reader", true));
    }

    private static KafkaProducer<String, LeadReceived> producer() {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBrokers.shared().bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, AvroSerializer.class,
                "schema.registry.url", RunningRoutingService.REGISTRY));
    }

    private static boolean runsTheLane(StreamsInstance instance) {
        return instance.holds(RoutingTopology.DECISIONS_STORE, "");
    }

    private StreamsInstance start() {
        StreamsInstance instance = StreamsInstance.start(RoutingServiceApplication.class, APPLICATION_ID, RunningRoutingService.REGISTRY,
                TOKEN, "--spring.kafka.streams.replication-factor=1");
        instances.add(instance);
        return instance;
    }
}
