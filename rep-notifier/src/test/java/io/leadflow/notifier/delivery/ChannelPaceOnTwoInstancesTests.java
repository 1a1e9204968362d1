package io.leadflow.notifier.delivery;

import io.leadflow.avro.AlertKind;
import io.leadflow.avro.RepAlert;
import io.leadflow.notifier.RepNotifierApplication;
import io.leadflow.notifier.SandboxSlack;
import io.leadflow.notifier.TestAlerts;
import io.leadflow.schemas.Topics;
import io.leadflow.schemas.serde.AvroSerializer;
import io.leadflow.testing.KafkaBrokers;
import io.leadflow.testing.WithKafkaBroker;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;
import org.springframework.kafka.listener.MessageListenerContainer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two rep-notifiers of one deployment, each with its own consumer, lanes and Kafka Streams client: the alerts of many
 * reps for one shared channel arrive keyed by rep, on every partition of {@code rep.alerts}, yet the channel gets one
 * message per period, because every alert of a channel is delivered from the one partition of
 * {@code rep.alerts.by-channel} its channel maps to, by the one instance that owns it.
 */
@WithKafkaBroker
class ChannelPaceOnTwoInstancesTests {

    static final String CHANNEL = "C0SHAREDPACE";
    static final Duration PERIOD = Duration.ofMillis(500);
    /** The longest a post's own work (its marker, rendering) may delay its request after it got its token. */
    static final Duration JITTER = Duration.ofMillis(250);
    static final String REGISTRY = "mock://rep-notifier-two-instances";

    private final SandboxSlack slack = SandboxSlack.start();

    private final String group = "rep-notifier-two-" + UUID.randomUUID();
    private final List<ConfigurableApplicationContext> notifiers = new ArrayList<>();

    @AfterEach
    void stop() {
        notifiers.forEach(ConfigurableApplicationContext::close);
        slack.close();
    }

    @Test
    void aChannelSharedByRepsOnEveryPartitionGetsOneMessagePerPeriodFromOneInstance() throws Exception {
        ConfigurableApplicationContext one = startNotifier();
        ConfigurableApplicationContext two = startNotifier();
        await().atMost(Duration.ofSeconds(60)).until(() -> running(one) && running(two)
                && !assigned(one).isEmpty() && !assigned(two).isEmpty() && assigned(one).size() + assigned(two).size() == 3);

        // given a channel that has had its first message (the first call to Slack pays for connections and classes)
        RepAlert warmUp = RepAlert.newBuilder(TestAlerts.newLead(UUID.randomUUID().toString())).setRepId("rep-warm-up").build();
        produce(List.of(warmUp));
        await().atMost(Duration.ofSeconds(30)).until(() -> slack.postsTo(CHANNEL).size() == 1);

        // and new-lead alerts of reps whose keys fall on every partition of rep.alerts, all for the new-lead channel
        List<RepAlert> alerts = new ArrayList<>();
        for (int round = 0; round < 2; round++) {
            for (String rep : repsOnEveryPartition()) {
                alerts.add(RepAlert.newBuilder(TestAlerts.newLead(UUID.randomUUID().toString())).setRepId(rep).build());
            }
        }

        // when they are written as routing-service writes them, keyed by rep
        produce(alerts);

        // then the channel gets every one, one per period, and all of them from the same instance
        int expected = alerts.size() + 1;
        await().atMost(Duration.ofSeconds(30)).until(() -> slack.postsTo(CHANNEL).size() >= expected);
        List<SandboxSlack.Call> posts = slack.postsTo(CHANNEL);
        assertThat(posts).hasSize(expected);
        String where = "sent by each instance " + List.of(sent(one), sent(two)) + ", partitions " + assigned(one) + " / " + assigned(two)
                + ", posts at " + posts.stream().map(SandboxSlack.Call::at).toList();
        assertThat(List.of(sent(one), sent(two))).as(where).containsExactlyInAnyOrder(0.0, (double) expected);
        // one token per period: k posts after one span at least k - 1 periods, give or take how long a post's own
        // work took between its token and its request (the warm-up's first call is left out)
        for (int i = 1; i < posts.size(); i++) {
            for (int j = i + 1; j < posts.size(); j++) {
                assertThat(Duration.between(posts.get(i).at(), posts.get(j).at()))
                        .as("from post %d to post %d of %d; %s", i + 1, j + 1, posts.size(), where)
                        .isGreaterThanOrEqualTo(PERIOD.multipliedBy(j - i).minus(JITTER));
            }
        }
    }

    private static void produce(List<RepAlert> alerts) {
        try (KafkaProducer<String, RepAlert> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBrokers.shared().bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, AvroSerializer.class,
                "schema.registry.url", REGISTRY))) {
            for (RepAlert alert : alerts) {
                producer.send(new ProducerRecord<>(Topics.REP_ALERTS.name(), alert.getRepId(), alert));
            }
        }
    }

    /** Two reps whose keys fall on each partition of rep.alerts. */
    private static List<String> repsOnEveryPartition() {
        List<String> reps = new ArrayList<>();
        int[] perPartition = new int[Topics.REP_ALERTS.partitions()];
        for (int i = 0; reps.size() < 2 * perPartition.length; i++) {
            String rep = "rep-" + i;
            int partition = Utils.toPositive(Utils.murmur2(rep.getBytes(StandardCharsets.UTF_8))) % perPartition.length;
            if (perPartition[partition] < 2) {
                perPartition[partition]++;
                reps.add(rep);
            }
        }
        return reps;
    }

    private static double sent(ConfigurableApplicationContext notifier) {
        Counter counter = notifier.getBean(MeterRegistry.class).find("leadflow.notifier.alerts")
                .tags("kind", AlertKind.NEW_LEAD.name(), "outcome", "sent").counter();
        return counter == null ? 0 : counter.count();
    }

    private static Set<?> assigned(ConfigurableApplicationContext notifier) {
        MessageListenerContainer container = notifier.getBean(KafkaListenerEndpointRegistry.class)
                .getListenerContainer(RepAlertListener.ID);
        return container == null || container.getAssignedPartitions() == null ? Set.of() : new HashSet<>(container.getAssignedPartitions());
    }

    private static boolean running(ConfigurableApplicationContext notifier) {
        KafkaStreams streams = notifier.getBean(StreamsBuilderFactoryBean.class).getKafkaStreams();
        return streams != null && streams.state() == KafkaStreams.State.RUNNING;
    }

    /** A notifier of its own, as a separate process would be, in the same deployment (consumer group). */
    private ConfigurableApplicationContext startNotifier() throws IOException {
        ConfigurableApplicationContext context = new SpringApplicationBuilder(RepNotifierApplication.class)
                .web(WebApplicationType.NONE)
                .run(
                        "--spring.kafka.bootstrap-servers=" + KafkaBrokers.shared().bootstrapServers(),
                        "--spring.kafka.properties.schema.registry.url=" + REGISTRY,
                        "--spring.kafka.consumer.group-id=" + group,
                        // start where the topic ends: earlier tests' alerts are not this test's business
                        "--spring.kafka.consumer.auto-offset-reset=latest",
                        "--spring.kafka.streams.state-dir=" + Files.createTempDirectory("rep-notifier-two"),
                        "--spring.jmx.enabled=false",
                        "--leadflow.notifier.slack.base-url=" + slack.baseUrl(),
                        "--leadflow.notifier.slack.bot-token=" + SandboxSlack.TOKEN,
                        "--leadflow.notifier.channels.new-lead=" + CHANNEL,
                        "--leadflow.notifier.digest.enabled=false",
                        "--leadflow.notifier.rate-limit.period=" + PERIOD.toMillis() + "ms",
                        "--leadflow.notifier.rate-limit.burst=1");
        notifiers.add(context);
        return context;
    }
}
