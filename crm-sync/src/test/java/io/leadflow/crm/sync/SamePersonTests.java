package io.leadflow.crm.sync;

import io.leadflow.avro.CrmSynced;
import io.leadflow.avro.LeadRouted;
import io.leadflow.avro.Pipeline;
import io.leadflow.avro.SyncOutcome;
import io.leadflow.crm.KafkaRecords;
import io.leadflow.crm.SpringTests;
import io.leadflow.crm.TestLeads;
import io.leadflow.schemas.Topics;
import io.leadflow.schemas.serde.AvroDeserializer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.kafka.core.KafkaTemplate;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The same person more than once on {@code leads.routed} (a real broker): every lead reaches HubSpot, none is dead-lettered. */
class SamePersonTests extends SpringTests {

    @Autowired
    KafkaTemplate<Object, Object> kafka;

    @AfterEach
    void healthy() {
        hubspot.resetFaults();
    }

    @Test
    void tenLeadsOfOneEmailAtOnceGiveOneContactOneDealTenNotesAndNothingDeadLettered() throws Exception {
        // given ten leads of one person, published at once
        String run = UUID.randomUUID().toString().substring(0, 8);
        String email = "ada@analytical-" + run + ".example";
        List<LeadRouted> leads = IntStream.range(0, 10)
                .mapToObj(i -> TestLeads.routed(run, i, email, "analytical-" + run + ".example", Pipeline.HANDS_ON)).toList();
        Set<String> leadIds = leads.stream().map(LeadRouted::getLeadId).collect(Collectors.toSet());

        try (KafkaRecords synced = new KafkaRecords(Topics.CRM_SYNCED.name());
             KafkaRecords dead = new KafkaRecords(Topics.LEADS_ROUTED.deadLetter())) {
            // when crm-sync consumes them
            leads.forEach(lead -> kafka.send(Topics.LEADS_ROUTED.name(), lead.getLeadId(), lead));
            kafka.flush();

            // then every lead is synced, on one deal of one contact, with its own note
            await().atMost(Duration.ofSeconds(30)).until(() -> distinctKeys(synced, leadIds) == 10);
            assertThat(hubspot.contactsWithEmail(email)).isEqualTo(1);
            List<JsonNode> deals = hubspot.dealsOfContact(email);
            assertThat(deals).hasSize(1);
            String dealId = deals.get(0).path("id").asString();
            assertThat(synced.keyedBy(leadIds)).extracting(r -> read(r).getDealId()).containsOnly(dealId);
            assertThat(hubspot.engagementsOnDeal("notes", dealId)).hasSize(10);
            // and nothing went to the dead-letter topic
            assertThat(dead.keyedBy(leadIds)).isEmpty();
        }
    }

    @Test
    void aDemoBookedAMinuteAfterTheFormLandsOnTheFormsDealWithTheBookingNote() throws Exception {
        // given a person's website form, already synced
        String run = UUID.randomUUID().toString().substring(0, 8);
        String email = "grace@cobol-" + run + ".example";
        LeadRouted form = TestLeads.routed(run, 1, email, "cobol-" + run + ".example", Pipeline.SELF_SERVE);
        Instant demoAt = Instant.parse("2026-01-08T15:00:00Z");
        LeadRouted demo = TestLeads.demoBooking(TestLeads.routed(run, 2, email, "cobol-" + run + ".example", Pipeline.SELF_SERVE),
                form.getLead().getReceivedAt().plusSeconds(60), demoAt);

        try (KafkaRecords synced = new KafkaRecords(Topics.CRM_SYNCED.name());
             KafkaRecords dead = new KafkaRecords(Topics.LEADS_ROUTED.deadLetter())) {
            kafka.send(Topics.LEADS_ROUTED.name(), form.getLeadId(), form).get();
            await().atMost(Duration.ofSeconds(30)).until(() -> distinctKeys(synced, Set.of(form.getLeadId())) == 1);
            String dealId = read(synced.keyedBy(Set.of(form.getLeadId())).get(0)).getDealId();

            // when the demo booking comes in a later batch
            kafka.send(Topics.LEADS_ROUTED.name(), demo.getLeadId(), demo).get();

            // then it is announced as attached to the form's deal, which holds the booking's note
            await().atMost(Duration.ofSeconds(30)).until(() -> distinctKeys(synced, Set.of(demo.getLeadId())) == 1);
            CrmSynced attached = read(synced.keyedBy(Set.of(demo.getLeadId())).get(0));
            assertThat(attached.getOutcome()).isEqualTo(SyncOutcome.ATTACHED);
            assertThat(attached.getDealId()).isEqualTo(dealId);
            assertThat(hubspot.dealsOfContact(email)).hasSize(1);
            assertThat(hubspot.engagementsOnDeal("notes", dealId))
                    .extracting(n -> n.path("properties").path("hs_note_body").asString())
                    .anySatisfy(body -> assertThat(body).contains("a demo booking for 2026-01-08 15:00 UTC"));
            assertThat(dead.keyedBy(Set.of(form.getLeadId(), demo.getLeadId()))).isEmpty();
        }
    }

    private static long distinctKeys(KafkaRecords records, Set<String> keys) {
        return records.keyedBy(keys).stream().map(ConsumerRecord::key).distinct().count();
    }

    @SuppressWarnings("unchecked")
    private static CrmSynced read(ConsumerRecord<String, byte[]> record) {
        try (AvroDeserializer<CrmSynced> deserializer = new AvroDeserializer<>()) {
            deserializer.configure(Map.of("schema.registry.url", "mock://crm-sync-tests", "specific.avro.reader", true), false);
            return deserializer.deserialize(record.topic(), record.value());
        }
    }
}
