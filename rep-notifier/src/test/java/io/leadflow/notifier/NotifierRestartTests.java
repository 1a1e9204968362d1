package io.leadflow.notifier;

import io.leadflow.avro.RepAlert;
import io.leadflow.avro.SentAlert;
import io.leadflow.notifier.dedupe.KafkaSentLedger;
import io.leadflow.schemas.Topics;
import io.leadflow.testing.KafkaBrokers;
import io.leadflow.testing.WithKafkaBroker;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.test.utils.ContainerTestUtils;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A digest across a crash, on a real broker: a first notifier (its own Spring context, listener container and ledger
 * reader) dies while its digest is between the PENDING markers and the SENT markers; a second notifier in the same
 * consumer group, reading the same {@code rep.alerts.sent}, gets the uncommitted alerts again. Slack is the Slack sandbox,
 * which keeps what was posted, so the second notifier really looks the digest up in the conversation's history.
 */
@WithKafkaBroker
class NotifierRestartTests {

    private final SandboxSlack slack = SandboxSlack.start();
    private final List<ConfigurableApplicationContext> notifiers = new ArrayList<>();
    private final String group = "rep-notifier-restart-" + UUID.randomUUID();
    private final String rep = "rep-" + UUID.randomUUID();
    private final String slackUser = "U0" + UUID.randomUUID().toString().replace("-", "").substring(0, 9).toUpperCase(Locale.ROOT);
    private final Instant start = Instant.now().minusSeconds(60);

    @AfterEach
    void stopEverything() {
        notifiers.forEach(ConfigurableApplicationContext::close);
        slack.close();
    }

    @Test
    void digestThatReachedSlackJustBeforeACrashIsFoundAfterTheRestartAndNotPostedAgain() throws Exception {
        // given a notifier whose digest reaches Slack but which dies before Slack's answer comes back
        slack.faults().on("chat.postMessage").where(NotifierRestartTests::isDigest).afterApplying().hold();
        ConfigurableApplicationContext first = startNotifier();
        List<String> burst = leadsWaitingForOneToken(first);
        await().atMost(Duration.ofSeconds(15)).until(() -> slack.faults().held() == 1);
        JsonNode digest = slack.messages().get(1);
        assertThat(SandboxSlack.alertIds(digest.path("metadata"))).containsExactlyElementsOf(newestFirst(burst));
        KafkaSentLedger firstLedger = first.getBean(KafkaSentLedger.class);
        assertThat(burst).allSatisfy(id -> assertThat(firstLedger.find(id)).map(SentAlert::getStatus).contains("PENDING"));

        // when it stops there and another notifier takes over the partition
        first.close();
        ConfigurableApplicationContext second = startNotifier();

        // then the redelivered alerts are found in the digest and recorded SENT with its ts; Slack got nothing new
        KafkaSentLedger ledger = second.getBean(KafkaSentLedger.class);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(burst).allSatisfy(id ->
                assertThat(ledger.find(id)).hasValueSatisfying(m -> {
                    assertThat(m.getStatus()).isEqualTo("SENT");
                    assertThat(m.getSlackTs()).isEqualTo(digest.path("ts").asString());
                    assertThat(m.getChannel()).isEqualTo(digest.path("channel").asString());
                })));
        assertThat(burst).allSatisfy(id -> assertThat(slack.messagesWith(id)).hasSize(1));
        assertThat(slack.messages()).hasSize(2);
        assertThat(second.getBean(MeterRegistry.class).counter("leadflow.notifier.alerts", "kind", "NEW_LEAD", "outcome", "recovered")
                .count()).isEqualTo(burst.size());
    }

    @Test
    void digestThatNeverReachedSlackIsPostedOnceAfterTheRestart() throws Exception {
        // given a notifier that marks the burst PENDING and dies before its digest reaches Slack
        slack.faults().on("chat.postMessage").where(NotifierRestartTests::isDigest).hold();
        ConfigurableApplicationContext first = startNotifier();
        List<String> burst = leadsWaitingForOneToken(first);
        await().atMost(Duration.ofSeconds(15)).until(() -> slack.faults().held() == 1);
        KafkaSentLedger firstLedger = first.getBean(KafkaSentLedger.class);
        assertThat(burst).allSatisfy(id -> assertThat(firstLedger.find(id)).map(SentAlert::getStatus).contains("PENDING"));
        assertThat(slack.messages()).hasSize(1);

        // when another notifier takes over, with Slack answering again
        first.close();
        slack.faults().clear(); // later posts are answered; the one held stays held
        ConfigurableApplicationContext second = startNotifier();

        // then every alert of the burst is looked up, not found, and posted exactly once (the first redelivered one
        // may go alone, as the channel has a token when it arrives; the rest wait for the next and go together)
        KafkaSentLedger ledger = second.getBean(KafkaSentLedger.class);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(burst).allSatisfy(id ->
                assertThat(ledger.find(id)).map(SentAlert::getStatus).contains("SENT")));
        List<JsonNode> reposted = slack.messages().subList(1, slack.messages().size());
        assertThat(reposted.stream().flatMap(m -> SandboxSlack.alertIds(m.path("metadata")).stream()).toList())
                .containsExactlyInAnyOrderElementsOf(burst);
        assertThat(burst).allSatisfy(id -> assertThat(slack.messagesWith(id)).hasSize(1)
                .allSatisfy(m -> assertThat(ledger.find(id).orElseThrow().getSlackTs()).isEqualTo(m.path("ts").asString())));
    }

    /** A first lead spends the rep's token; five more arrive while the lane waits for the next one. Oldest first. */
    private List<String> leadsWaitingForOneToken(ConfigurableApplicationContext notifier) throws Exception {
        @SuppressWarnings("unchecked")
        KafkaTemplate<Object, Object> kafka = notifier.getBean(KafkaTemplate.class);
        RepAlert lone = lead(0);
        kafka.send(Topics.REP_ALERTS.name(), rep, lone).get(10, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(15)).until(() -> slack.messagesWith(lone.getAlertId()).size() == 1);
        List<String> burst = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            RepAlert alert = lead(i);
            kafka.send(Topics.REP_ALERTS.name(), rep, alert);
            burst.add(alert.getAlertId());
        }
        kafka.flush();
        return burst;
    }

    private RepAlert lead(int i) {
        RepAlert alert = TestAlerts.newLead(rep + "-" + i, "Company " + i, start.plusSeconds(i), slackUser);
        alert.setRepId(rep);
        return alert;
    }

    private static List<String> newestFirst(List<String> oldestFirst) {
        List<String> reversed = new ArrayList<>(oldestFirst);
        java.util.Collections.reverse(reversed);
        return reversed;
    }

    private static boolean isDigest(JsonNode post) {
        return post.path("metadata").path("event_payload").path("alerts").isArray();
    }

    /** A notifier of its own, as a separate process would be: its context, consumer, lanes and ledger reader. */
    private ConfigurableApplicationContext startNotifier() {
        ConfigurableApplicationContext context = new SpringApplicationBuilder(RepNotifierApplication.class)
                .web(WebApplicationType.NONE)
                // as command-line arguments, which win over application.yml as the environment would
                .run(
                        "--spring.kafka.bootstrap-servers=" + KafkaBrokers.shared().bootstrapServers(),
                        "--spring.kafka.properties.schema.registry.url=mock://rep-notifier-restart",
                        "--spring.kafka.consumer.group-id=" + group,
                        // start where the topic ends: earlier tests' alerts are not this test's business
                        "--spring.kafka.consumer.auto-offset-reset=latest",
                        "--spring.jmx.enabled=false",
                        "--leadflow.notifier.slack.base-url=" + slack.baseUrl(),
                        "--leadflow.notifier.slack.bot-token=" + SandboxSlack.TOKEN,
                        "--leadflow.notifier.slack.read-timeout=60s",
                        "--leadflow.notifier.rate-limit.period=2s",
                        "--leadflow.notifier.rate-limit.burst=1");
        notifiers.add(context);
        KafkaListenerEndpointRegistry listeners = context.getBean(KafkaListenerEndpointRegistry.class);
        ContainerTestUtils.waitForAssignment(listeners.getListenerContainer("rep-notifier-alerts"), Topics.REP_ALERTS.partitions());
        // the step that puts alerts on their channel's partition starts at the end of rep.alerts too, once it runs
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            var streams = context.getBean(org.springframework.kafka.config.StreamsBuilderFactoryBean.class).getKafkaStreams();
            return streams != null && streams.state() == org.apache.kafka.streams.KafkaStreams.State.RUNNING;
        });
        return context;
    }
}
