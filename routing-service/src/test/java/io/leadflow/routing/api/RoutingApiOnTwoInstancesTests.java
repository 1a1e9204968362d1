package io.leadflow.routing.api;

import io.leadflow.avro.LeadReceived;
import io.leadflow.platform.streams.InstanceQueries;
import io.leadflow.routing.RoutingServiceApplication;
import io.leadflow.routing.RunningRoutingService;
import io.leadflow.routing.topology.RoutingTopology;
import io.leadflow.schemas.Topics;
import io.leadflow.schemas.serde.AvroSerializer;
import io.leadflow.testing.KafkaBrokers;
import io.leadflow.testing.StreamsInstance;
import io.leadflow.testing.WithKafkaBroker;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static io.leadflow.routing.Leads.lead;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two routing-services in one Kafka Streams application, each with its own port and state directory. One of them runs
 * the routing lane's task; the other answers the decisions, the reps and a re-route all the same, by forwarding the
 * request once (with the admin token) to the one that runs it, and answers 503, never a wrong 404, when a forwarded
 * request would have to be forwarded again.
 */
@WithKafkaBroker
class RoutingApiOnTwoInstancesTests {

    static final String TOKEN = "routing-two-instances-token";
    static final String APPLICATION_ID = "routing-two-instances-" + UUID.randomUUID();
    static final JsonMapper JSON = JsonMapper.builder().build();

    static StreamsInstance one;
    static StreamsInstance two;

    @BeforeAll
    static void startTwoInstances() {
        one = start();
        two = start();
        await().atMost(Duration.ofSeconds(60)).until(() -> one.running() && two.running() && (runsTheLane(one) || runsTheLane(two))
                && one.streams().metadataForAllStreamsClients().size() == 2);
    }

    @AfterAll
    static void stop() {
        for (StreamsInstance instance : new StreamsInstance[] {two, one}) {
            if (instance != null) {
                instance.context().close();
            }
        }
    }

    @Test
    void theInstanceWithoutTheRoutingTaskAnswersDecisionsRepsAndReroutesThroughTheOneWithIt() throws Exception {
        StreamsInstance lane = runsTheLane(one) ? one : two;
        StreamsInstance other = lane == one ? two : one;
        assertThat(runsTheLane(other)).isFalse();
        LeadReceived lead = lead().us().build();
        publish(lead);

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(other.send("GET", "/routing/decisions/" + lead.getLeadId(), null, Map.of()).statusCode()).isEqualTo(200));
        JsonNode decision = JSON.readTree(other.send("GET", "/routing/decisions/" + lead.getLeadId(), null, Map.of()).body());
        assertThat(decision.path("leadId").asString()).isEqualTo(lead.getLeadId());
        assertThat(decision.path("decisionVersion").asInt()).isEqualTo(1);
        assertThat(JSON.readTree(lane.send("GET", "/routing/decisions/" + lead.getLeadId(), null, Map.of()).body()).path("owner"))
                .isEqualTo(decision.path("owner"));
        HttpResponse<String> reps = other.send("GET", "/routing/reps", null, Map.of());
        assertThat(reps.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(reps.body()).path("reps").size()).isPositive();
        HttpResponse<String> unknown = other.send("GET", "/routing/decisions/" + UUID.randomUUID(), null, Map.of());
        assertThat(unknown.statusCode()).as("a lead the routing task does not know is a real 404").isEqualTo(404);
        assertThat(JSON.readTree(unknown.body()).path("field").asString()).isEqualTo("leadId");

        HttpResponse<String> rerouted = other.send("POST", "/routing/leads/" + lead.getLeadId() + "/reroute",
                "{\"country\": \"DE\", \"note\": \"moved to Berlin\"}", Map.of());

        assertThat(rerouted.statusCode()).as(rerouted.body()).isEqualTo(202);
        assertThat(rerouted.headers().firstValue("Location")).hasValue("/routing/decisions/" + lead.getLeadId());
        assertThat(JSON.readTree(rerouted.body()).path("currentVersion").asInt()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(JSON.readTree(
                other.send("GET", "/routing/decisions/" + lead.getLeadId(), null, Map.of()).body()).path("decisionVersion").asInt())
                .isEqualTo(2));
    }

    @Test
    void aForwardedRequestIsAnsweredWhereItArrivesOr503NeverForwardedAgain() throws Exception {
        StreamsInstance lane = runsTheLane(one) ? one : two;
        StreamsInstance other = lane == one ? two : one;
        String leadId = UUID.randomUUID().toString();

        HttpResponse<String> marked = other.send("GET", "/routing/decisions/" + leadId, null, Map.of(InstanceQueries.FORWARDED, "localhost:1"));
        HttpResponse<String> markedReroute = other.send("POST", "/routing/leads/" + leadId + "/reroute", "{\"country\": \"DE\"}",
                Map.of(InstanceQueries.FORWARDED, "localhost:1"));

        assertThat(marked.statusCode()).as(marked.body()).isEqualTo(503);
        assertThat(marked.headers().firstValue("Retry-After")).isPresent();
        assertThat(marked.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
        assertThat(markedReroute.statusCode()).isEqualTo(503);
        assertThat(lane.send("GET", "/routing/decisions/" + leadId, null, Map.of(InstanceQueries.FORWARDED, "localhost:1")).statusCode())
                .as("the instance that runs the task answers a forwarded request itself").isEqualTo(404);
    }

    private static void publish(LeadReceived lead) {
        Map<String, Object> config = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBrokers.shared().bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, AvroSerializer.class,
                "schema.registry.url", RunningRoutingService.REGISTRY);
        try (KafkaProducer<String, LeadReceived> producer = new KafkaProducer<>(config)) {
            producer.send(new ProducerRecord<>(Topics.LEADS_RECEIVED.name(), lead.getLeadId(), lead));
        }
    }

    private static boolean runsTheLane(StreamsInstance instance) {
        return instance.holds(RoutingTopology.DECISIONS_STORE, "");
    }

    /**
     * One more routing-service of the same application, on its own port and state directory. It reads the leads of the
     * whole test run with the schemas they were written with (the shared mock registry).
     */
    private static StreamsInstance start() {
        return StreamsInstance.start(RoutingServiceApplication.class, APPLICATION_ID, RunningRoutingService.REGISTRY, TOKEN,
                "--spring.kafka.streams.replication-factor=1");
    }
}
