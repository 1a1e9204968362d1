package io.leadflow.notifier.privacy;

import io.leadflow.avro.AlertKind;
import io.leadflow.avro.ErasureReport;
import io.leadflow.avro.ErasureStatus;
import io.leadflow.avro.RepAlert;
import io.leadflow.notifier.RepNotifierApplication;
import io.leadflow.notifier.SandboxSlack;
import io.leadflow.notifier.TestAlerts;
import io.leadflow.notifier.dedupe.KafkaSentLedger;
import io.leadflow.platform.privacy.Subjects;
import io.leadflow.schemas.Topics;
import io.leadflow.testing.KafkaBrokers;
import io.leadflow.testing.WithKafkaBroker;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.test.utils.ContainerTestUtils;
import org.apache.kafka.streams.KafkaStreams;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An erased person's old alerts met again by a notifier that has just restarted (a context of its own, nothing in memory
 * from the first): the erased people and their leads come back from Kafka before anything is posted, so neither the alert
 * showing their contact nor a reminder naming only their lead reaches Slack again.
 */
@WithKafkaBroker
class ErasureRestartTests {

    private static final String KEY = "erased-people-restart-tests-privacy-key-32-bytes";
    private static final String REGISTRY = "mock://rep-notifier-erasure-restart";

    private final SandboxSlack slack = SandboxSlack.start();
    private final List<ConfigurableApplicationContext> notifiers = new ArrayList<>();
    private final String group = "rep-notifier-erased-restart-" + UUID.randomUUID();

    @AfterEach
    void stopEverything() {
        notifiers.forEach(ConfigurableApplicationContext::close);
        slack.close();
    }

    @Test
    void anErasedPersonsOldAlertsRedeliveredAfterARestartAreNeverPostedAndCounted() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String email = "jane." + run + "@acme.io";
        String subject = new Subjects(KEY).of(email);
        String channel = "C0RESTART" + run.toUpperCase();
        String lead = "lead-" + run;
        RepAlert theirs = ErasureReportsFeed.about(TestAlerts.newLead(lead), "Jane Doe <" + email + ">", channel);
        RepAlert theirReminder = TestAlerts.trial(AlertKind.TRIAL_CHECK_IN, "check-in-" + run);
        theirReminder.setLeadId(lead);
        theirReminder.setChannel(channel);

        // given a notifier that posted the person's alerts and then erased them
        ConfigurableApplicationContext first = startNotifier();
        KafkaTemplate<Object, Object> kafka = kafka(first);
        KafkaSentLedger firstLedger = first.getBean(KafkaSentLedger.class);
        ErasureReportsFeed.postOneByOne(kafka, firstLedger, List.of(theirs, theirReminder));
        kafka.send(Topics.PRIVACY_ERASURES.name(), subject, ErasureReportsFeed.request(UUID.randomUUID().toString(), subject, email))
                .get(10, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(20)).until(() -> firstLedger.find(theirs.getAlertId()).isEmpty()
                && firstLedger.find(theirReminder.getAlertId()).isEmpty() && slack.messages().stream()
                .noneMatch(m -> m.path("channel").asString("").equals(channel)));
        int posts = slack.posts().size();
        first.close();

        // when the old alerts are delivered again while a new notifier starts
        ConfigurableApplicationContext second = new SpringApplicationBuilder(RepNotifierApplication.class)
                .web(WebApplicationType.NONE).run(arguments());
        notifiers.add(second);
        @SuppressWarnings("unchecked")
        KafkaTemplate<Object, Object> again = second.getBean(KafkaTemplate.class);
        for (RepAlert alert : List.of(theirs, theirReminder)) {
            again.send(Topics.REP_ALERTS.name(), alert.getRepId(), alert).get(10, TimeUnit.SECONDS);
        }

        // then both are dropped (counted), nothing reaches Slack, and the lead is known as the person's from Kafka alone
        MeterRegistry meters = second.getBean(MeterRegistry.class);
        // (the first notifier's uncommitted records come again too: each copy is dropped and counted)
        await().atMost(Duration.ofSeconds(30)).until(() -> skipped(meters) >= 2);
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(() -> slack.posts().size() == posts);
        KafkaSentLedger ledger = second.getBean(KafkaSentLedger.class);
        assertThat(ledger.find(SlackErasure.ERASED_LEAD + lead)).hasValueSatisfying(m -> {
            assertThat(m.getStatus()).isEqualTo("ERASED");
            assertThat(m.getSubject()).isEqualTo(subject);
            assertThat(m.getSlackTs()).isNull();
        });
        assertThat(ledger.find(theirReminder.getAlertId())).isEmpty();
        assertThat(second.getBean("erasures", HealthIndicator.class).health(false).getStatus()).isEqualTo(Status.UP);
    }

    @Test
    void anErasureAStoppedNotifierLeftUnfinishedIsFinishedByTheNextOne() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String email = "ann." + run + "@acme.io";
        String subject = new Subjects(KEY).of(email);
        String channel = "C0UNDONE" + run.toUpperCase();
        String lead = "lead-" + run;
        RepAlert theirs = ErasureReportsFeed.about(TestAlerts.newLead(lead), "Ann Lee <" + email + ">", channel);
        ConfigurableApplicationContext first = startNotifier();
        KafkaTemplate<Object, Object> kafka = kafka(first);
        kafka.send(Topics.REP_ALERTS.name(), theirs.getRepId(), theirs).get(10, TimeUnit.SECONDS);
        KafkaSentLedger firstLedger = first.getBean(KafkaSentLedger.class);
        await().atMost(Duration.ofSeconds(20)).until(() ->
                firstLedger.find(theirs.getAlertId()).map(m -> m.getStatus().equals("SENT")).orElse(false));

        // given an erasure the notifier started (PENDING) and could not finish before it stopped (Slack refusing)
        slack.faults().on("chat.delete").status(503);
        String erasureId = UUID.randomUUID().toString();
        try (ErasureReportsFeed reports = ErasureReportsFeed.fromNow(REGISTRY, erasureId)) {
            kafka.send(Topics.PRIVACY_ERASURES.name(), subject, ErasureReportsFeed.request(erasureId, subject, email)).get(10, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(20)).until(() -> reports.poll().stream()
                    .anyMatch(r -> r.getSystem().equals("slack") && r.getStatus() == ErasureStatus.FAILED));
            first.close();
            assertThat(reports.poll()).extracting(ErasureReport::getStatus).contains(ErasureStatus.PENDING)
                    .doesNotContain(ErasureStatus.DONE);
            assertThat(slack.messages()).anyMatch(m -> m.path("channel").asString("").equals(channel));

            // when a notifier starts again, Slack answering
            slack.faults().clear();
            ConfigurableApplicationContext second = startNotifier();

            // then it carries the erasure out and reports both systems DONE: the message is gone, so is its entry
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                reports.poll();
                return reports.bothDone();
            });
            // (the request met again, after a rebalance say, is done again and finds nothing left)
            assertThat(reports.poll()).filteredOn(r -> r.getStatus() == ErasureStatus.DONE).extracting(ErasureReport::getDetail)
                    .contains("1 messages deleted, 0 replaced by the removal notice, 0 already gone", "1 rep.alerts.sent entries deleted")
                    .allMatch(detail -> detail.startsWith("1 ") || detail.startsWith("0 "));
            assertThat(slack.messages()).noneMatch(m -> m.path("channel").asString("").equals(channel));
            KafkaSentLedger ledger = second.getBean(KafkaSentLedger.class);
            await().atMost(Duration.ofSeconds(10)).until(() -> ledger.find(theirs.getAlertId()).isEmpty());
        }
    }

    @Test
    void healthIsDownAndNothingIsPostedUntilTheErasuresAreRead() {
        ErasedPeople erased = new ErasedPeople(new org.springframework.boot.kafka.autoconfigure.KafkaProperties(),
                AlertSubjects.none(), new io.leadflow.notifier.InMemorySentLedger(), new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
        assertThat(erased.ready()).isFalse();
        assertThat(new ErasedPeopleHealthIndicator(erased).health(true).getStatus()).isEqualTo(Status.DOWN);
    }

    private static double skipped(MeterRegistry meters) {
        var counter = meters.find("leadflow.privacy.skipped").tag("service", "rep-notifier").counter();
        return counter == null ? 0 : counter.count();
    }

    @SuppressWarnings("unchecked")
    private static KafkaTemplate<Object, Object> kafka(ConfigurableApplicationContext context) {
        return context.getBean(KafkaTemplate.class);
    }

    private ConfigurableApplicationContext startNotifier() {
        ConfigurableApplicationContext context = new SpringApplicationBuilder(RepNotifierApplication.class)
                .web(WebApplicationType.NONE).run(arguments());
        notifiers.add(context);
        KafkaListenerEndpointRegistry listeners = context.getBean(KafkaListenerEndpointRegistry.class);
        ContainerTestUtils.waitForAssignment(listeners.getListenerContainer("rep-notifier-alerts"), Topics.REP_ALERTS.partitions());
        ContainerTestUtils.waitForAssignment(listeners.getListenerContainer("rep-notifier-erasures"), Topics.PRIVACY_ERASURES.partitions());
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            KafkaStreams streams = context.getBean(StreamsBuilderFactoryBean.class).getKafkaStreams();
            return streams != null && streams.state() == KafkaStreams.State.RUNNING;
        });
        return context;
    }

    private String[] arguments() {
        return new String[] {
                "--spring.kafka.bootstrap-servers=" + KafkaBrokers.shared().bootstrapServers(),
                "--spring.kafka.properties.schema.registry.url=" + REGISTRY,
                "--spring.kafka.consumer.group-id=" + group,
                // start where the topics end: earlier tests' alerts and erasures are not this test's business
                "--spring.kafka.consumer.auto-offset-reset=latest",
                "--spring.jmx.enabled=false",
                "--leadflow.notifier.slack.base-url=" + slack.baseUrl(),
                "--leadflow.notifier.slack.bot-token=" + SandboxSlack.TOKEN,
                "--leadflow.notifier.rate-limit.period=50ms",
                "--leadflow.notifier.delivery.retry-initial=200ms",
                "--leadflow.notifier.delivery.retry-max=1s",
                "--leadflow.privacy.key=" + KEY};
    }
}
