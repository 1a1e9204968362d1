package io.leadflow.crm.sync;

import io.leadflow.avro.LeadRouted;
import io.leadflow.avro.Pipeline;
import io.leadflow.crm.KafkaRecords;
import io.leadflow.crm.SpringTests;
import io.leadflow.crm.TestLeads;
import io.leadflow.schemas.Topics;
import io.leadflow.testing.KafkaBrokers;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.kafka.core.KafkaTemplate;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Items HubSpot refuses for good, and bytes nobody can read, go to {@code leads.routed.dlt}; the rest proceeds. */
class DeadLetterTests extends SpringTests {

    @Autowired
    KafkaTemplate<Object, Object> kafka;

    @AfterEach
    void healthy() {
        hubspot.resetFaults();
    }

    @Test
    void itemRefusedInA207GoesToTheDeadLetterTopicWithHubSpotsErrorAndTheOthersAreSynced() throws Exception {
        // given 100 leads, one of which HubSpot will refuse (invalid email) in a 207 multi-status answer
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<LeadRouted> leads = IntStream.range(0, 100).mapToObj(i -> TestLeads.routed(run, i)).toList();
        LeadRouted bad = TestLeads.routed(run, 100, "not-an-email-" + run + "@@co.example", "bad-" + run + ".example", Pipeline.SELF_SERVE);
        String badEmail = bad.getLead().getContact().getEmail();
        hubspot.faults().refuseItem(badEmail, "email", "INVALID_EMAIL", "Email address " + badEmail + " is invalid");
        Set<String> good = leads.stream().map(LeadRouted::getLeadId).collect(Collectors.toSet());

        try (KafkaRecords synced = new KafkaRecords(Topics.CRM_SYNCED.name());
             KafkaRecords dead = new KafkaRecords(Topics.LEADS_ROUTED.deadLetter())) {
            // when they arrive on leads.routed, with a record of unreadable bytes among them
            kafka.send(Topics.LEADS_ROUTED.name(), bad.getLeadId(), bad);
            leads.forEach(lead -> kafka.send(Topics.LEADS_ROUTED.name(), lead.getLeadId(), lead));
            String poison = "poison-" + run;
            try (KafkaProducer<String, byte[]> raw = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBrokers.shared().bootstrapServers()),
                    new StringSerializer(), new ByteArraySerializer())) {
                raw.send(new ProducerRecord<>(Topics.LEADS_ROUTED.name(), poison, "not avro".getBytes(StandardCharsets.UTF_8))).get();
            }
            kafka.flush();

            // then the 100 good leads are synced
            await().atMost(Duration.ofSeconds(30)).until(() -> synced.keyedBy(good).size() >= good.size());
            // and the refused one is dead-lettered with HubSpot's message and correlation id, and never synced
            await().atMost(Duration.ofSeconds(10)).until(() -> dead.keyedBy(Set.of(bad.getLeadId(), poison)).size() == 2);
            ConsumerRecord<String, byte[]> refused = dead.keyedBy(Set.of(bad.getLeadId())).get(0);
            assertThat(header(refused, SyncConfiguration.HEADER_ERROR)).contains("INVALID_EMAIL");
            assertThat(header(refused, SyncConfiguration.HEADER_CORRELATION_ID)).isNotBlank();
            assertThat(header(refused, SyncConfiguration.HEADER_CATEGORY)).isEqualTo("VALIDATION_ERROR");
            assertThat(synced.keyedBy(Set.of(bad.getLeadId()))).isEmpty();
            ConsumerRecord<String, byte[]> unreadable = dead.keyedBy(Set.of(poison)).get(0);
            assertThat(new String(unreadable.value(), StandardCharsets.UTF_8)).isEqualTo("not avro");
        }
        assertThat(hubspot.dealsFor(good)).isEqualTo(100);
        assertThat(hubspot.deal(bad.getLeadId())).isNull();
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
