package io.leadflow.crm.sync;

import io.leadflow.avro.ActivityKind;
import io.leadflow.avro.CrmSynced;
import io.leadflow.avro.LeadActivity;
import io.leadflow.avro.LeadRouted;
import io.leadflow.crm.KafkaRecords;
import io.leadflow.crm.SpringTests;
import io.leadflow.crm.TestLeads;
import io.leadflow.schemas.Topics;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Through Kafka: what crm-sync synced is read back from {@code crm.synced}, and a synced lead's cancelled or missed demo
 * (from {@code leads.activity}) becomes one note on its contact and deal per activity.
 */
class ActivityNoteTests extends SpringTests {

    static final JsonMapper JSON = JsonMapper.builder().build();

    @Autowired
    KafkaTemplate<Object, Object> kafka;
    @Autowired
    ConsumerFactory<Object, Object> consumerFactory;

    @Test
    void aCancelledAndAMissedDemoOfASyncedLeadGiveOneNoteEachOnContactAndDealEvenWhenRepeated() throws Exception {
        // given a lead crm-sync synced from leads.routed
        String run = UUID.randomUUID().toString().substring(0, 8);
        LeadRouted lead = TestLeads.routed(run, 1);
        CrmSynced synced = syncThroughKafka(lead);

        // when its demo is cancelled (the activity delivered twice), it is marked a no-show, the owner accepts it (not a
        // HubSpot matter), and a lead crm-sync never synced is cancelled
        LeadActivity canceled = activity(lead.getLeadId(), "calendly:invitee.canceled:" + run, ActivityKind.BOOKING_CANCELED,
                "Cancelled by invitee: found another time <b>next week</b>");
        kafka.send(Topics.LEADS_ACTIVITY.name(), lead.getLeadId(), canceled);
        kafka.send(Topics.LEADS_ACTIVITY.name(), lead.getLeadId(), canceled);
        kafka.send(Topics.LEADS_ACTIVITY.name(), lead.getLeadId(), activity(lead.getLeadId(), "slack:" + run, ActivityKind.ACCEPTED, null));
        String unknownLead = UUID.randomUUID().toString();
        kafka.send(Topics.LEADS_ACTIVITY.name(), unknownLead, activity(unknownLead, "calendly:other:" + run, ActivityKind.BOOKING_CANCELED, null));
        kafka.send(Topics.LEADS_ACTIVITY.name(), lead.getLeadId(),
                activity(lead.getLeadId(), "calendly:invitee_no_show.created:" + run, ActivityKind.NO_SHOW, null));
        kafka.flush();

        // then the deal has the lead's note and one note per activity (the no-show, last in the partition, proves the
        // repeated cancellation was handled before it), each also on the contact
        await().atMost(Duration.ofSeconds(30)).until(() -> notesOn(synced.getDealId()).stream()
                .anyMatch(n -> n.path("properties").path("hs_note_body").asString().contains("no-show")));
        List<JsonNode> notes = notesOn(synced.getDealId());
        assertThat(notes).hasSize(3);
        assertThat(notes.get(1).path("properties").path("hs_note_body").asString())
                .contains("demo cancelled", "calendly", "found another time &lt;b&gt;next week&lt;/b&gt;");
        assertThat(notes.get(1).path("properties").path("leadflow_key").asString())
                .isEqualTo(("note:" + lead.getLeadId() + ":activity:calendly:invitee.canceled:" + run).toLowerCase());
        assertThat(notes.get(2).path("properties").path("hs_note_body").asString()).contains("did not attend the booked demo");
        assertThat(hubspot.requests("POST", "/crm/v3/objects/notes/batch/create").stream()
                .flatMap(call -> JSON.readTree(call.request()).path("inputs").valueStream())
                .filter(input -> input.path("properties").path("leadflow_key").asString().contains(":activity:"))
                .filter(input -> input.path("properties").path("leadflow_key").asString().contains(run.toLowerCase()))
                .map(input -> input.path("associations").valueStream().map(a -> a.path("to").path("id").asString()).toList()))
                .hasSize(2)
                .allSatisfy(to -> assertThat(to).containsExactly(synced.getContactId(), synced.getDealId()));
    }

    @Test
    void aRestartedInstanceReadsBackWhatWasSyncedFromCrmSynced() throws Exception {
        // given leads crm-sync synced from leads.routed
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<LeadRouted> leads = IntStream.range(0, 5).mapToObj(i -> TestLeads.routed(run, i)).toList();
        Map<String, CrmSynced> synced = new java.util.HashMap<>();
        for (LeadRouted lead : leads) {
            synced.put(lead.getLeadId(), syncThroughKafka(lead));
        }

        // when a new instance reads crm.synced back
        SyncLedger ledger = new SyncConfiguration().syncLedger(consumerFactory);
        ledger.ensureLoaded(IntStream.range(0, Topics.CRM_SYNCED.partitions()).boxed().toList());

        // then it knows each lead's deal and decision version
        Map<String, CrmSynced> known = ledger.known(synced.keySet());
        assertThat(known).hasSize(5);
        known.forEach((leadId, record) -> {
            assertThat(record.getDealId()).isEqualTo(synced.get(leadId).getDealId());
            assertThat(record.getDecisionVersion()).isEqualTo(1);
        });
    }

    /** Syncs a lead through leads.routed; its HubSpot ids as the fake has them once crm.synced holds it. */
    private CrmSynced syncThroughKafka(LeadRouted lead) throws Exception {
        try (KafkaRecords synced = new KafkaRecords(Topics.CRM_SYNCED.name())) {
            kafka.send(Topics.LEADS_ROUTED.name(), lead.getLeadId(), lead);
            kafka.flush();
            await().atMost(Duration.ofSeconds(30)).until(() -> !synced.keyedBy(Set.of(lead.getLeadId())).isEmpty());
        }
        return CrmSynced.newBuilder().setLeadId(lead.getLeadId()).setSyncedAt(Instant.now())
                .setContactId(hubspot.contactId(lead.getLead().getContact().getEmail()))
                .setDealId(hubspot.deal(lead.getLeadId()).path("id").asString()).build();
    }

    private static LeadActivity activity(String leadId, String activityId, ActivityKind kind, String detail) {
        return LeadActivity.newBuilder().setActivityId(activityId).setLeadId(leadId).setKind(kind).setSource("calendly")
                .setDetail(detail).setOccurredAt(Instant.parse("2026-01-06T09:00:00Z")).build();
    }

    private static List<JsonNode> notesOn(String dealId) {
        return hubspot.engagementsOnDeal("notes", dealId);
    }
}
