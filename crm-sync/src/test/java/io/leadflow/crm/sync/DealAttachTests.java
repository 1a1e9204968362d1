package io.leadflow.crm.sync;

import io.leadflow.avro.CrmSynced;
import io.leadflow.avro.LeadRouted;
import io.leadflow.avro.Pipeline;
import io.leadflow.avro.SyncOutcome;
import io.leadflow.crm.TestLeads;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Leads of a person or company HubSpot already has a deal for: one contact, one open deal per pipeline, every lead a
 * note (and its tasks) on it; a new deal only in another pipeline or once the deal is closed. Synced directly, batch by
 * batch, against the HubSpot fake.
 */
class DealAttachTests extends BatchSyncTests {

    private static final Instant FORM_AT = Instant.parse("2026-01-05T14:00:00Z");
    private static final Instant DEMO_AT = Instant.parse("2026-01-08T15:00:00Z");

    @Test
    void tenLeadsOfOnePersonInOneBatchGiveOneContactOneDealOpenedByTheEarliestAndTenNotes() {
        // given ten leads of one person arriving together, the fourth one received first
        String email = "ada@analytical-" + run + ".example";
        List<LeadRouted> leads = IntStream.range(0, 10)
                .mapToObj(i -> TestLeads.receivedAt(TestLeads.routed(run, i, email, "analytical-" + run + ".example", Pipeline.SELF_SERVE),
                        FORM_AT.plusSeconds(i == 3 ? 0 : 10 + i)))
                .toList();
        hubspot.clearCalls();

        // when they are synced as one batch
        LeadSync.Result result = sync.sync(leads);

        // then none is refused: one contact, one deal opened by the earliest lead, the nine others attached to it
        assertThat(result.rejected()).isEmpty();
        assertThat(hubspot.contactsWithEmail(email)).isEqualTo(1);
        List<JsonNode> deals = hubspot.dealsOfContact(email);
        assertThat(deals).hasSize(1);
        String dealId = deals.get(0).path("id").asString();
        assertThat(deals.get(0).path("properties").path("leadflow_lead_id").asString()).isEqualTo(leads.get(3).getLeadId());
        assertThat(result.synced().values()).extracting(CrmSynced::getDealId).containsOnly(dealId);
        assertThat(result.synced().get(leads.get(3).getLeadId()).getOutcome()).isEqualTo(SyncOutcome.CREATED);
        assertThat(result.synced().values()).filteredOn(s -> s.getOutcome() == SyncOutcome.ATTACHED).hasSize(9);
        // and every lead has its note on the deal; the contact-company pair went to HubSpot once, and the deal was created
        // with the contact and the company associated inline, so no other association call was needed
        assertThat(hubspot.engagementsOnDeal("notes", dealId)).hasSize(10);
        assertThat(inputs("/crm/v4/associations/contacts/companies/batch/associate/default")).hasSize(1);
        assertThat(hubspot.requests("POST", "/crm/v4/associations/deals/contacts/batch/associate/default")).isEmpty();
        assertThat(hubspot.requests("POST", "/crm/v4/associations/deals/companies/batch/associate/default")).isEmpty();
        assertThat(inputs("/crm/v3/objects/contacts/batch/upsert")).hasSize(1);
        // and a burst of people HubSpot did not know costs no look-up
        assertThat(hubspot.requests("POST", "/crm/v4/associations/contacts/deals/batch/read")).isEmpty();
        assertThat(hubspot.requests("POST", "/crm/v3/objects/deals/batch/read")).isEmpty();
    }

    @Test
    void aDemoBookedAfterTheFormIsAddedToThePersonsOpenDealWithANoteOfTheBooking() {
        // given a person who filled in the website form, synced in an earlier batch
        LeadRouted form = TestLeads.routed(run, 1, "grace@cobol-" + run + ".example", "cobol-" + run + ".example", Pipeline.SELF_SERVE);
        CrmSynced first = sync.sync(List.of(form)).synced().get(form.getLeadId());

        // when the same person books a demo a minute later (another lead), in the next batch
        LeadRouted demo = TestLeads.demoBooking(TestLeads.routed(run, 2, "grace@cobol-" + run + ".example", "cobol-" + run + ".example",
                Pipeline.SELF_SERVE), FORM_AT.plusSeconds(60), DEMO_AT);
        LeadSync.Result result = sync.sync(List.of(demo));

        // then the booking is attached to the form's deal: no second deal, a note saying what is new, its tasks on the deal
        CrmSynced attached = result.synced().get(demo.getLeadId());
        assertThat(attached.getOutcome()).isEqualTo(SyncOutcome.ATTACHED);
        assertThat(attached.getDealId()).isEqualTo(first.getDealId());
        assertThat(attached.getDealUrl()).endsWith("/deal/" + first.getDealId());
        assertThat(attached.getContactId()).isEqualTo(first.getContactId());
        assertThat(hubspot.dealsOfContact("grace@cobol-" + run + ".example")).hasSize(1);
        List<JsonNode> notes = hubspot.engagementsOnDeal("notes", first.getDealId());
        assertThat(notes).hasSize(2);
        assertThat(notes.get(1).path("properties").path("hs_note_body").asString())
                .contains("another lead for this deal, from a demo booking for 2026-01-08 15:00 UTC")
                .contains("we want to see session replay")
                .contains("https://calendly.com/leadflow/demo/" + demo.getLeadId());
        assertThat(hubspot.engagementsOnDeal("tasks", first.getDealId()))
                .extracting(t -> t.path("properties").path("hs_task_subject").asString())
                .contains("Demo call with Company 2");
    }

    @Test
    void aColleagueOfACompanyWithAnOpenDealInTheSamePipelineIsAttachedToIt() {
        // given a company whose first lead has an open hands-on deal
        String domain = "initech-" + run + ".example";
        LeadRouted peter = TestLeads.routed(run, 1, "peter@" + domain, domain, Pipeline.HANDS_ON);
        String dealId = sync.sync(List.of(peter)).synced().get(peter.getLeadId()).getDealId();

        // when a colleague (same domain, another email) comes in the same pipeline
        LeadRouted samir = TestLeads.routed(run, 2, "samir@" + domain, domain, Pipeline.HANDS_ON);
        hubspot.clearCalls();
        CrmSynced synced = sync.sync(List.of(samir)).synced().get(samir.getLeadId());

        // then the colleague is a second contact on the same deal
        assertThat(synced.getOutcome()).isEqualTo(SyncOutcome.ATTACHED);
        assertThat(synced.getDealId()).isEqualTo(dealId);
        assertThat(hubspot.dealsOfContact("samir@" + domain)).extracting(d -> d.path("id").asString()).containsExactly(dealId);
        assertThat(hubspot.engagementsOnDeal("notes", dealId)).hasSize(2);
        // found through the company alone, and with nothing to search for: a new contact has no notes or tasks yet
        assertThat(hubspot.requests("POST", "/crm/v4/associations/companies/deals/batch/read")).hasSize(1);
        assertThat(hubspot.requests("POST", "/crm/v4/associations/contacts/deals/batch/read")).isEmpty();
        assertThat(hubspot.requests("POST", "/crm/v3/objects/notes/search")).isEmpty();
        assertThat(hubspot.requests("POST", "/crm/v3/objects/tasks/search")).isEmpty();
    }

    @Test
    void aLeadInTheOtherPipelineGetsItsOwnDeal() {
        // given a person with an open self-serve deal
        String email = "linus@kernel-" + run + ".example";
        LeadRouted selfServe = TestLeads.routed(run, 1, email, "kernel-" + run + ".example", Pipeline.SELF_SERVE);
        String selfServeDeal = sync.sync(List.of(selfServe)).synced().get(selfServe.getLeadId()).getDealId();

        // when the same person comes again and is routed hands-on
        LeadRouted handsOn = TestLeads.routed(run, 2, email, "kernel-" + run + ".example", Pipeline.HANDS_ON);
        CrmSynced synced = sync.sync(List.of(handsOn)).synced().get(handsOn.getLeadId());

        // then the hands-on lead opens a hands-on deal of its own
        assertThat(synced.getOutcome()).isEqualTo(SyncOutcome.CREATED);
        assertThat(synced.getDealId()).isNotEqualTo(selfServeDeal);
        assertThat(hubspot.dealsOfContact(email)).extracting(d -> d.path("properties").path("pipeline").asString())
                .containsExactlyInAnyOrder("default", "hands-on");
    }

    @Test
    void aLeadOfAPersonWhoseDealIsClosedOpensANewDeal() {
        // given a person whose deal the rep closed
        String email = "margaret@apollo-" + run + ".example";
        LeadRouted won = TestLeads.routed(run, 1, email, "apollo-" + run + ".example", Pipeline.SELF_SERVE);
        String closedDeal = sync.sync(List.of(won)).synced().get(won.getLeadId()).getDealId();
        hubspot.moveDeal(closedDeal, "closedwon");

        // when the person comes again in the same pipeline
        LeadRouted again = TestLeads.routed(run, 2, email, "apollo-" + run + ".example", Pipeline.SELF_SERVE);
        CrmSynced synced = sync.sync(List.of(again)).synced().get(again.getLeadId());

        // then a new deal is opened
        assertThat(synced.getOutcome()).isEqualTo(SyncOutcome.CREATED);
        assertThat(synced.getDealId()).isNotEqualTo(closedDeal);
        assertThat(hubspot.dealsOfContact(email)).hasSize(2);
    }

    @Test
    void replayOfABatchWithAttachedLeadsCreatesNoNewObjectsAndGivesTheSameDeals() {
        // given a batch mixing a person's form and demo, a colleague, a lead in the other pipeline and a stranger,
        // after an earlier batch left the person an open deal
        String domain = "hooli-" + run + ".example";
        LeadRouted earlier = TestLeads.routed(run, 1, "gavin@" + domain, domain, Pipeline.SELF_SERVE);
        sync.sync(List.of(earlier));
        List<LeadRouted> batch = new ArrayList<>(List.of(
                TestLeads.demoBooking(TestLeads.routed(run, 2, "gavin@" + domain, domain, Pipeline.SELF_SERVE), FORM_AT.plusSeconds(60), DEMO_AT),
                TestLeads.routed(run, 3, "richard@" + domain, domain, Pipeline.SELF_SERVE),
                TestLeads.routed(run, 4, "jared@" + domain, domain, Pipeline.HANDS_ON),
                TestLeads.routed(run, 5, "erlich@aviato-" + run + ".example", "aviato-" + run + ".example", Pipeline.SELF_SERVE)));
        LeadSync.Result first = sync.sync(batch);
        Map<String, Integer> before = hubspot.counts();

        // when the same batch is consumed again
        LeadSync.Result replay = sync.sync(batch);

        // then HubSpot holds nothing new and every lead is on the same deal, with the same outcome
        assertThat(replay.rejected()).isEmpty();
        assertThat(hubspot.counts()).isEqualTo(before);
        for (LeadRouted lead : batch) {
            assertThat(replay.synced().get(lead.getLeadId()).getDealId()).isEqualTo(first.synced().get(lead.getLeadId()).getDealId());
        }
        assertThat(first.synced().values()).extracting(CrmSynced::getOutcome)
                .containsExactly(SyncOutcome.ATTACHED, SyncOutcome.ATTACHED, SyncOutcome.CREATED, SyncOutcome.CREATED);
        assertThat(replay.synced().values()).extracting(CrmSynced::getOutcome)
                .containsExactly(SyncOutcome.ATTACHED, SyncOutcome.ATTACHED, SyncOutcome.UPDATED, SyncOutcome.UPDATED);
    }

    private List<JsonNode> inputs(String path) {
        return hubspot.requests("POST", path).stream()
                .flatMap(r -> JSON.readTree(r.request()).path("inputs").valueStream()).toList();
    }
}
