package io.leadflow.chaos;

import io.leadflow.avro.TrialReminder;
import io.leadflow.schemas.Topics;
import io.leadflow.schemas.serde.AvroDeserializer;
import io.leadflow.schemas.serde.AvroSerdeConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.awaitility.Awaitility;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

/**
 * Scenario 5: trial-tracker's two instances killed and restarted around reminders falling due. Evaluations are
 * started through {@code POST /trials} with a start 29 days back, so each has its past reminders (kick-off, check-ins,
 * review call) overdue at once and its "ends soon" reminder falling due within the next minutes, spread out; then one
 * instance is killed (SIGKILL) just before the first of those fall due and the other in the middle of them, each started
 * again. The audit reads {@code trials.reminders} as a {@code read_committed} consumer: every reminder each trial lists
 * as fired ({@code GET /trials/{id}}) and every one still pending whose due time has passed must be there exactly once.
 */
final class TrialRestarts implements Scenario {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final int trials;
    private final Duration firstDueAfter;
    private final Duration spread;
    private final Duration downFor;
    private final Map<String, Integer> instances = new LinkedHashMap<>();
    private final List<String> trialIds = new ArrayList<>();

    /**
     * @param trials        evaluations started
     * @param firstDueAfter when the first "ends soon" reminder falls due, after the faults begin
     * @param spread        over how long the "ends soon" reminders fall due
     * @param downFor       how long a killed instance stays down
     */
    TrialRestarts(int trials, Duration firstDueAfter, Duration spread, Duration downFor) {
        this.trials = trials;
        this.firstDueAfter = firstDueAfter;
        this.spread = spread;
        this.downFor = downFor;
        Stack.SERVICES.forEach(s -> instances.put(s, 1));
        instances.put(Stack.TRIALS, 2);
    }

    @Override
    public String name() {
        return "trials";
    }

    @Override
    public String description() {
        return "(5) " + trials + " evaluations with reminders falling due over " + spread.toSeconds() + " s; each trial-tracker "
                + "instance killed (SIGKILL) around them and restarted after " + downFor.toSeconds() + " s";
    }

    @Override
    public Map<String, Integer> instances() {
        return instances;
    }

    @Override
    public void inject(Stack stack, Timeline timeline) {
        List<Node> trackers = stack.instances(Stack.TRIALS);
        Instant firstDue = Instant.now().plus(firstDueAfter);
        for (int i = 0; i < trials; i++) {
            // a 30-day evaluation whose "ends soon" reminder (a day before the end) falls due at firstDue + i/trials of the spread
            Instant expiring = firstDue.plus(spread.multipliedBy(i).dividedBy(Math.max(1, trials - 1)));
            Instant startsAt = expiring.minus(Duration.ofDays(29));
            trialIds.add(start(trackers.get(i % trackers.size()), stack.signing().adminToken(), "chaos-" + UUID.randomUUID(), startsAt));
        }
        Node first = trackers.get(0);
        Awaitility.await().atMost(firstDueAfter.plusSeconds(5)).pollInterval(Duration.ofMillis(200))
                .until(() -> !Instant.now().isBefore(firstDue.minusSeconds(2)));
        restart(first, timeline);
        Node second = trackers.get(trackers.size() - 1);
        Instant middle = firstDue.plus(spread.dividedBy(2));
        Awaitility.await().atMost(spread.plus(firstDueAfter).plusMinutes(5)).pollInterval(Duration.ofMillis(200))
                .until(() -> !Instant.now().isBefore(middle));
        restart(second, timeline);
        Instant lastDue = firstDue.plus(spread);
        Awaitility.await().atMost(spread.plus(firstDueAfter).plusMinutes(5)).pollInterval(Duration.ofMillis(500))
                .until(() -> Instant.now().isAfter(lastDue));
    }

    private void restart(Node node, Timeline timeline) {
        Instant killed = Instant.now();
        node.kill();
        Awaitility.await().pollDelay(downFor).atMost(downFor.plusSeconds(1)).until(() -> true);
        node.start();
        node.awaitReady(Duration.ofMinutes(4));
        timeline.record("SIGKILL around due reminders, restart after " + downFor.toSeconds() + " s", node.name(), killed,
                Duration.between(killed, Instant.now()));
    }

    /** Every reminder due by now of the trials started, counted on {@code trials.reminders} (read_committed). */
    @Override
    public List<Audit.Sink> audit(Stack stack) {
        Instant now = Instant.now();
        Node asked = stack.instances(Stack.TRIALS).get(0);
        Map<String, String> expected = new LinkedHashMap<>();
        for (String trialId : trialIds) {
            JsonNode detail = get(asked, stack.signing().adminToken(), "/trials/" + trialId);
            // fired ones with their ids; pending ones by the id they will fire with (trialId:KIND:dueAt)
            for (JsonNode reminder : detail.path("reminders")) {
                expected.put(reminder.path("reminderId").asString(), trialId);
            }
            for (JsonNode pending : detail.path("pending")) {
                Instant dueAt = Instant.parse(pending.path("dueAt").asString());
                if (dueAt.isBefore(now.minusSeconds(5))) {
                    expected.put(trialId + ":" + pending.path("kind").asString() + ":" + dueAt, trialId);
                }
            }
        }
        Map<String, Integer> seen = published(stack);
        List<String> lost = new ArrayList<>();
        List<String> duplicated = new ArrayList<>();
        expected.keySet().forEach(id -> {
            int n = seen.getOrDefault(id, 0);
            if (n == 0) {
                lost.add(id);
            } else if (n > 1) {
                duplicated.add(id + " ×" + n);
            }
        });
        return List.of(new Audit.Sink("trial reminders", expected.size(), expected.size() - lost.size(), lost.size(), duplicated.size(),
                List.copyOf(lost.subList(0, Math.min(5, lost.size()))), List.copyOf(duplicated.subList(0, Math.min(5, duplicated.size())))));
    }

    /** reminderId → how many committed records of {@code trials.reminders} carry it. */
    private static Map<String, Integer> published(Stack stack) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        // a deserializer handed over as an instance is not configured by the consumer: configure it here
        AvroDeserializer<TrialReminder> values = new AvroDeserializer<>();
        values.configure(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, stack.registryUrl(), AvroSerdeConfig.SPECIFIC_AVRO_READER, "true"), false);
        Map<String, Integer> counts = new HashMap<>();
        try (KafkaConsumer<String, TrialReminder> consumer = new KafkaConsumer<>(config, new StringDeserializer(), values)) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.TRIALS_REMINDERS.name()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            Awaitility.await("trials.reminders read to its end").atMost(Duration.ofMinutes(1)).until(() -> {
                for (ConsumerRecord<String, TrialReminder> record : consumer.poll(Duration.ofMillis(500))) {
                    if (record.value() != null) {
                        counts.merge(record.value().getReminderId(), 1, Integer::sum);
                    }
                }
                return partitions.stream().allMatch(p -> consumer.position(p) >= end.get(p));
            });
        }
        return counts;
    }

    private static String start(Node tracker, String token, String dealId, Instant startsAt) {
        String body = "{\"dealId\":\"" + dealId + "\",\"startsAt\":\"" + startsAt + "\",\"lengthDays\":30,\"deployment\":\"cloud\"}";
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + tracker.host() + ":" + tracker.port() + "/trials"))
                .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        // 503 (the instance is still starting or rebalancing) comes before anything is written: ask again
        JsonNode answer = Awaitility.await("POST /trials answered").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1))
                .ignoreException(Unavailable.class).until(() -> send(request, 202), a -> true);
        return answer.path("trialId").asString();
    }

    /** A trial's detail; asked again while the instance answers 503 (its state is still restoring after a restart). */
    private static JsonNode get(Node tracker, String token, String path) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + tracker.host() + ":" + tracker.port() + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token).GET().build();
        return Awaitility.await(path + " answered").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1))
                .ignoreException(Unavailable.class).until(() -> send(request, 200), answer -> true);
    }

    /** 503: ask again. */
    private static final class Unavailable extends RuntimeException {
        Unavailable(String message) {
            super(message);
        }
    }

    private static JsonNode send(HttpRequest request, int expected) {
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 503) {
                throw new Unavailable(request.uri().getPath() + " answered 503");
            }
            if (response.statusCode() != expected) {
                throw new IllegalStateException(request.method() + " " + request.uri().getPath() + " answered " + response.statusCode()
                        + ": " + response.body());
            }
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new IllegalStateException(request.method() + " " + request.uri().getPath() + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
