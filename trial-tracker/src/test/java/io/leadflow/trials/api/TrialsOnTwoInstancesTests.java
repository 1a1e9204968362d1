package io.leadflow.trials.api;

import io.leadflow.platform.streams.InstanceQueries;
import io.leadflow.testing.StreamsInstance;
import io.leadflow.testing.WithKafkaBroker;
import io.leadflow.trials.TrialTrackerApplication;
import io.leadflow.trials.topology.TrialIds;
import io.leadflow.trials.topology.TrialState;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.http.HttpResponse;
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
 * gathering the list from both, and starts (once: a running trial answers 200 through either), extends or closes it there; a request that was already forwarded is never forwarded again; and while the
 * partitions move, the answer is 503 with Retry-After, never a 404 for a trial that exists.
 */
@WithKafkaBroker
class TrialsOnTwoInstancesTests {

    static final String TOKEN = "two-instances-token";
    static final JsonMapper JSON = JsonMapper.builder().build();
    /**
     * The registry the service's other broker tests write with: the reminders these instances fire land on the same
     * topics, and must stay readable there.
     */
    static final String REGISTRY = "mock://trial-tracker-app-tests";
    static final String APPLICATION_ID = "trials-two-instances-" + UUID.randomUUID();

    static StreamsInstance first;
    static StreamsInstance second;

    @BeforeAll
    static void startTwoInstances() {
        first = start();
        second = start();
        await().atMost(Duration.ofSeconds(60)).until(() -> first.running() && second.running()
                && first.streams().streamsMetadataForStore(TrialState.STORE).size() == 2);
    }

    @AfterAll
    static void stop() {
        for (StreamsInstance instance : new StreamsInstance[] {second, first}) {
            if (instance != null) {
                instance.context().close();
            }
        }
    }

    @Test
    void eitherInstanceAnswersForEveryTrialAndListsThemAll() throws Exception {
        List<String> trialIds = startTrials(12);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            for (StreamsInstance asked : List.of(first, second)) {
                assertThat(listed(asked)).as("GET /trials on port %d", asked.port()).containsAll(trialIds);
            }
        });
        assertThat(trialIds).as("the trials are spread over both instances")
                .anyMatch(id -> first.holds(TrialState.STORE, id)).anyMatch(id -> second.holds(TrialState.STORE, id));
        for (String trialId : trialIds) {
            for (StreamsInstance asked : List.of(first, second)) {
                HttpResponse<String> detail = get(asked, "/trials/" + trialId, Map.of());
                assertThat(detail.statusCode()).as("GET /trials/%s on port %d: %s", trialId, asked.port(), detail.body())
                        .isEqualTo(200);
                assertThat(JSON.readTree(detail.body()).path("trial").path("trialId").asString()).isEqualTo(trialId);
            }
        }
    }

    @Test
    void aTrialHeldByTheOtherInstanceIsExtendedAndClosedThroughEither() throws Exception {
        String trialId = heldBy(second);
        await().atMost(Duration.ofSeconds(30)).until(() -> get(first, "/trials/" + trialId, Map.of()).statusCode() == 200);
        java.time.Instant endsAt = endsAt(trialId);

        HttpResponse<String> extended = first.send("POST", "/trials/" + trialId + "/extend",
                "{\"days\": 14, \"reason\": \"security review\"}", Map.of("Idempotency-Key", "extend-once"));

        assertThat(extended.statusCode()).as(extended.body()).isEqualTo(202);
        assertThat(extended.headers().firstValue("Location")).hasValue("/trials/" + trialId);
        await().atMost(Duration.ofSeconds(30)).until(() -> endsAt(trialId).equals(endsAt.plus(Duration.ofDays(14))));

        HttpResponse<String> closed = first.send("POST", "/trials/" + trialId + "/close", "{\"outcome\": \"converted\"}", Map.of());

        assertThat(closed.statusCode()).as(closed.body()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(30)).until(() ->
                JSON.readTree(get(first, "/trials/" + trialId, Map.of()).body()).path("outcome").asString().equals("CONVERTED"));
        HttpResponse<String> again = first.send("POST", "/trials/" + trialId + "/close", "{\"outcome\": \"lost\"}", Map.of());
        assertThat(again.statusCode()).as("the holder's answer: already closed").isEqualTo(409);
    }

    @Test
    void startingARunningTrialAgainThroughEitherInstanceAnswersThatItRuns() throws Exception {
        String dealId = "again-" + UUID.randomUUID();
        String trialId = TrialIds.forDeal(dealId);
        String body = "{\"dealId\":\"" + dealId + "\",\"deployment\":\"cloud\"}";
        assertThat(post(first, "/trials", body).statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(30)).until(() -> get(first, "/trials/" + trialId, Map.of()).statusCode() == 200);

        for (StreamsInstance asked : List.of(first, second)) {
            HttpResponse<String> again = post(asked, "/trials", body);
            assertThat(again.statusCode()).as("POST /trials again on port %d: %s", asked.port(), again.body()).isEqualTo(200);
            assertThat(JSON.readTree(again.body()).path("trialId").asString()).isEqualTo(trialId);
        }
    }

    @Test
    void aForwardedRequestIsNeverForwardedAgain() throws Exception {
        String trialId = heldBy(second);
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
        StreamsInstance third = start();
        try {
            StreamsBuilderFactoryBean stopped = third.context().getBean(StreamsBuilderFactoryBean.class);
            await().atMost(Duration.ofSeconds(60)).until(() -> third.running());
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
                    for (StreamsInstance asked : List.of(first, second)) {
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
            HttpResponse<String> started = post(first, "/trials", "{\"dealId\":\"" + dealId + "\",\"deployment\":\"cloud\"}");
            assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
            trialIds.add(TrialIds.forDeal(dealId));
        }
        return trialIds;
    }

    /**
     * A POST as a client makes it: a 503 ("the state is not ready; please retry", while the group rebalances, as it may
     * again after both instances first ran) is tried again; any other answer is returned.
     */
    private static HttpResponse<String> post(StreamsInstance asked, String path, String body) {
        return await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> asked.send("POST", path, body, Map.of()), response -> response.statusCode() != 503);
    }

    /** A new trial whose partition {@code holder} holds (trials are started until one lands there). */
    private static String heldBy(StreamsInstance holder) throws Exception {
        for (int attempt = 0; attempt < 40; attempt++) {
            String trialId = startTrials(1).get(0);
            if (holder.holds(TrialState.STORE, trialId)) {
                return trialId;
            }
        }
        throw new AssertionError("no trial landed on port " + holder.port() + " in 40 starts");
    }

    private static List<String> listed(StreamsInstance asked) throws Exception {
        HttpResponse<String> list = get(asked, "/trials?limit=5000", Map.of());
        assertThat(list.statusCode()).as(list.body()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        for (JsonNode trial : JSON.readTree(list.body())) {
            ids.add(trial.path("trialId").asString());
        }
        return ids;
    }

    private static HttpResponse<String> get(StreamsInstance asked, String path, Map<String, String> headers) throws Exception {
        return asked.send("GET", path, null, headers);
    }

    /** One more trial-tracker of the same application, on its own port and state directory. */
    private static StreamsInstance start() {
        return StreamsInstance.start(TrialTrackerApplication.class, APPLICATION_ID, REGISTRY, TOKEN,
                "--spring.kafka.streams.properties.session.timeout.ms=6000",
                "--spring.kafka.streams.properties.heartbeat.interval.ms=1000");
    }
}
