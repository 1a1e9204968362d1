package io.leadflow.crm.sync;

import io.leadflow.avro.LeadRouted;
import io.leadflow.avro.Owner;
import io.leadflow.crm.TestLeads;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** crm-sync follows the highest decision version of a lead: a reassignment moves the owner in HubSpot, a replay does not. */
class ReassignTests extends BatchSyncTests {

    static final Owner CAMERON = Owner.newBuilder().setRepId("cameron").setName("Cameron").setEmail("cameron@leadflow.example")
            .setSlackUserId("U00CAMERON1").setHubspotOwnerId("77002").build();

    @Test
    void aHigherDecisionVersionMovesContactDealAndOpenTasksToTheNewOwnerWithANoteAndAnOlderOrEqualOneChangesNothing() {
        // given a hands-on lead synced at version 1 (owner 77001: a deal, a note, two tasks), whose rep completed one task
        // and moved the deal on
        LeadRouted v1 = TestLeads.routed(run, 1);
        String email = v1.getLead().getContact().getEmail();
        String dealId = sync.sync(List.of(v1)).synced().get(v1.getLeadId()).getDealId();
        JsonNode slackConnect = task(dealId, "Set up shared Slack Connect channel");
        hubspot.update("tasks", slackConnect.path("id").asString(), Map.of("hs_task_status", "COMPLETED"));
        hubspot.moveDeal(dealId, "hands-on-evaluation");

        // when routing-service reassigns it to Cameron (version 2)
        LeadRouted v2 = LeadRouted.newBuilder(v1).setDecisionVersion(2).setOwner(CAMERON).setPreviousOwner(v1.getOwner())
                .setDecidedAt(Instant.parse("2026-01-05T14:20:00Z"))
                .setChangeReason("Simon did not accept within 15 minutes of working time.").build();
        LeadSync.Result moved = sync.sync(List.of(v2));

        // then the contact, the deal and the open task are Cameron's; the completed task stays Simon's; the deal stays
        // where the rep moved it; one note on the deal says who has it now, who had it, and why
        assertThat(moved.rejected()).isEmpty();
        assertThat(moved.synced().get(v1.getLeadId()).getDecisionVersion()).isEqualTo(2);
        assertThat(moved.synced().get(v1.getLeadId()).getDealId()).isEqualTo(dealId);
        assertThat(hubspot.contactProperty(email, "hubspot_owner_id")).isEqualTo("77002");
        JsonNode deal = hubspot.deal(v1.getLeadId()).path("properties");
        assertThat(deal.path("hubspot_owner_id").asString()).isEqualTo("77002");
        assertThat(deal.path("dealstage").asString()).isEqualTo("hands-on-evaluation");
        assertThat(task(dealId, "Schedule kick-off call").path("properties").path("hubspot_owner_id").asString()).isEqualTo("77002");
        assertThat(task(dealId, "Set up shared Slack Connect channel").path("properties").path("hubspot_owner_id").asString()).isEqualTo("77001");
        List<JsonNode> notes = hubspot.engagementsOnDeal("notes", dealId);
        assertThat(notes).hasSize(2);
        assertThat(notes.get(1).path("properties").path("hs_note_body").asString())
                .contains("reassigned to Cameron", "Previous owner: Simon", "Simon did not accept within 15 minutes of working time.");
        assertThat(notes.get(1).path("properties").path("hs_timestamp").asString()).isEqualTo("2026-01-05T14:20:00Z");
        Map<String, Integer> after = hubspot.counts();

        // when version 1 is replayed, then version 2 again
        LeadSync.Result oldReplay = sync.sync(List.of(v1));
        sync.sync(List.of(v2));

        // then nothing changes: Cameron keeps contact, deal and task; no second note; the record still says version 2
        assertThat(oldReplay.synced().get(v1.getLeadId()).getDecisionVersion()).isEqualTo(2);
        assertThat(hubspot.contactProperty(email, "hubspot_owner_id")).isEqualTo("77002");
        assertThat(hubspot.deal(v1.getLeadId()).path("properties").path("hubspot_owner_id").asString()).isEqualTo("77002");
        assertThat(task(dealId, "Schedule kick-off call").path("properties").path("hubspot_owner_id").asString()).isEqualTo("77002");
        assertThat(hubspot.counts()).isEqualTo(after);
    }

    @Test
    void aReassignmentWhoseNoteHubSpotAlreadyHasIsNotNotedTwice() {
        // given a lead reassigned to Cameron, HubSpot updated, and an instance that did not record it (restarted before
        // its crm.synced record was written): it knows only version 1
        LeadRouted v1 = TestLeads.routed(run, 2);
        LeadRouted v2 = LeadRouted.newBuilder(v1).setDecisionVersion(2).setOwner(CAMERON).setPreviousOwner(v1.getOwner())
                .setChangeReason("Simon passed.").build();
        LeadSync restarted = new LeadSync(crm, properties, clock);
        String dealId = restarted.sync(List.of(v1)).synced().get(v1.getLeadId()).getDealId();
        sync.sync(List.of(v1));
        sync.sync(List.of(v2));

        // when that instance syncs version 2 again
        restarted.sync(List.of(v2));

        // then the deal still has one reassignment note, and is Cameron's
        assertThat(hubspot.engagementsOnDeal("notes", dealId)).hasSize(2);
        assertThat(hubspot.deal(v1.getLeadId()).path("properties").path("hubspot_owner_id").asString()).isEqualTo("77002");
    }

    private JsonNode task(String dealId, String subjectPrefix) {
        return hubspot.engagementsOnDeal("tasks", dealId).stream()
                .filter(t -> t.path("properties").path("hs_task_subject").asString().startsWith(subjectPrefix)).findFirst().orElseThrow();
    }
}
