package io.leadflow.notifier.privacy;

import io.leadflow.avro.AlertKind;
import io.leadflow.avro.ErasureReport;
import io.leadflow.avro.ErasureStatus;
import io.leadflow.avro.RepAlert;
import io.leadflow.notifier.SandboxSlack;
import io.leadflow.notifier.TestAlerts;
import io.leadflow.notifier.dedupe.KafkaSentLedger;
import io.leadflow.platform.privacy.Subjects;
import io.leadflow.schemas.Topics;
import io.leadflow.testing.KafkaBrokers;
import io.leadflow.testing.WithKafkaBroker;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** An erasure on a real broker with the Slack sandbox: the person's messages go, another person's stay, never again. */
@WithKafkaBroker
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE)
class SlackErasureTests {

    private static final String KEY = "slack-erasure-tests-privacy-key-32-bytes-or-more";
    private static final String REGISTRY = "mock://rep-notifier-erasure";
    static final SandboxSlack slack = SandboxSlack.start();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("spring.kafka.bootstrap-servers", () -> KafkaBrokers.shared().bootstrapServers());
        registry.add("spring.kafka.properties.schema.registry.url", () -> REGISTRY);
        registry.add("spring.kafka.consumer.group-id", () -> "rep-notifier-erasure-" + UUID.randomUUID());
        registry.add("leadflow.notifier.slack.base-url", slack::baseUrl);
        registry.add("leadflow.notifier.slack.bot-token", () -> SandboxSlack.TOKEN);
        registry.add("leadflow.notifier.rate-limit.period", () -> "50ms");
        registry.add("leadflow.notifier.delivery.retry-initial", () -> "200ms");
        registry.add("leadflow.notifier.delivery.retry-max", () -> "1s");
        registry.add("leadflow.privacy.key", () -> KEY);
    }

    @Autowired
    KafkaTemplate<Object, Object> kafka;
    @Autowired
    KafkaSentLedger ledger;
    @Autowired
    MeterRegistry meters;

    @AfterAll
    static void stopSlack() {
        slack.close();
    }

    @Test
    void thePersonsMessagesAreDeletedAnotherPersonsKeptSlackDownEndsDoneAndAReplayIsNeverPostedAgain() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String email = "jane." + run + "@acme.io";
        String channel = "C0ERASE" + run.toUpperCase();
        String lead = "lead-" + run;
        RepAlert theirs = ErasureReportsFeed.about(TestAlerts.newLead(lead), "Jane Doe <" + email + ">", channel);
        RepAlert theirReminder = TestAlerts.trial(AlertKind.TRIAL_CHECK_IN, "check-in-" + run);
        theirReminder.setLeadId(lead);
        theirReminder.setChannel(channel);
        RepAlert others = ErasureReportsFeed.about(TestAlerts.newLead("other-" + run), "Bob Roe <bob." + run + "@other.io>", channel);
        ErasureReportsFeed.postOneByOne(kafka, ledger, List.of(theirs, theirReminder, others));
        assertThat(inChannel(channel)).hasSize(3);

        // Slack is down when the erasure arrives
        slack.faults().outage(503, Duration.ofSeconds(3));
        String erasureId = UUID.randomUUID().toString();
        String subject = new Subjects(KEY).of(email);
        kafka.send(Topics.PRIVACY_ERASURES.name(), subject, ErasureReportsFeed.request(erasureId, subject, email)).get(10, TimeUnit.SECONDS);

        List<ErasureReport> reports = awaitDone(erasureId);
        // FAILED with the reason while Slack was down, then DONE
        assertThat(reports).filteredOn(r -> r.getSystem().equals("slack")).extracting(r -> r.getStatus().name())
                .startsWith("PENDING").contains("FAILED").endsWith("DONE");
        assertThat(reports).filteredOn(r -> r.getStatus().name().equals("FAILED")).first()
                .satisfies(r -> assertThat(r.getDetail()).contains("http_503"));
        assertThat(reports).filteredOn(r -> r.getStatus().name().equals("DONE")).extracting(ErasureReport::getDetail)
                .containsExactlyInAnyOrder("2 messages deleted, 0 replaced by the removal notice, 0 already gone",
                        "2 rep.alerts.sent entries deleted");
        // no personal data in any detail
        assertThat(reports).allSatisfy(r -> assertThat(r.getDetail()).doesNotContain(run, "jane", "acme", lead));

        // the person's messages are gone from the conversation; the other person's stays
        assertThat(inChannel(channel)).singleElement().satisfies(m -> assertThat(m.toString()).contains("bob." + run));
        assertThat(ledger.find(theirs.getAlertId())).isEmpty();
        assertThat(ledger.find(theirReminder.getAlertId())).isEmpty();
        assertThat(ledger.find(others.getAlertId())).isPresent();

        // a replay of the alerts from before the erasure is dropped, never posted again
        double skippedBefore = skipped();
        int postsBefore = slack.posts().size();
        kafka.send(Topics.REP_ALERTS.name(), theirs.getRepId(), theirs).get(10, TimeUnit.SECONDS);
        kafka.send(Topics.REP_ALERTS.name(), theirReminder.getRepId(), theirReminder).get(10, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(10)).until(() -> skipped() == skippedBefore + 2);
        assertThat(slack.posts()).hasSize(postsBefore);
        assertThat(inChannel(channel)).hasSize(1);

        // the same request met again (a restart, a replay) finds nothing left and reports DONE again
        kafka.send(Topics.PRIVACY_ERASURES.name(), subject, ErasureReportsFeed.request(erasureId, subject, email)).get(10, TimeUnit.SECONDS);
        List<ErasureReport> again = awaitDone(erasureId, 2);
        assertThat(again).filteredOn(r -> r.getSystem().equals("slack")).last()
                .satisfies(r -> assertThat(r.getDetail()).isEqualTo("0 messages deleted, 0 replaced by the removal notice, 0 already gone"));
        assertThat(inChannel(channel)).hasSize(1);
    }

    @Test
    void aDigestThatAlsoListsAnotherPersonIsReplacedByTheRemovalNoticeAndAMessageNotTheBotsIsLeft() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String email = "ann." + run + "@acme.io";
        String subject = new Subjects(KEY).of(email);
        String channel = "C0DIGEST" + run.toUpperCase();
        String digestTs = slack.postedEarlier(channel, "2 new leads", "leadflow_alert", "NEW_LEAD:a-" + run, "NEW_LEAD:b-" + run);
        String gone = slack.postedEarlier(channel, "Gone", "leadflow_alert", "NEW_LEAD:c-" + run);
        slack.sandbox().handle("POST", "chat.delete", "Bearer " + SandboxSlack.TOKEN,
                tools.jackson.databind.json.JsonMapper.builder().build().createObjectNode().put("channel", channel).put("ts", gone));
        String notOurs = slack.sandbox().say(channel, "U00CAMERON1", "A person's message");
        marker("NEW_LEAD:a-" + run, channel, digestTs, "a-" + run, subject);
        marker("NEW_LEAD:b-" + run, channel, digestTs, "b-" + run, new Subjects(KEY).of("bob." + run + "@other.io"));
        marker("NEW_LEAD:c-" + run, channel, gone, "c-" + run, subject);
        marker("NOTE:d-" + run, channel, notOurs, "d-" + run, subject);
        await().atMost(Duration.ofSeconds(10)).until(() -> ledger.find("NOTE:d-" + run).isPresent());

        String erasureId = UUID.randomUUID().toString();
        kafka.send(Topics.PRIVACY_ERASURES.name(), subject, ErasureReportsFeed.request(erasureId, subject, email)).get(10, TimeUnit.SECONDS);

        List<ErasureReport> reports = awaitDone(erasureId);
        assertThat(reports).filteredOn(r -> r.getSystem().equals("slack") && r.getStatus().name().equals("DONE")).last()
                .satisfies(r -> assertThat(r.getDetail())
                        .isEqualTo("0 messages deleted, 1 replaced by the removal notice, 1 already gone, 1 not the bot's to remove"));
        tools.jackson.databind.JsonNode digest = slack.message(channel, digestTs);
        assertThat(digest.path("text").asString()).isEqualTo(SlackErasure.REMOVED);
        assertThat(digest.has("blocks")).isFalse();
        assertThat(ledger.find("NEW_LEAD:a-" + run)).isEmpty();
        assertThat(ledger.find("NEW_LEAD:b-" + run)).as("the other person's entry stays").isPresent();
    }

    private void marker(String alertId, String channel, String ts, String leadId, String subject) throws Exception {
        kafka.send(Topics.REP_ALERTS_SENT.name(), alertId, io.leadflow.avro.SentAlert.newBuilder().setAlertId(alertId).setChannel(channel)
                .setStatus("SENT").setSlackTs(ts).setAt(Instant.now()).setLeadId(leadId).setSubject(subject).build()).get(10, TimeUnit.SECONDS);
    }

    private static List<ErasureReport> awaitDone(String erasureId) {
        return awaitDone(erasureId, 1);
    }

    /** Reads the erasure's reports until {@code slack} has reported DONE {@code times} times and both systems end DONE. */
    private static List<ErasureReport> awaitDone(String erasureId, int times) {
        try (ErasureReportsFeed reports = ErasureReportsFeed.fromStart(REGISTRY, erasureId)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> reports.poll().stream()
                    .filter(r -> r.getSystem().equals("slack") && r.getStatus() == ErasureStatus.DONE).count() >= times
                    && reports.bothDone());
            return List.copyOf(reports.poll());
        }
    }

    private static List<tools.jackson.databind.JsonNode> inChannel(String channel) {
        return slack.messages().stream().filter(m -> m.path("channel").asString("").equals(channel)).toList();
    }

    private double skipped() {
        var counter = meters.find("leadflow.privacy.skipped").tag("service", "rep-notifier").counter();
        return counter == null ? 0 : counter.count();
    }

}
