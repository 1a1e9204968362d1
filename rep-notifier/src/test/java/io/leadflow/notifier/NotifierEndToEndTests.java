package io.leadflow.notifier;

import io.leadflow.avro.AlertKind;
import io.leadflow.avro.CrmSynced;
import io.leadflow.avro.RepAlert;
import io.leadflow.avro.SentAlert;
import io.leadflow.avro.SyncOutcome;
import io.leadflow.notifier.deals.DealLinks;
import io.leadflow.notifier.dedupe.KafkaSentLedger;
import io.leadflow.schemas.Topics;
import io.leadflow.testing.KafkaBrokers;
import io.leadflow.testing.WithKafkaBroker;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.test.utils.ContainerTestUtils;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The notifier on a real Kafka broker with the Slack sandbox: an alert record goes in on {@code rep.alerts}, a Block Kit
 * message comes out at {@code chat.postMessage} (or changes one with {@code chat.update}, or is shown to one user with
 * {@code chat.postEphemeral}), and {@code rep.alerts.sent} remembers it so that nothing is sent twice, not even across
 * a crash.
 */
@WithKafkaBroker
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE)
class NotifierEndToEndTests {

    private static final String GROUP = "rep-notifier-e2e-" + UUID.randomUUID();

    static final SandboxSlack slack = SandboxSlack.start();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("spring.kafka.bootstrap-servers", () -> KafkaBrokers.shared().bootstrapServers());
        registry.add("spring.kafka.properties.schema.registry.url", () -> "mock://rep-notifier-e2e");
        registry.add("spring.kafka.consumer.group-id", () -> GROUP);
        registry.add("leadflow.notifier.slack.base-url", slack::baseUrl);
        registry.add("leadflow.notifier.slack.bot-token", () -> SandboxSlack.TOKEN);
        registry.add("leadflow.notifier.hubspot.portal-id", () -> "12345");
        registry.add("leadflow.notifier.rate-limit.period", () -> "100ms");
    }

    @Autowired
    KafkaTemplate<Object, Object> kafka;
    @Autowired
    KafkaListenerEndpointRegistry listeners;
    @Autowired
    KafkaSentLedger ledger;
    @Autowired
    DealLinks deals;
    @Autowired
    MeterRegistry meters;


    @BeforeEach
    void emptyWorkspaceAndListenerIsAssigned() {
        slack.reset();
        ContainerTestUtils.waitForAssignment(listeners.getListenerContainer("rep-notifier-alerts"), Topics.REP_ALERTS.partitions());
    }

    @AfterAll
    static void stopSlack() {
        slack.close();
    }

    @Test
    void newLeadReachesSlackWithinASecondOfItsRecord() throws Exception {
        // given a notifier that has delivered once already (class loading and connections are behind it)
        RepAlert warmUp = TestAlerts.trial(AlertKind.TRIAL_CHECK_IN, "warm-up-" + UUID.randomUUID());
        produce(warmUp);
        await().atMost(Duration.ofSeconds(20)).until(() -> postsOf(warmUp.getAlertId()).size() == 1);
        RepAlert alert = TestAlerts.newLead(UUID.randomUUID().toString());

        // when the routing service writes a new-lead alert
        produce(alert);

        // then the rep's DM gets it within a second, with the HubSpot contact search (no deal yet) and the demo button
        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(20))
                .until(() -> postsOf(alert.getAlertId()).size() == 1);
        SandboxSlack.Call post = postsOf(alert.getAlertId()).get(0);
        assertThat(post.channel()).isEqualTo("U02QULW4MDZ");
        assertThat(post.bearer()).isTrue();
        assertThat(post.ok()).as("the sandbox accepts only the bot token").isTrue();
        assertThat(post.body().toString())
                .contains("https://app.hubspot.com/contacts/12345/objects/0-1/views/all/list?query=jane.doe%40acme.io")
                .contains("https://cal.com/booking/7Hq2xZ");
        await().atMost(Duration.ofSeconds(5)).until(() -> ledger.find(alert.getAlertId())
                .map(m -> m.getStatus().equals("SENT") && m.getSlackTs() != null).orElse(false));
    }

    @Test
    void dealAnnouncedOnCrmSyncedBecomesTheHubspotButton() throws Exception {
        String leadId = UUID.randomUUID().toString();
        String dealUrl = "https://app.hubspot.com/contacts/12345/record/0-3/" + Math.abs(leadId.hashCode());
        kafka.send(Topics.CRM_SYNCED.name(), leadId, CrmSynced.newBuilder().setLeadId(leadId).setContactId("101")
                .setCompanyId("202").setDealId("303").setDealUrl(dealUrl).setPipelineId("hands-on")
                .setSyncedAt(Instant.now()).setOutcome(SyncOutcome.values()[0]).build()).get(10, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(10)).until(() -> deals.dealUrl(leadId).isPresent());

        RepAlert alert = TestAlerts.newLead(leadId);
        produce(alert);

        await().atMost(Duration.ofSeconds(10)).until(() -> postsOf(alert.getAlertId()).size() == 1);
        assertThat(postsOf(alert.getAlertId()).get(0).body().toString()).contains(dealUrl).contains("Open deal in HubSpot");
    }

    @Test
    void sameAlertDeliveredTwiceIsPostedOnce() throws Exception {
        RepAlert alert = TestAlerts.newLead(UUID.randomUUID().toString());
        double duplicatesBefore = counter("duplicate");

        produce(alert);
        produce(alert);

        await().atMost(Duration.ofSeconds(10)).until(() -> counter("duplicate") == duplicatesBefore + 1);
        assertThat(postsOf(alert.getAlertId())).hasSize(1);
    }

    @Test
    void crashAfterSlackAcceptedButBeforeTheCommitPostsNothingMore() throws Exception {
        // given an instance that died after posting: one alert marked SENT, one left PENDING although Slack has it
        RepAlert sentBeforeCrash = TestAlerts.toChannel("crash-sent-" + UUID.randomUUID(), "C0CRASH");
        RepAlert pendingAtCrash = TestAlerts.toChannel("crash-pending-" + UUID.randomUUID(), "C0CRASH");
        String sentTs = slack.postedEarlier("C0CRASH", "Sent", "leadflow_alert", sentBeforeCrash.getAlertId());
        String pendingTs = slack.postedEarlier("C0CRASH", "Pending", "leadflow_alert", pendingAtCrash.getAlertId());
        writeMarker(sentBeforeCrash.getAlertId(), "C0CRASH", "SENT", sentTs);
        writeMarker(pendingAtCrash.getAlertId(), "C0CRASH", "PENDING", null);
        await().atMost(Duration.ofSeconds(10)).until(() -> ledger.find(pendingAtCrash.getAlertId()).isPresent()
                && ledger.find(sentBeforeCrash.getAlertId()).isPresent());

        // when the uncommitted records are delivered again
        produce(sentBeforeCrash);
        produce(pendingAtCrash);

        // then neither is posted again; the pending one is recorded as sent with the ts Slack has
        await().atMost(Duration.ofSeconds(10)).until(() -> ledger.find(pendingAtCrash.getAlertId())
                .map(m -> m.getStatus().equals("SENT")).orElse(false));
        assertThat(ledger.find(pendingAtCrash.getAlertId()).orElseThrow().getSlackTs()).isEqualTo(pendingTs);
        assertThat(slack.postsTo("C0CRASH")).isEmpty();
    }

    @Test
    void acceptedLeadUpdatesItsNewLeadMessageInPlaceOnceEvenWhenBothArriveTogether() throws Exception {
        String leadId = UUID.randomUUID().toString();
        RepAlert newLead = TestAlerts.newLeadWithButtons(leadId, 1);
        newLead.setChannel("C0E2ELOOP");
        RepAlert accepted = TestAlerts.accepted(leadId, 1, newLead.getAlertId());
        accepted.setChannel("C0E2ELOOP");

        produce(newLead);
        produce(accepted);
        produce(accepted);

        await().atMost(Duration.ofSeconds(10)).until(() -> ledger.find(accepted.getAlertId())
                .map(m -> m.getStatus().equals("SENT")).orElse(false));
        SandboxSlack.Call posted = postsOf(newLead.getAlertId()).get(0);
        assertThat(postsOf(newLead.getAlertId())).hasSize(1);
        assertThat(posted.hasButton("lead.accept")).isTrue();
        assertThat(postsOf(accepted.getAlertId())).as("updated, not posted anew").isEmpty();
        String postedTs = ledger.find(newLead.getAlertId()).orElseThrow().getSlackTs();
        await().atMost(Duration.ofSeconds(5)).until(() -> counter(AlertKind.LEAD_ACCEPTED, "duplicate") >= 1);
        assertThat(slack.updates().stream().filter(u -> u.channel().equals("C0E2ELOOP")).toList()).singleElement()
                .satisfies(u -> {
                    assertThat(u.body().path("ts").asString("")).isEqualTo(postedTs);
                    assertThat(u.hasButton("lead.accept")).isFalse();
                    assertThat(u.ok()).isTrue();
                });
        assertThat(ledger.find(accepted.getAlertId()).orElseThrow().getSlackTs()).isEqualTo(postedTs);
    }

    @Test
    void notTheOwnerIsShownOnceToTheClickerAlone() throws Exception {
        RepAlert notTheOwner = TestAlerts.notTheOwner(UUID.randomUUID().toString(), "U00CAMERON1", "C0E2ECLICK");

        produce(notTheOwner);
        produce(notTheOwner);

        await().atMost(Duration.ofSeconds(10)).until(() -> counter(AlertKind.NOT_THE_OWNER, "duplicate") >= 1);
        assertThat(slack.ephemerals().stream().filter(e -> e.channel().equals("C0E2ECLICK")).toList()).singleElement()
                .satisfies(e -> assertThat(e.body().path("user").asString("")).isEqualTo("U00CAMERON1"));
        assertThat(slack.postsTo("C0E2ECLICK")).isEmpty();
    }

    @Test
    void permanentSlackErrorLandsInTheDeadLetterTopicWithTheError() throws Exception {
        slack.faults().on("chat.postMessage").where(m -> m.path("channel").asString("").equals("C0ARCHIVED")).answer("is_archived");
        RepAlert alert = TestAlerts.toChannel("archived-" + UUID.randomUUID(), "C0ARCHIVED");
        alert.setRepId("rep-" + alert.getAlertId());

        produce(alert);

        ConsumerRecord<String, byte[]> dead = awaitDeadLetter(alert.getRepId());
        Header error = dead.headers().lastHeader("leadflow_slack_error");
        assertThat(error).isNotNull();
        assertThat(new String(error.value(), StandardCharsets.UTF_8)).isEqualTo("is_archived");
        await().atMost(Duration.ofSeconds(5)).until(() -> ledger.find(alert.getAlertId())
                .map(m -> m.getStatus().equals("FAILED")).orElse(false));
    }

    @Test
    void offsetOfAFinishedAlertIsCommitted() throws Exception {
        RepAlert alert = TestAlerts.toChannel("committed-" + UUID.randomUUID(), "C0COMMIT");

        produce(alert);

        await().atMost(Duration.ofSeconds(10)).until(() -> slack.postsTo("C0COMMIT").size() == 1);
        ConsumerRecord<String, byte[]> delivered = awaitRecord(Topics.REP_ALERTS_BY_CHANNEL.name(), alert.getAlertId());
        assertThat(delivered.key()).as("the key stays the rep").isEqualTo(alert.getRepId());
        assertThat(delivered.partition()).as("the partition is the channel's")
                .isEqualTo(org.apache.kafka.common.utils.Utils.toPositive(org.apache.kafka.common.utils.Utils.murmur2(
                        "C0COMMIT".getBytes(java.nio.charset.StandardCharsets.UTF_8))) % Topics.REP_ALERTS_BY_CHANNEL.partitions());
        TopicPartition partition = new TopicPartition(delivered.topic(), delivered.partition());
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBrokers.shared().bootstrapServers()))) {
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(GROUP)
                        .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
                assertThat(committed.get(partition)).as("committed offsets %s, record at %s", committed, delivered.offset())
                        .isNotNull().extracting(OffsetAndMetadata::offset).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.LONG)
                        .isGreaterThan(delivered.offset());
            });
        }
    }

    /** The record of {@code topic} whose value mentions {@code alertId}. */
    private ConsumerRecord<String, byte[]> awaitRecord(String topic, String alertId) {
        byte[] id = alertId.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBrokers.shared().bootstrapServers(),
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class))) {
            List<TopicPartition> partitions = IntStream.range(0, Topics.REP_ALERTS_BY_CHANNEL.partitions())
                    .mapToObj(p -> new TopicPartition(topic, p)).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            List<ConsumerRecord<String, byte[]>> found = new ArrayList<>();
            await().atMost(Duration.ofSeconds(15)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                    if (r.value() != null && indexOf(r.value(), id) >= 0) {
                        found.add(r);
                    }
                });
                return !found.isEmpty();
            });
            return found.get(0);
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private RecordMetadata produce(RepAlert alert) throws Exception {
        return kafka.send(Topics.REP_ALERTS.name(), alert.getRepId(), alert).get(10, TimeUnit.SECONDS).getRecordMetadata();
    }

    private void writeMarker(String alertId, String channel, String status, String ts) throws Exception {
        kafka.send(Topics.REP_ALERTS_SENT.name(), alertId, SentAlert.newBuilder().setAlertId(alertId).setChannel(channel)
                .setStatus(status).setSlackTs(ts).setAt(Instant.now().minusSeconds(3)).build()).get(10, TimeUnit.SECONDS);
    }

    private List<SandboxSlack.Call> postsOf(String alertId) {
        return slack.posts().stream().filter(p -> alertId.equals(p.alertId())).toList();
    }

    private double counter(String outcome) {
        return counter(AlertKind.NEW_LEAD, outcome);
    }

    private double counter(AlertKind kind, String outcome) {
        var counter = meters.find("leadflow.notifier.alerts").tags("kind", kind.name(), "outcome", outcome).counter();
        return counter == null ? 0 : counter.count();
    }

    private ConsumerRecord<String, byte[]> awaitDeadLetter(String key) {
        String topic = Topics.REP_ALERTS.deadLetter();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBrokers.shared().bootstrapServers(),
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class))) {
            List<TopicPartition> partitions = IntStream.range(0, Topics.REP_ALERTS.partitions())
                    .mapToObj(p -> new TopicPartition(topic, p)).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            List<ConsumerRecord<String, byte[]>> found = new ArrayList<>();
            await().atMost(Duration.ofSeconds(15)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                    if (key.equals(r.key())) {
                        found.add(r);
                    }
                });
                return !found.isEmpty();
            });
            return found.get(0);
        }
    }
}
