package io.leadflow.routing.api;

import io.leadflow.avro.LeadReceived;
import io.leadflow.avro.LeadRouted;
import io.leadflow.avro.RulesVersion;
import io.leadflow.routing.publish.RulesPublisher;
import io.leadflow.routing.RunningRoutingService;
import io.leadflow.routing.topology.RoutingTopology;
import io.leadflow.schemas.Topics;
import io.leadflow.testing.KafkaBrokers;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;
import tools.jackson.databind.JsonNode;

import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static io.leadflow.routing.Leads.lead;
import static io.leadflow.routing.RulesFiles.defaults;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code /routing/rules} on the running service and a real broker: the file it started with is version 1, a valid
 * file is published as the next version and shows in the history, an invalid one is a problem listing each problem with
 * its line and publishes nothing, and leads routed after a version reached the lane carry it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RulesApiTests extends RunningRoutingService {

    private static final TopicPartition RULES = new TopicPartition(Topics.ROUTING_RULES.name(), 0);

    @Autowired
    StreamsBuilderFactoryBean streams;

    @Autowired
    KafkaProperties kafka;

    @BeforeAll
    void theStartUpFileIsVersionOne() {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            HttpResponse<String> response = http.send(request("/routing/rules").GET().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            JsonNode first = json.readTree(response.body()).path("history").get(json.readTree(response.body()).path("history").size() - 1);
            assertThat(first.path("version").asInt()).isEqualTo(1);
            assertThat(first.path("publishedBy").asString()).isEqualTo("routing-service");
            assertThat(first.path("label").asString()).isEqualTo("handbook-2026.1");
        });
    }

    @Test
    void aValidFileIsPublishedAsTheNextVersionShownLiveInTheHistoryWithItsFileAndLeadsAfterItCarryIt() throws Exception {
        int before = live().path("version").asInt();

        HttpResponse<String> put = put(defaults(), "?note=" + URLEncoder.encode("same rules, new note", StandardCharsets.UTF_8), "Ada Admin");
        JsonNode published = json.readTree(put.body());

        assertThat(put.statusCode()).as(put.body()).isEqualTo(201);
        int version = published.path("version").asInt();
        assertThat(version).isGreaterThan(before);
        assertThat(put.headers().firstValue("Location")).hasValue("/routing/rules/" + version);
        JsonNode rules = json.readTree(get("/routing/rules").body());
        assertThat(rules.path("live").path("version").asInt()).isEqualTo(version);
        assertThat(rules.path("live").path("publishedBy").asString()).isEqualTo("Ada Admin");
        assertThat(rules.path("live").path("note").asString()).isEqualTo("same rules, new note");
        assertThat(rules.path("live").path("sha256").asString()).hasSize(64);
        assertThat(rules.path("live").has("yaml")).as("the history leaves the files out").isFalse();
        assertThat(rules.path("history")).extracting(v -> v.path("version").asInt()).contains(1, version);
        HttpResponse<String> file = get("/routing/rules/" + version);
        assertThat(file.statusCode()).isEqualTo(200);
        assertThat(file.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/yaml"));
        assertThat(file.body()).isEqualTo(defaults());

        LeadReceived after = lead().us().build();
        try (KafkaProducer<String, LeadReceived> producer = producer()) {
            producer.send(new ProducerRecord<>(Topics.LEADS_RECEIVED.name(), after.getLeadId(), after));
        }
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(decision(after.getLeadId()))
                .isNotNull().satisfies(d -> assertThat(d.getPublishedRulesVersion()).isGreaterThanOrEqualTo(version)));
    }

    @Test
    void publishesAtTheSameTimeOnTwoInstancesNeverTakeTheSameVersion() throws Exception {
        RulesPublisher one = new RulesPublisher(kafka, Clock.systemUTC());
        RulesPublisher other = new RulesPublisher(kafka, Clock.systemUTC());
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            List<Future<RulesVersion>> publishes = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                publishes.add(threads.submit(() -> one.publish(defaults(), "instance one", "concurrent")));
                publishes.add(threads.submit(() -> other.publish(defaults(), "instance other", "concurrent")));
            }
            List<Integer> versions = new ArrayList<>();
            for (Future<RulesVersion> publish : publishes) {
                versions.add(publish.get(60, TimeUnit.SECONDS).getVersion());
            }

            assertThat(versions).doesNotHaveDuplicates().hasSize(6);
            List<Integer> history = one.history().stream().map(RulesVersion::getVersion).toList();
            assertThat(history).containsAll(versions);
            assertThat(history).as("one record per version, numbered without gaps").containsExactlyElementsOf(
                    java.util.stream.IntStream.rangeClosed(1, history.size()).boxed().toList());
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void republishingAnOlderVersionIsANewVersionWithItsFileRecordedAsARollback() throws Exception {
        HttpResponse<String> response = http.send(request("/routing/rules/1/republish?note=back").POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode published = json.readTree(response.body());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        assertThat(published.path("rolledBackFrom").asInt()).isEqualTo(1);
        assertThat(published.path("publishedBy").asString()).isEqualTo("admin API");
        assertThat(get("/routing/rules/" + published.path("version").asInt()).body()).isEqualTo(get("/routing/rules/1").body());
        assertThat(http.send(request("/routing/rules/9999/republish").POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(404);
    }

    @Test
    void anInvalidFileIsAProblemListingEachProblemWithItsLineAndNothingIsPublished() throws Exception {
        long endBefore = endOffset();

        HttpResponse<String> response = put(BrokenRules.YAML, "", null);

        BrokenRules.assertBothProblemsListed(response);
        assertThat(endOffset()).as("nothing written to routing.rules").isEqualTo(endBefore);
    }

    @Test
    void withoutTheTokenNothingIsPublishedOrShown() throws Exception {
        long endBefore = endOffset();

        HttpResponse<String> put = http.send(HttpRequest.newBuilder(uri("/routing/rules")).header("Content-Type", "application/yaml")
                .PUT(HttpRequest.BodyPublishers.ofString(defaults())).build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> get = http.send(HttpRequest.newBuilder(uri("/routing/rules")).GET().build(), HttpResponse.BodyHandlers.ofString());

        assertThat(put.statusCode()).isEqualTo(401);
        assertThat(get.statusCode()).isEqualTo(401);
        assertThat(endOffset()).isEqualTo(endBefore);
    }

    @Test
    void aBadNoteOrVersionIsAProblemNamingIt() throws Exception {
        assertThat(json.readTree(put(defaults(), "?note=" + "x".repeat(501), null).body()).path("field").asString()).isEqualTo("note");
        HttpResponse<String> version = get("/routing/rules/abc");
        assertThat(version.statusCode()).isEqualTo(400);
        assertThat(json.readTree(version.body()).path("field").asString()).isEqualTo("version");
    }

    private JsonNode live() throws Exception {
        return json.readTree(get("/routing/rules").body()).path("live");
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> put(String rules, String query, String actor) throws Exception {
        HttpRequest.Builder request = request("/routing/rules" + query).header("Content-Type", "application/yaml")
                .PUT(HttpRequest.BodyPublishers.ofString(rules, StandardCharsets.UTF_8));
        if (actor != null) {
            request.header(RulesController.ACTOR, actor);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private LeadRouted decision(String leadId) {
        try {
            ReadOnlyKeyValueStore<String, LeadRouted> store = streams.getKafkaStreams().store(StoreQueryParameters
                    .fromNameAndType(RoutingTopology.DECISIONS_STORE, QueryableStoreTypes.<String, LeadRouted>keyValueStore()));
            return store.get(leadId);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static long endOffset() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBrokers.shared().bootstrapServers()))) {
            return admin.listOffsets(Map.of(RULES, OffsetSpec.latest())).partitionResult(RULES).get().offset();
        }
    }
}
