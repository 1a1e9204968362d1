package io.leadflow.trials.api;

import io.leadflow.platform.streams.InstanceQueries;
import io.leadflow.testing.KafkaBrokers;
import io.leadflow.testing.WithKafkaBroker;
import io.leadflow.trials.TrialTrackerApplication;
import io.leadflow.trials.topology.TrialIds;
import io.leadflow.trials.topology.TrialState;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two trial-trackers in one Kafka Streams application, each with its own port and state directory: whichever is asked
 * answers for every trial, by reading the trial where its partition is (forwarded once, with the admin token) and by
 * gathering the list from both, and extends or closes it there; a request that was already forwarded is never forwarded again; and while the
 * partitions move, the answer is 503 with Retry-After, never a 404 for a trial that exists.
 */
@WithKafkaBroker
class TrialsOnTwoInstancesTests {

    static final String TOKEN = "two-instances-token";
    static final JsonMapper JSON = JsonMapper.builder().build();
    static final HttpClient HTTP = HttpClient.newHttpClient();
    /**
     * The registry the service's other broker tests write with: the reminders these instances fire land on the same
     * topics, and must stay readable there.
     */
    static final String REGISTRY = "mock://trial-tracker-app-tests";
    static final String APPLICATION_ID = "trials-two-instances-" + UUID.randomUUID();

    static Instance first;
    static Instance second;

    record Instance(ConfigurableApplicationContext context, int port) {

        KafkaStreams streams() {
            return context.getBean(StreamsBuilderFactoryBean.class).getKafkaStreams();
        }

        boolean holds(String trialId) {
            return streams().queryMetadataForKey(TrialState.STORE, trialId, Serdes.String().serializer()).activeHost()
                    .equals(new HostInfo("localhost", port));
        }
    }

    @BeforeAll
    static void startTwoInstances() throws IOException {
        first = start();
        second = start();
        await().atMost(Duration.ofSeconds(60)).until(() -> running(first) && running(second)
                && first.streams().streamsMetadataForStore(TrialState.STORE).size() == 2);
    }

    @AfterAll
    static void stop() {
        for (Instance instance : new Instance[] {second, first}) {
            if (instance != null) {
                instance.context().close();
            }
        }
    }

    @Test
    void eitherInstanceAnswersForEveryTrialAndListsThemAll() throws Exception {
        List<String> trialIds = startTrials(12);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            for (Instance asked : List.of(first, second)) {
                assertThat(listed(asked)).as("GET /trials on port %d", asked.port()).containsAll(trialIds);
            }
        });
        assertThat(trialIds).as("the trials are spread over both instances")
                .anyMatch(first::holds).anyMatch(second::holds);
        for (String trialId : trialIds) {
            for (Instance asked : List.of(first, second)) {
                HttpResponse<String> detail = get(asked, "/trials/" + trialId, Map.of());
                assertThat(detail.statusCode()).as("GET /trials/%s on port %d: %s", trialId, asked.port(), detail.body())
                        .isEqualTo(200);
                assertThat(JSON.readTree(detail.body()).path("trial").path("trialId").asString()).isEqualTo(trialId);
            }
        }
    }

    @Test
    void aTrialHeldByTheOtherInstanceIsExtendedAndClosedThroughEither() throws Exception {
        String trialId = startTrials(6).stream().filter(second::holds).findFirst().orElseThrow();
        await().atMost(Duration.ofSeconds(30)).until(() -> get(first, "/trials/" + trialId, Map.of()).statusCode() == 200);
        java.time.Instant endsAt = endsAt(trialId);

        HttpResponse<String> extended = send(first, "POST", "/trials/" + trialId + "/extend",
                "{\"days\": 14, \"reason\": \"security review\"}", Map.of("Idempotency-Key", "extend-once"));

        assertThat(extended.statusCode()).as(extended.body()).isEqualTo(202);
        assertThat(extended.headers().firstValue("Location")).hasValue("/trials/" + trialId);
        await().atMost(Duration.ofSeconds(30)).until(() -> endsAt(trialId).equals(endsAt.plus(Duration.ofDays(14))));

        HttpResponse<String> closed = send(first, "POST", "/trials/" + trialId + "/close", "{\"outcome\": \"converted\"}", Map.of());

        assertThat(closed.statusCode()).as(closed.body()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(30)).until(() ->
                JSON.readTree(get(first, "/trials/" + trialId, Map.of()).body()).path("outcome").asString().equals("CONVERTED"));
        HttpResponse<String> again = send(first, "POST", "/trials/" + trialId + "/close", "{\"outcome\": \"lost\"}", Map.of());
        assertThat(again.statusCode()).as("the holder's answer: already closed").isEqualTo(409);
    }

    @Test
    void aForwardedRequestIsNeverForwardedAgain() throws Exception {
        String trialId = startTrials(6).stream().filter(second::holds).findFirst().orElseThrow();
        await().atMost(Duration.ofSeconds(30)).until(() -> get(second, "/trials/" + trialId, Map.of()).statusCode() == 200);

        HttpResponse<String> marked = get(first, "/trials/" + trialId, Map.of(InstanceQueries.FORWARDED, "localhost:1"));

        assertThat(marked.statusCode()).as(marked.body()).isEqualTo(503);
        assertThat(marked.headers().firstValue("Retry-After")).isPresent();
        assertThat(marked.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
        assertThat(get(first, "/trials/" + trialId, Map.of()).statusCode()).isEqualTo(200);
    }

    @Test
    void whilePartitionsMoveAnInstanceAnswers503NeverA404() throws Exception {
        List<String> trialIds = startTrials(6);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(listed(first)).containsAll(trialIds));
        Instance third = start();
        try {
            StreamsBuilderFactoryBean stopped = third.context().getBean(StreamsBuilderFactoryBean.class);
            await().atMost(Duration.ofSeconds(60)).until(() -> running(third));
            stopped.stop();

            HttpResponse<String> notRunning = get(third, "/trials/" + trialIds.get(0), Map.of());
            assertThat(notRunning.statusCode()).as(notRunning.body()).isEqualTo(503);
            assertThat(notRunning.headers().firstValue("Retry-After")).isPresent();
            assertThat(JSON.readTree(notRunning.body()).path("status").asInt()).isEqualTo(503);
            assertThat(get(third, "/trials", Map.of()).statusCode()).isEqualTo(503);

            // The stopped instance's partitions go back to the other two once its session expires.
            Set<Integer> seen = new HashSet<>();
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                List<Integer> statuses = new ArrayList<>();
                for (String trialId : trialIds) {
                    for (Instance asked : List.of(first, second)) {
                        int status = get(asked, "/trials/" + trialId, Map.of()).statusCode();
                        seen.add(status);
                        statuses.add(status);
                    }
                }
                assertThat(seen).as("answers while the partitions moved").isSubsetOf(200, 503);
                assertThat(statuses).containsOnly(200);
            });
        } finally {
            third.context().close();
        }
    }

    private static java.time.Instant endsAt(String trialId) throws Exception {
        return java.time.Instant.parse(JSON.readTree(get(first, "/trials/" + trialId, Map.of()).body()).path("trial").path("endsAt").asString());
    }

    private static List<String> startTrials(int count) throws Exception {
        List<String> trialIds = new ArrayList<>();
        for (String dealId : IntStream.range(0, count).mapToObj(i -> "two-" + UUID.randomUUID()).toList()) {
            HttpResponse<String> started = send(first, "POST", "/trials", "{\"dealId\":\"" + dealId + "\",\"deployment\":\"cloud\"}", Map.of());
            assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
            trialIds.add(TrialIds.forDeal(dealId));
        }
        return trialIds;
    }

    private static List<String> listed(Instance asked) throws Exception {
        HttpResponse<String> list = get(asked, "/trials?limit=5000", Map.of());
        assertThat(list.statusCode()).as(list.body()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        for (JsonNode trial : JSON.readTree(list.body())) {
            ids.add(trial.path("trialId").asString());
        }
        return ids;
    }

    private static HttpResponse<String> get(Instance asked, String path, Map<String, String> headers) throws Exception {
        return send(asked, "GET", path, null, headers);
    }

    private static HttpResponse<String> send(Instance asked, String method, String path, String body, Map<String, String> headers)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + asked.port() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + TOKEN);
        headers.forEach(request::header);
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static boolean running(Instance instance) {
        KafkaStreams streams = instance.streams();
        return streams != null && streams.state() == KafkaStreams.State.RUNNING;
    }

    /** One more trial-tracker of the same application, on its own port and state directory. */
    private static Instance start() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        ConfigurableApplicationContext context = new SpringApplicationBuilder(TrialTrackerApplication.class).run(
                "--server.port=" + port,
                "--spring.kafka.bootstrap-servers=" + KafkaBrokers.shared().bootstrapServers(),
                "--spring.kafka.properties.schema.registry.url=" + REGISTRY,
                "--spring.kafka.streams.application-id=" + APPLICATION_ID,
                "--spring.kafka.streams.state-dir=" + Files.createTempDirectory("trials-two-instances"),
                "--spring.kafka.streams.properties.application.server=localhost:" + port,
                "--spring.kafka.streams.properties.session.timeout.ms=6000",
                "--spring.kafka.streams.properties.heartbeat.interval.ms=1000",
                "--leadflow.admin.token=" + TOKEN,
                "--management.endpoints.web.exposure.include=health");
        return new Instance(context, port);
    }
}
