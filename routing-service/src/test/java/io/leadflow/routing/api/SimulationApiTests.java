package io.leadflow.routing.api;

import io.leadflow.avro.LeadReceived;
import io.leadflow.avro.LeadRouted;
import io.leadflow.avro.PlanInterest;
import io.leadflow.routing.RunningRoutingService;
import io.leadflow.routing.topology.RoutingTopology;
import io.leadflow.schemas.Topics;
import io.leadflow.testing.KafkaBrokers;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupListing;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static io.leadflow.routing.Leads.lead;
import static io.leadflow.routing.RulesFiles.defaults;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code POST /routing/simulations} on the running service and a real broker: it reads what was received and decided,
 * publishes nothing, touches no live state, and reports what a candidate rules file would change.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SimulationApiTests extends RunningRoutingService {

    /** A window of this class's own leads: two hours ago, so no other test's lead falls in it. */
    private final Instant from = Instant.now().minus(2, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
    private final Instant to = from.plus(10, ChronoUnit.MINUTES);

    private final LeadReceived scaleUs = lead().us().interest(PlanInterest.SCALE).events(20_000_000L).receivedAt(from.plusSeconds(1)).build();
    private final LeadReceived groupDemo = lead().groupDemo().eu().receivedAt(from.plusSeconds(2)).build();
    private final LeadReceived yc = lead().yc().us().receivedAt(from.plusSeconds(3)).build();
    private final List<LeadReceived> leads = List.of(scaleUs, groupDemo, yc);

    @Autowired
    StreamsBuilderFactoryBean streams;

    @BeforeAll
    void theLeadsWereReceivedAndRouted() {
        await().atMost(Duration.ofSeconds(60)).until(() -> decisions() != null);
        try (KafkaProducer<String, LeadReceived> producer = producer()) {
            // stamped when received, as lead-intake's records are (a simulation seeks the window by record time)
            leads.forEach(lead -> producer.send(new ProducerRecord<>(Topics.LEADS_RECEIVED.name(), null,
                    lead.getReceivedAt().toEpochMilli(), lead.getLeadId(), lead)));
        }
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(decisions()).containsKeys(
                leads.stream().map(LeadReceived::getLeadId).toArray(String[]::new)));
        // committed, so no transaction marker is still to come while a test compares end offsets
        try (KafkaConsumer<String, byte[]> committed = committedReader()) {
            Set<String> seen = new TreeSet<>();
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                committed.poll(Duration.ofMillis(200)).forEach(record -> seen.add(record.key()));
                assertThat(seen).containsAll(leads.stream().map(LeadReceived::getLeadId).toList());
            });
        }
    }

    @Test
    void aSimulationReportsWhatTheCandidateChangesAndPublishesNothingAndChangesNoLiveState() throws Exception {
        String candidate = defaults().replace("version: handbook-2026.1", "version: scale-us-to-simon")
                .replace("assign: cameron\n      because: \"{rep} looks after Scale customers in the US, and",
                        "assign: simon\n      because: \"{rep} looks after Scale customers in the US, and")
                .replace("monthlyEventsAbove: 50000000", "monthlyEventsAbove: 10000000");
        Map<TopicPartition, Long> endOffsetsBefore = endOffsets();
        Map<String, LeadRouted> decisionsBefore = decisions();
        Map<String, String> accountsBefore = store(RoutingTopology.ACCOUNTS_STORE);
        Map<String, Long> countersBefore = store(RoutingTopology.COUNTERS_STORE);
        Set<String> groupsBefore = consumerGroups();

        HttpResponse<String> response = simulate(candidate, "?from=" + from + "&to=" + to);
        JsonNode report = json.readTree(response.body());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(report.path("rulesVersion").asString()).isEqualTo("scale-us-to-simon");
        assertThat(report.path("leadsExamined").asLong()).isEqualTo(3);
        assertThat(report.path("unchanged").asLong()).isEqualTo(2);
        assertThat(report.path("notDecidedBefore").asLong()).isZero();
        assertThat(report.path("changed")).isEqualTo(json.readTree("{\"total\": 1, \"owner\": 1, \"pipeline\": 1, \"plan\": 0}"));
        JsonNode change = report.path("changes").get(0);
        assertThat(report.path("changes")).hasSize(1);
        assertThat(change.path("leadId").asString()).isEqualTo(scaleUs.getLeadId());
        assertThat(change.path("changed")).extracting(JsonNode::asString).containsExactly("owner", "pipeline");
        assertThat(change.path("before").path("owner").asString()).isEqualTo("cameron");
        assertThat(change.path("after").path("owner").asString()).isEqualTo("simon");
        assertThat(change.path("before").path("pipeline").asString()).isEqualTo("SELF_SERVE");
        assertThat(change.path("after").path("pipeline").asString()).isEqualTo("HANDS_ON");
        assertThat(change.path("before").path("reasons").get(2).path("explanation").asString())
                .isEqualTo("Cameron looks after Scale customers in the US, and they asked for Scale.");
        assertThat(change.path("after").path("reasons").get(2).path("explanation").asString())
                .isEqualTo("Simon looks after Scale customers in the US, and they asked for Scale.");
        assertThat(report.path("ruleHits").path("owners").path("scale-us")).isEqualTo(json.readTree("{\"before\": 1, \"after\": 1}"));
        assertThat(report.path("ruleHits").path("pipeline").path("over-50m-monthly-events")).isEqualTo(json.readTree("{\"before\": 0, \"after\": 1}"));
        String day = scaleUs.getReceivedAt().toString().substring(0, 10);
        assertThat(report.path("leadsPerRepAndDay").path("simon").path(day)).isEqualTo(json.readTree("{\"before\": 0, \"after\": 1}"));
        assertThat(report.path("rulesNeverFired")).extracting(rule -> rule.path("rule").asString()).contains("scale-eu", "enterprise");
        assertThat(report.path("input").path("unreadable").asLong()).isZero();

        assertThat(endOffsets()).as("nothing published anywhere").isEqualTo(endOffsetsBefore);
        assertThat(decisions()).as("the decisions store").isEqualTo(decisionsBefore);
        assertThat(store(RoutingTopology.ACCOUNTS_STORE)).as("account owners").isEqualTo(accountsBefore);
        assertThat(store(RoutingTopology.COUNTERS_STORE)).as("caps and round robin").isEqualTo(countersBefore);
        assertThat(consumerGroups()).as("no consumer group joined").isEqualTo(groupsBefore);

        JsonNode again = json.readTree(simulate(candidate, "?from=" + from + "&to=" + to).body());
        assertThat(withoutGeneratedAt(again)).as("the same simulation gives the same report").isEqualTo(withoutGeneratedAt(report));
        assertThat(report.path("generatedAt").asString()).isNotEmpty();
    }

    @Test
    void theCurrentRulesOverTheirOwnLeadsChangeNothingAndSourcesNarrowTheWindow() throws Exception {
        JsonNode same = json.readTree(simulate(defaults(), "?from=" + from + "&to=" + to).body());
        JsonNode demosOnly = json.readTree(simulate(defaults(), "?from=" + from + "&to=" + to + "&sources=demo-booking").body());

        assertThat(same.path("leadsExamined").asLong()).isEqualTo(3);
        assertThat(same.path("unchanged").asLong()).isEqualTo(3);
        assertThat(demosOnly.path("leadsExamined").asLong()).isZero();
        assertThat(demosOnly.path("window").path("sources")).extracting(JsonNode::asString).containsExactly("DEMO_BOOKING");
    }

    @Test
    void anInvalidCandidateIsAProblemListingEachProblemWithItsLineAndNothingIsPublished() throws Exception {
        Map<TopicPartition, Long> endOffsetsBefore = endOffsets();

        HttpResponse<String> response = simulate(BrokenRules.YAML, "");

        JsonNode problem = BrokenRules.assertBothProblemsListed(response);
        assertThat(problem.path("detail").asString()).isEqualTo("body is not a valid rules file (2 problems)");
        assertThat(endOffsets()).isEqualTo(endOffsetsBefore);
    }

    @Test
    void aFileThatIsNotYamlIsAProblemWithTheLineOfTheSyntaxError() throws Exception {
        HttpResponse<String> response = simulate("version: 1\nreps:\n  - id: ana\n    name: [unclosed\n", "");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json.readTree(response.body()).path("problems").get(0).path("line").asInt()).isBetween(4, 5);
        assertThat(json.readTree(response.body()).path("problems").get(0).path("message").asString()).startsWith("not valid YAML");
    }

    @Test
    void aWindowWithNoLeadsAnswersZeros() throws Exception {
        HttpResponse<String> response = simulate(defaults(), "?from=2001-01-01T00:00:00Z&to=2001-01-02T00:00:00Z");
        JsonNode report = json.readTree(response.body());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(report.path("leadsExamined").asLong()).isZero();
        assertThat(report.path("unchanged").asLong()).isZero();
        assertThat(report.path("changed")).isEqualTo(json.readTree("{\"total\": 0, \"owner\": 0, \"pipeline\": 0, \"plan\": 0}"));
        assertThat(report.path("changes")).isEmpty();
        assertThat(report.path("leadsPerRepAndDay")).isEmpty();
        assertThat(report.path("window").path("from").asString()).isEqualTo("2001-01-01T00:00:00Z");
    }

    @Test
    void badParametersAreProblemsNamingTheParameter() throws Exception {
        assertProblem(simulate(defaults(), "?from=yesterday"), 400, "from");
        assertProblem(simulate(defaults(), "?to=2026-13-01T00:00:00Z"), 400, "to");
        assertProblem(simulate(defaults(), "?from=2026-03-02T00:00:00Z&to=2026-03-01T00:00:00Z"), 400, "to");
        assertProblem(simulate(defaults(), "?sources=website_form,carrier-pigeon"), 400, "sources");
        assertProblem(simulate(defaults(), "?limit=-1"), 400, "limit");
        assertProblem(simulate("", ""), 400, "body");
        assertProblem(simulate("# " + "x".repeat(SimulationController.MAX_RULES_BYTES), ""), 413, "body");
        HttpResponse<String> json = http.send(request("/routing/simulations").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(json.statusCode()).isEqualTo(415);
    }

    // ---- helpers ----

    private void assertProblem(HttpResponse<String> response, int status, String field) throws IOException {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(json.readTree(response.body()).path("field").asString()).isEqualTo(field);
    }

    private HttpResponse<String> simulate(String rules, String query) throws Exception {
        return http.send(request("/routing/simulations" + query).header("Content-Type", "application/yaml")
                .POST(HttpRequest.BodyPublishers.ofString(rules, StandardCharsets.UTF_8)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode withoutGeneratedAt(JsonNode report) {
        ObjectNode copy = (ObjectNode) report.deepCopy();
        copy.remove("generatedAt");
        return copy;
    }

    /** Every decision in the live store, or null before the stream is running. */
    private Map<String, LeadRouted> decisions() {
        try {
            return store(RoutingTopology.DECISIONS_STORE);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private <V> Map<String, V> store(String name) {
        ReadOnlyKeyValueStore<String, V> store = streams.getKafkaStreams()
                .store(StoreQueryParameters.fromNameAndType(name, QueryableStoreTypes.<String, V>keyValueStore()));
        Map<String, V> all = new TreeMap<>();
        try (KeyValueIterator<String, V> entries = store.all()) {
            entries.forEachRemaining((KeyValue<String, V> entry) -> all.put(entry.key, entry.value));
        }
        return all;
    }

    private Map<TopicPartition, Long> endOffsets() throws Exception {
        try (Admin admin = admin()) {
            Collection<TopicDescription> topics = admin.describeTopics(Topics.allNamesWithDeadLetters()).allTopicNames().get().values();
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            topics.forEach(topic -> topic.partitions().forEach(p -> latest.put(new TopicPartition(topic.name(), p.partition()), OffsetSpec.latest())));
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> offsets = admin.listOffsets(latest).all().get();
            return offsets.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset(), (a, b) -> a, HashMap::new));
        }
    }

    private Set<String> consumerGroups() throws Exception {
        try (Admin admin = admin()) {
            return admin.listConsumerGroups().all().get().stream().map(ConsumerGroupListing::groupId).collect(Collectors.toCollection(TreeSet::new));
        }
    }

    private static Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBrokers.shared().bootstrapServers()));
    }

    private static KafkaConsumer<String, byte[]> committedReader() {
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBrokers.shared().bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class));
        List<TopicPartition> partitions = consumer.partitionsFor(Topics.LEADS_ROUTED.name()).stream()
                .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        return consumer;
    }
}
