package io.leadflow.notifier.channels;

import io.leadflow.avro.LeadRouted;
import io.leadflow.avro.Pipeline;
import io.leadflow.avro.SharedChannelStatus;
import io.leadflow.avro.TrialEvent;
import io.leadflow.avro.TrialStarted;
import io.leadflow.notifier.RepNotifierApplication;
import io.leadflow.notifier.SandboxSlack;
import io.leadflow.schemas.Topics;
import io.leadflow.testing.KafkaBrokers;
import io.leadflow.testing.WithKafkaBroker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.SendResult;
import org.springframework.kafka.test.utils.ContainerTestUtils;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** With {@code LEADFLOW_SLACK_CONNECT_TRIGGER=trial-started} the channel comes when the evaluation starts, not at routing. */
@WithKafkaBroker
class SharedChannelOnTrialStartTests {

    private final SandboxSlack slack = SandboxSlack.start();
    private final String group = "rep-notifier-trial-channels-" + UUID.randomUUID();
    private ConfigurableApplicationContext notifier;

    @AfterEach
    void stop() {
        if (notifier != null) {
            notifier.close();
        }
        slack.close();
    }

    @Test
    void aHandsOnLeadGetsItsChannelWhenItsTrialStarts() throws Exception {
        notifier = new SpringApplicationBuilder(RepNotifierApplication.class).web(WebApplicationType.NONE).run(
                "--spring.kafka.bootstrap-servers=" + KafkaBrokers.shared().bootstrapServers(),
                "--spring.kafka.properties.schema.registry.url=mock://trial-channels-" + UUID.randomUUID(),
                "--spring.kafka.consumer.group-id=" + group,
                "--spring.kafka.consumer.auto-offset-reset=latest",
                "--spring.jmx.enabled=false",
                "--leadflow.notifier.slack.base-url=" + slack.baseUrl(),
                "--leadflow.notifier.slack.bot-token=" + SandboxSlack.TOKEN,
                "--leadflow.notifier.shared-channels.trigger=trial-started");
        ContainerTestUtils.waitForAssignment(notifier.getBean(KafkaListenerEndpointRegistry.class)
                .getListenerContainer("rep-notifier-shared-channels"), Topics.LEADS_ROUTED.partitions() + Topics.TRIALS_EVENTS.partitions());
        String company = "Cyberdyne " + UUID.randomUUID().toString().substring(0, 8);
        LeadRouted lead = SharedChannelTests.routed(company, Pipeline.HANDS_ON);

        // routed: read, remembered, and no channel yet
        RecordMetadata routed = send(Topics.LEADS_ROUTED.name(), lead.getLeadId(), lead);
        RoutedLeads routedLeads = notifier.getBean(RoutedLeads.class);
        await().atMost(Duration.ofSeconds(30)).until(() -> routedLeads.find(lead.getLeadId()).isPresent());
        await().atMost(Duration.ofSeconds(30)).until(() -> committedPast(routed));
        assertThat(slack.sandbox().channels()).isEmpty();

        // the trial starts
        TrialEvent started = TrialEvent.newBuilder().setEventId(UUID.randomUUID().toString()).setTrialId("trial-" + lead.getLeadId())
                .setOccurredAt(Instant.now()).setPayload(TrialStarted.newBuilder().setLeadId(lead.getLeadId()).setDealId("deal-1")
                        .setStartsAt(Instant.now()).build()).build();
        send(Topics.TRIALS_EVENTS.name(), started.getTrialId(), started);

        SharedChannelLedger ledger = notifier.getBean(SharedChannelLedger.class);
        await().atMost(Duration.ofSeconds(30)).until(() -> ledger.find(lead.getLeadId()).isPresent());
        assertThat(ledger.find(lead.getLeadId()).orElseThrow().getStatus()).isEqualTo(SharedChannelStatus.OPEN);
        assertThat(slack.sandbox().channels()).singleElement().satisfies(channel -> {
            assertThat(channel.path("name").asString()).isEqualTo("ext-" + company.toLowerCase(java.util.Locale.ROOT).replace(' ', '-'));
            assertThat(channel.path("invites").get(0).path("email").asString()).isEqualTo(lead.getLead().getContact().getEmail());
        });
    }

    @SuppressWarnings("unchecked")
    private RecordMetadata send(String topic, String key, Object value) throws Exception {
        var result = (SendResult<Object, Object>) notifier.getBean(KafkaTemplate.class).send(topic, key, value).get(10, TimeUnit.SECONDS);
        return result.getRecordMetadata();
    }

    private boolean committedPast(RecordMetadata record) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", KafkaBrokers.shared().bootstrapServers()))) {
            var committed = admin.listConsumerGroupOffsets(group + "-shared-channels").partitionsToOffsetAndMetadata()
                    .get(10, TimeUnit.SECONDS).get(new TopicPartition(record.topic(), record.partition()));
            return committed != null && committed.offset() > record.offset();
        }
    }
}
