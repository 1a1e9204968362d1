package io.leadflow.crm.sync;

import io.leadflow.avro.LeadRouted;
import io.leadflow.avro.SharedChannel;
import io.leadflow.avro.SharedChannelStatus;
import io.leadflow.crm.SpringTests;
import io.leadflow.crm.TestLeads;
import io.leadflow.schemas.Topics;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.kafka.core.KafkaTemplate;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A hands-on lead's shared Slack channel lands on its HubSpot deal; one Slack refused becomes a note and a task, once. */
class SharedChannelSyncTests extends SpringTests {

    @Autowired
    LeadSync leads;
    @Autowired
    SharedChannelSync channels;
    @Autowired
    KafkaTemplate<Object, Object> kafka;

    @Test
    void anOpenChannelsIdLandsOnTheDealAndAReplayChangesNothing() {
        LeadRouted lead = TestLeads.routed(run(), 1);
        String dealId = leads.sync(List.of(lead)).synced().get(lead.getLeadId()).getDealId();
        SharedChannel open = channel(lead, SharedChannelStatus.OPEN, "C0ACME0001", null, null);

        SharedChannelSync.Result first = channels.sync(List.of(open), Map.of());
        SharedChannelSync.Result replay = channels.sync(List.of(open), Map.of());

        assertThat(first.rejected()).isEmpty();
        assertThat(first.withoutDeal()).isEmpty();
        assertThat(replay.rejected()).isEmpty();
        assertThat(hubspot.deal(lead.getLeadId()).path("properties").path(SharedChannelSync.CHANNEL_PROPERTY).asString()).isEqualTo("C0ACME0001");
        assertThat(hubspot.engagementsOnDeal("notes", dealId)).noneSatisfy(note ->
                assertThat(note.path("properties").path("leadflow_key").asString()).isEqualTo(SharedChannelSync.noteKey(lead.getLeadId())));
        assertThat(hubspot.engagementsOnDeal("tasks", dealId)).noneSatisfy(task ->
                assertThat(task.path("properties").path("hs_task_subject").asString()).isEqualTo(SharedChannelSync.TASK_SUBJECT));
    }

    @Test
    void aChannelSlackRefusedBecomesANoteAndAManualTaskForTheOwnerOnceEvenWhenReplayed() {
        LeadRouted lead = TestLeads.routed(run(), 1);
        String dealId = leads.sync(List.of(lead)).synced().get(lead.getLeadId()).getDealId();
        String problem = "A workspace setting does not allow the app to do this (restricted_action on conversations.inviteShared).";
        SharedChannel manual = channel(lead, SharedChannelStatus.MANUAL, "C0ACME0002", "restricted_action", problem);

        assertThat(channels.sync(List.of(manual), Map.of()).rejected()).isEmpty();
        assertThat(channels.sync(List.of(manual), Map.of()).rejected()).isEmpty();

        assertThat(hubspot.deal(lead.getLeadId()).path("properties").path(SharedChannelSync.CHANNEL_PROPERTY).asString()).isEqualTo("C0ACME0002");
        List<JsonNode> tasks = hubspot.engagementsOnDeal("tasks", dealId).stream()
                .filter(t -> t.path("properties").path("leadflow_key").asString("").equals(SharedChannelSync.taskKey(lead.getLeadId()))).toList();
        assertThat(tasks).singleElement().satisfies(task -> {
            assertThat(task.path("properties").path("hs_task_subject").asString()).isEqualTo("Set up the shared Slack channel by hand");
            assertThat(task.path("properties").path("hs_task_body").asString()).isEqualTo(problem);
            assertThat(task.path("properties").path("hubspot_owner_id").asString())
                    .isEqualTo(lead.getOwner().getHubspotOwnerId() == null ? "" : lead.getOwner().getHubspotOwnerId());
        });
        List<JsonNode> notes = hubspot.engagementsOnDeal("notes", dealId).stream()
                .filter(n -> n.path("properties").path("leadflow_key").asString("").equals(SharedChannelSync.noteKey(lead.getLeadId()))).toList();
        assertThat(notes).singleElement().satisfies(note ->
                assertThat(note.path("properties").path("hs_note_body").asString()).contains("by hand", "restricted_action"));
    }

    @Test
    void aChannelThatArrivesBeforeItsDealWaitsForItOnTheTopic() throws Exception {
        LeadRouted lead = TestLeads.routed(run(), 1);
        SharedChannel open = channel(lead, SharedChannelStatus.OPEN, "C0ACME0003", null, null);

        kafka.send(Topics.SLACK_SHARED_CHANNELS.name(), lead.getLeadId(), open).get();
        // (a record rep-notifier files under another key, repeating a lead's, is not the lead's own and changes nothing)
        SharedChannel filedUnderItsCompany = channel(lead, SharedChannelStatus.OPEN, "C0OTHER001", null, null);
        kafka.send(Topics.SLACK_SHARED_CHANNELS.name(), "account:acme-" + run() + ".example", filedUnderItsCompany).get();
        // the channel's batch comes back until the deal exists; then the deal is synced from leads.routed
        kafka.send(Topics.LEADS_ROUTED.name(), lead.getLeadId(), lead).get();

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode deal = hubspot.deal(lead.getLeadId());
            assertThat(deal).isNotNull();
            assertThat(deal.path("properties").path(SharedChannelSync.CHANNEL_PROPERTY).asString()).isEqualTo("C0ACME0003");
        });
    }

    private static SharedChannel channel(LeadRouted lead, SharedChannelStatus status, String channelId, String error, String problem) {
        return SharedChannel.newBuilder().setLeadId(lead.getLeadId()).setStatus(status).setChannelId(channelId)
                .setName("ext-acme").setError(error).setProblem(problem).setOwnerRepId(lead.getOwner().getRepId())
                .setAt(Instant.now()).build();
    }

    private static String run() {
        return UUID.randomUUID().toString().substring(0, 8);
    }
}
