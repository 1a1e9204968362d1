package io.leadflow.trials;

import io.leadflow.avro.ActivityKind;
import io.leadflow.avro.AlertKind;
import io.leadflow.avro.Contact;
import io.leadflow.avro.CrmSynced;
import io.leadflow.avro.Demo;
import io.leadflow.avro.ErasureReport;
import io.leadflow.avro.ErasureRequested;
import io.leadflow.avro.ErasureStatus;
import io.leadflow.avro.LeadReceived;
import io.leadflow.avro.LeadActivity;
import io.leadflow.avro.LeadRouted;
import io.leadflow.avro.LeadSource;
import io.leadflow.avro.Owner;
import io.leadflow.avro.Pipeline;
import io.leadflow.avro.Plan;
import io.leadflow.avro.ReminderKind;
import io.leadflow.avro.RepAlert;
import io.leadflow.avro.SyncOutcome;
import io.leadflow.avro.TrialReminder;
import io.leadflow.platform.privacy.Subjects;
import io.leadflow.schemas.Topics;
import io.leadflow.schemas.serde.AvroDeserializer;
import io.leadflow.schemas.serde.AvroSerializer;
import io.leadflow.testing.KafkaBrokers;
import io.leadflow.testing.WithKafkaBroker;
import io.leadflow.trials.topology.TrialIds;
import io.leadflow.trials.topology.TrialObserver;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The whole service on a real broker: the API writes trials.events, the Streams app (exactly_once_v2, persistent
 * stores in a temporary state directory) fires reminders on the wall clock, and a crash between a firing and its
 * commit neither loses nor repeats the reminder.
 */
@WithKafkaBroker
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class TrialTrackerApplicationTests {

    static final String TOKEN = "test-admin-token";
    static final String REGISTRY = "mock://trial-tracker-app-tests";
    static final String CRASH_DEAL = "crash-deal-1";
    static final JsonMapper JSON = JsonMapper.builder().build();
    static final String PRIVACY_KEY = "a-test-privacy-key-of-at-least-32-bytes!";

    @DynamicPropertySource
    static void kafka(DynamicPropertyRegistry registry) throws IOException {
        Path stateDir = Files.createTempDirectory("trial-tracker-state");
        registry.add("spring.kafka.bootstrap-servers", () -> KafkaBrokers.shared().bootstrapServers());
        registry.add("spring.kafka.properties.schema.registry.url", () -> REGISTRY);
        registry.add("spring.kafka.streams.state-dir", stateDir::toString);
        // A restarted client must not wait 45 s for the crashed one's session to expire.
        registry.add("spring.kafka.streams.properties.session.timeout.ms", () -> "6000");
        registry.add("spring.kafka.streams.properties.heartbeat.interval.ms", () -> "1000");
        registry.add("leadflow.admin.token", () -> TOKEN);
        registry.add("leadflow.trials.punctuation-interval", () -> "200ms");
        registry.add("leadflow.trials.unowned-channel", () -> "C0SALES");
        registry.add("leadflow.privacy.key", () -> PRIVACY_KEY);
    }

    /** Crashes the stream thread right after the first review-call reminder of {@link #CRASH_DEAL} was handed to the producer. */
    @TestConfiguration
    static class CrashOnce {
        final AtomicInteger reviewCalls = new AtomicInteger();

        @Bean
        @Primary
        TrialObserver crashingObserver(io.leadflow.trials.system.TrialMetrics metrics) {
            return new TrialObserver() {
                @Override
                public void fired(ReminderKind kind, Duration lag, boolean late) {
                    metrics.fired(kind, lag, late);
                    if (kind == ReminderKind.REVIEW_CALL_DUE && reviewCalls.incrementAndGet() == 1) {
                        throw new IllegalStateException("simulated crash after firing, before the commit");
                    }
                }
            };
        }
    }

    @LocalServerPort
    int port;
    @Autowired
    StreamsBuilderFactoryBean streams;
    @Autowired
    CrashOnce crash;

    final HttpClient http = HttpClient.newHttpClient();

    @Test
    void refusesCallsWithoutTheAdminToken() throws Exception {
        HttpResponse<String> none = send("GET", "/trials", null, null);
        HttpResponse<String> wrong = send("POST", "/trials", "{\"dealId\":\"1\",\"deployment\":\"cloud\"}", "nope");

        for (HttpResponse<String> response : List.of(none, wrong)) {
            assertThat(response.statusCode()).isEqualTo(401);
            assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                    type -> assertThat(type).startsWith("application/problem+json"));
            assertThat(response.headers().firstValue("WWW-Authenticate")).contains("Bearer realm=\"leadflow\"");
            assertThat(JSON.readTree(response.body()).path("field").asString()).isEqualTo("Authorization");
        }
    }

    @Test
    void answersInvalidRequestsWithProblemDetailsNamingTheField() throws Exception {
        HttpResponse<String> noId = post("/trials", "{\"deployment\":\"cloud\"}");
        HttpResponse<String> badValues = post("/trials", "{\"dealId\":\"1\",\"lengthDays\":0,\"deployment\":\"on-prem\"}");
        HttpResponse<String> badType = post("/trials", "{\"dealId\":\"1\",\"startsAt\":\"tomorrow\",\"deployment\":\"cloud\"}");
        HttpResponse<String> badClose = post("/trials/whatever/close", "{\"outcome\":\"won\"}");

        assertThat(noId.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(noId.body()).path("field").asString()).isEqualTo("dealId");
        assertThat(badValues.statusCode()).isEqualTo(400);
        assertThat(badValues.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        JsonNode problem = JSON.readTree(badValues.body());
        assertThat(problem.path("errors").valueStream().map(e -> e.path("field").asString()).toList())
                .containsExactly("deployment", "lengthDays");
        assertThat(problem.path("detail").asString()).contains("deployment must be cloud or self-hosted");
        assertThat(badType.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(badType.body()).path("field").asString()).isEqualTo("startsAt");
        assertThat(badClose.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(badClose.body()).path("field").asString()).isEqualTo("outcome");
    }

    @Test
    void refusesASelfServeLeadWith422AndStartsAHandsOnOneOnce() throws Exception {
        route("lead-self-serve", "Tiny", Pipeline.SELF_SERVE);
        route("lead-hands-on", "Globex", Pipeline.HANDS_ON);

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            HttpResponse<String> refused = post("/trials", "{\"leadId\":\"lead-self-serve\",\"deployment\":\"cloud\"}");
            assertThat(refused.statusCode()).isEqualTo(422);
            assertThat(JSON.readTree(refused.body()).path("detail").asString()).contains("self-serve");
        });
        await().atMost(Duration.ofSeconds(20)).until(() ->
                send("GET", "/trials", null, TOKEN).statusCode() == 200);
        HttpResponse<String> started = post("/trials", "{\"leadId\":\"lead-hands-on\",\"deployment\":\"self-hosted\"}");
        assertThat(started.statusCode()).isEqualTo(202);
        String trialId = TrialIds.forLead("lead-hands-on");
        assertThat(started.headers().firstValue("Location")).contains("/trials/" + trialId);

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            JsonNode list = JSON.readTree(send("GET", "/trials?owner=simon", null, TOKEN).body());
            assertThat(list.valueStream().filter(t -> t.path("trialId").asString().equals(trialId))
                    .map(t -> t.path("nextReminder").path("kind").asString()).toList()).containsExactly("CHECK_IN");
        });
        JsonNode trial = JSON.readTree(send("GET", "/trials?owner=simon", null, TOKEN).body()).valueStream()
                .filter(t -> t.path("trialId").asString().equals(trialId)).findFirst().orElseThrow();
        assertThat(trial.path("company").asString()).isEqualTo("Globex");
        assertThat(trial.path("daysLeft").asInt()).isEqualTo(30);
        assertThat(trial.path("owner").path("repId").asString()).isEqualTo("simon");
        assertThat(trial.path("nextReminder").path("kind").asString()).isEqualTo("CHECK_IN");
        assertThat(JSON.readTree(send("GET", "/trials?owner=cameron", null, TOKEN).body()).size()).isZero();

        HttpResponse<String> again = post("/trials", "{\"leadId\":\"lead-hands-on\",\"deployment\":\"self-hosted\"}");
        assertThat(again.statusCode()).isEqualTo(200);
        JsonNode detail = JSON.readTree(send("GET", "/trials/" + trialId, null, TOKEN).body());
        assertThat(detail.path("reminders").valueStream().map(r -> r.path("kind").asString()).toList()).containsExactly("KICKOFF");
        assertThat(detail.path("events").size()).isEqualTo(1);
        assertThat(send("GET", "/trials/unknown", null, TOKEN).statusCode()).isEqualTo(404);
    }

    @Test
    void firesTheReviewCallOnceAcrossACrashBetweenFiringAndCommit() throws Exception {
        Instant reviewDue = Instant.now().plusSeconds(4);
        Instant startsAt = reviewDue.minus(Duration.ofDays(23));
        String trialId = TrialIds.forDeal(CRASH_DEAL);
        HttpResponse<String> started = post("/trials", "{\"dealId\":\"" + CRASH_DEAL + "\",\"startsAt\":\"" + startsAt
                + "\",\"deployment\":\"cloud\"}");
        assertThat(started.statusCode()).isEqualTo(202);

        await().atMost(Duration.ofSeconds(30)).until(() -> streams.getKafkaStreams().state() == KafkaStreams.State.ERROR);
        assertThat(crash.reviewCalls.get()).isEqualTo(1);
        streams.stop();
        streams.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> crash.reviewCalls.get() == 2
                && streams.getKafkaStreams().state() == KafkaStreams.State.RUNNING);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            JsonNode detail = JSON.readTree(send("GET", "/trials/" + trialId, null, TOKEN).body());
            assertThat(detail.path("reminders").valueStream().map(r -> r.path("kind").asString()).toList())
                    .containsExactly("KICKOFF", "REVIEW_CALL_DUE");
        });

        List<TrialReminder> reminders = readCommitted(Topics.TRIALS_REMINDERS.name(), TrialReminder.class).stream()
                .filter(r -> r.getTrialId().equals(trialId)).toList();
        assertThat(reminders).extracting(TrialReminder::getKind)
                .containsExactly(ReminderKind.KICKOFF, ReminderKind.REVIEW_CALL_DUE);
        assertThat(reminders.get(0).getLate()).isTrue();
        assertThat(reminders.get(1).getDueAt()).isEqualTo(reviewDue.truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
        assertThat(reminders.get(1).getDaysLeft()).isEqualTo(7);
        List<RepAlert> alerts = readCommitted(Topics.REP_ALERTS.name(), RepAlert.class).stream()
                .filter(a -> trialId.equals(a.getTrialId())).toList();
        assertThat(alerts).extracting(RepAlert::getKind).containsExactly(AlertKind.TRIAL_KICKOFF, AlertKind.REVIEW_CALL_DUE);
        assertThat(alerts).extracting(RepAlert::getAlertId)
                .containsExactlyElementsOf(reminders.stream().map(TrialReminder::getReminderId).toList());
        assertThat(alerts.get(1).getChannel()).isEqualTo("C0SALES");
    }

    @Test
    void theCustomersBookingOnTheTrialsDealMarksTheFiredKickoffDoneAndTheApiShowsItBooked() throws Exception {
        String dealId = "kickoff-deal-1";
        String trialId = TrialIds.forDeal(dealId);
        assertThat(post("/trials", "{\"dealId\":\"" + dealId + "\",\"deployment\":\"cloud\"}").statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(JSON.readTree(send("GET", "/trials/" + trialId,
                null, TOKEN).body()).path("reminders").valueStream().map(r -> r.path("kind").asString()).toList())
                .containsExactly("KICKOFF"));
        Instant call = Instant.parse("2030-01-15T15:00:00Z");

        String booking = "lead-kickoff-booking";
        LeadRouted routed = routed(booking, "Hooli", Pipeline.HANDS_ON);
        routed.getLead().setSource(LeadSource.DEMO_BOOKING);
        routed.getLead().setDemo(Demo.newBuilder().setStartsAt(call).setProvider("calendly").build());
        CrmSynced attached = CrmSynced.newBuilder().setLeadId(booking).setContactId("501").setDealId(dealId)
                .setPipelineId("default").setSyncedAt(Instant.now()).setOutcome(SyncOutcome.ATTACHED).build();
        try (KafkaProducer<String, Object> producer = producer()) {
            producer.send(new ProducerRecord<>(Topics.LEADS_ROUTED.name(), booking, routed));
            producer.send(new ProducerRecord<>(Topics.CRM_SYNCED.name(), booking, attached));
        }

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode kickoff = JSON.readTree(send("GET", "/trials/" + trialId, null, TOKEN).body()).path("kickoff");
            assertThat(kickoff.path("status").asString()).isEqualTo("booked");
            assertThat(kickoff.path("startsAt").asString()).isEqualTo("2030-01-15T15:00:00Z");
            assertThat(kickoff.path("completedReminderId").asString()).startsWith(trialId + ":KICKOFF:");
        });
        List<TrialReminder> reminders = readCommitted(Topics.TRIALS_REMINDERS.name(), TrialReminder.class).stream()
                .filter(r -> r.getTrialId().equals(trialId)).toList();
        assertThat(reminders).extracting(TrialReminder::getKind).containsExactly(ReminderKind.KICKOFF, ReminderKind.KICKOFF);
        assertThat(reminders.get(0).getCompletedAt()).isNull();
        assertThat(reminders.get(1).getCompletedAt()).isNotNull();
        assertThat(reminders.get(1).getReminderId()).isEqualTo(reminders.get(0).getReminderId());

        // the customer cancels that call: the kick-off is open again and its reminder fires anew
        LeadActivity canceled = LeadActivity.newBuilder().setActivityId("calendly:canceled:kickoff-1").setLeadId(booking)
                .setKind(ActivityKind.BOOKING_CANCELED).setSource("calendly").setOccurredAt(Instant.now()).build();
        try (KafkaProducer<String, Object> producer = producer()) {
            producer.send(new ProducerRecord<>(Topics.LEADS_ACTIVITY.name(), booking, canceled));
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(JSON.readTree(send("GET", "/trials/" + trialId, null, TOKEN).body()).path("kickoff").isNull()).isTrue();
            assertThat(readCommitted(Topics.TRIALS_REMINDERS.name(), TrialReminder.class).stream()
                    .filter(r -> r.getTrialId().equals(trialId)).toList()).hasSize(3).last().satisfies(again -> {
                        assertThat(again.getKind()).isEqualTo(ReminderKind.KICKOFF);
                        assertThat(again.getCompletedAt()).isNull();
                        assertThat(again.getReminderId()).isNotEqualTo(reminders.get(0).getReminderId());
                    });
        });
    }

    @Test
    void erasesAPersonFromEveryPartitionAndReportsDoneWhileAnotherPersonsLeadStays() throws Exception {
        route("lead-erased", "Initech", Pipeline.HANDS_ON);
        route("lead-kept", "Umbrella", Pipeline.HANDS_ON);
        String erasedTrial = TrialIds.forLead("lead-erased");
        String keptTrial = TrialIds.forLead("lead-kept");
        await().atMost(Duration.ofSeconds(30)).until(() ->
                post("/trials", "{\"leadId\":\"lead-erased\",\"deployment\":\"cloud\"}").statusCode() / 100 == 2);
        await().atMost(Duration.ofSeconds(30)).until(() ->
                post("/trials", "{\"leadId\":\"lead-kept\",\"deployment\":\"cloud\"}").statusCode() / 100 == 2);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(send("GET", "/trials/" + erasedTrial, null, TOKEN).body()).contains("Initech");
            assertThat(send("GET", "/trials/" + keptTrial, null, TOKEN).body()).contains("Umbrella");
        });

        Subjects subjects = new Subjects(PRIVACY_KEY);
        ErasureRequested request = ErasureRequested.newBuilder().setErasureId("erasure-1")
                .setSubject(subjects.of("it@initech.example")).setEmail("it@initech.example")
                .setRequestedAt(Instant.now()).build();
        try (KafkaProducer<String, Object> producer = producer()) {
            producer.send(new ProducerRecord<>(Topics.PRIVACY_ERASURES.name(), request.getSubject(), request)).get();
        }

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(
                readCommitted(Topics.PRIVACY_ERASURE_REPORTS.name(), ErasureReport.class).stream()
                        .filter(r -> r.getErasureId().equals("erasure-1")).map(ErasureReport::getStatus).toList())
                .contains(ErasureStatus.DONE));
        ErasureReport done = readCommitted(Topics.PRIVACY_ERASURE_REPORTS.name(), ErasureReport.class).stream()
                .filter(r -> r.getErasureId().equals("erasure-1") && r.getStatus() == ErasureStatus.DONE).findFirst().orElseThrow();
        assertThat(done.getSystem()).isEqualTo("trial-tracker state");
        assertThat(done.getDetail()).startsWith("1 routed leads deleted").contains(Topics.LEADS_ROUTED.partitions() + " partitions");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            HttpResponse<String> erased = send("GET", "/trials/" + erasedTrial, null, TOKEN);
            assertThat(erased.statusCode()).isEqualTo(200);
            assertThat(erased.body()).doesNotContain("Initech");
            assertThat(send("GET", "/trials/" + keptTrial, null, TOKEN).body()).contains("Umbrella");
        });
    }

    private static KafkaProducer<String, Object> producer() {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBrokers.shared().bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, AvroSerializer.class,
                "schema.registry.url", REGISTRY));
    }

    private void route(String leadId, String company, Pipeline pipeline) {
        LeadRouted routed = routed(leadId, company, pipeline);
        try (KafkaProducer<String, Object> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBrokers.shared().bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, AvroSerializer.class,
                "schema.registry.url", REGISTRY))) {
            producer.send(new ProducerRecord<>(Topics.LEADS_ROUTED.name(), leadId, routed));
        }
    }

    private static LeadRouted routed(String leadId, String company, Pipeline pipeline) {
        return LeadRouted.newBuilder()
                .setLeadId(leadId)
                .setRoutedAt(Instant.now())
                .setLead(LeadReceived.newBuilder().setLeadId(leadId).setSource(LeadSource.WEBSITE_FORM)
                        .setSourceEventId(leadId).setReceivedAt(Instant.now())
                        .setContact(Contact.newBuilder().setEmail("it@" + company.toLowerCase() + ".example")
                                .setCompanyName(company).build()).build())
                .setPipeline(pipeline)
                .setRecommendedPlan(Plan.ENTERPRISE)
                .setOwner(Owner.newBuilder().setRepId("simon").setName("Simon").setEmail("simon@leadflow.example").build())
                .setRulesVersion("test")
                .build();
    }

    /** Every committed record of the topic, up to its current end. */
    private static <T> List<T> readCommitted(String topic, Class<T> type) {
        try (KafkaConsumer<String, T> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBrokers.shared().bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, AvroDeserializer.class,
                "schema.registry.url", REGISTRY,
                "specific.avro.reader", true))) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            List<T> values = new ArrayList<>();
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                for (ConsumerRecord<String, T> record : consumer.poll(Duration.ofMillis(200))) {
                    values.add(record.value());
                }
                return partitions.stream().allMatch(p -> consumer.position(p) >= ends.get(p));
            });
            return values;
        }
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return send("POST", path, body, TOKEN);
    }

    private HttpResponse<String> send(String method, String path, String body, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
