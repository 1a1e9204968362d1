package io.leadflow.crm.sync;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.leadflow.avro.CrmSynced;
import io.leadflow.avro.LeadRouted;
import io.leadflow.avro.Pipeline;
import io.leadflow.avro.SyncOutcome;
import io.leadflow.crm.TestLeads;
import io.leadflow.sandbox.RecordedCall;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** The sync of a batch against the HubSpot fake, called directly (no Kafka in between). */
class LeadSyncTests extends BatchSyncTests {

    @Test
    void hundredLeadsCostOneCallPerObjectTypeWithHubSpotsDocumentedBodies() {
        // given 100 new leads, half self-serve and half hands-on, each with its own company
        List<LeadRouted> leads = IntStream.range(0, 100).mapToObj(i -> TestLeads.routed(run, i)).toList();
        hubspot.clearCalls();

        // when they are synced as one batch
        LeadSync.Result result = sync.sync(leads);

        // then every lead is synced with one call per object type, and no look-up of deals, notes or tasks: HubSpot reports
        // every contact as new, so none of these people can have a deal yet, and each deal is created with its contact and
        // company associated inline
        assertThat(result.rejected()).isEmpty();
        assertThat(result.synced()).hasSize(100);
        assertThat(calls("/crm/v3/objects/contacts/batch/upsert")).hasSize(1);
        assertThat(calls("/crm/v3/objects/companies/search")).hasSize(1);
        assertThat(calls("/crm/v3/objects/companies/batch/create")).hasSize(1);
        assertThat(calls("/crm/v3/objects/deals/batch/read")).isEmpty();
        assertThat(calls("/crm/v4/associations/contacts/deals/batch/read")).isEmpty();
        assertThat(calls("/crm/v4/associations/companies/deals/batch/read")).isEmpty();
        assertThat(calls("/crm/v3/objects/deals/batch/create")).hasSize(1);
        assertThat(calls("/crm/v3/objects/deals/batch/upsert")).isEmpty();
        assertThat(calls("/crm/v4/associations/contacts/companies/batch/associate/default")).hasSize(1);
        assertThat(calls("/crm/v4/associations/deals/contacts/batch/associate/default")).isEmpty();
        assertThat(calls("/crm/v4/associations/deals/companies/batch/associate/default")).isEmpty();
        assertThat(calls("/crm/v3/objects/notes/batch/create")).hasSize(1);
        // 50 self-serve leads get one task, 50 hands-on leads two: 150 tasks, and HubSpot takes 100 inputs a call
        assertThat(calls("/crm/v3/objects/tasks/batch/create")).hasSize(2);
        assertThat(calls("/crm/v3/objects/notes/search")).isEmpty();
        assertThat(calls("/crm/v3/objects/tasks/search")).isEmpty();
        assertThat(hubspot.calls()).hasSize(8);

        // and the bodies have HubSpot's documented shapes
        JsonNode contacts = body("/crm/v3/objects/contacts/batch/upsert");
        assertThat(contacts.path("inputs")).hasSize(100);
        JsonNode contact = contacts.path("inputs").path(0);
        assertThat(contact.path("idProperty").asString()).isEqualTo("email");
        assertThat(contact.path("id").asString()).isEqualTo(contact.path("properties").path("email").asString())
                .isEqualTo("jane0@co0-" + run + ".example");
        assertThat(contact.path("properties").path("firstname").asString()).isEqualTo("Jane");
        assertThat(contact.path("objectWriteTraceId").asString()).isEqualTo(contact.path("id").asString());

        JsonNode search = body("/crm/v3/objects/companies/search");
        JsonNode filter = search.path("filterGroups").path(0).path("filters").path(0);
        assertThat(filter.path("propertyName").asString()).isEqualTo("domain");
        assertThat(filter.path("operator").asString()).isEqualTo("IN");
        assertThat(filter.path("values")).hasSize(100);
        assertThat(body("/crm/v3/objects/companies/batch/create").path("inputs").path(0).path("properties").path("domain").asString())
                .isEqualTo("co0-" + run + ".example");

        JsonNode deals = body("/crm/v3/objects/deals/batch/create");
        JsonNode selfServe = deals.path("inputs").path(0);
        JsonNode handsOn = deals.path("inputs").path(1);
        assertThat(selfServe.path("properties").path("leadflow_lead_id").asString()).isEqualTo(leads.get(0).getLeadId());
        assertThat(selfServe.path("objectWriteTraceId").asString()).isEqualTo(leads.get(0).getLeadId());
        assertThat(selfServe.path("associations").valueStream().map(a -> a.path("to").path("id").asString()).toList())
                .containsExactly(result.synced().get(leads.get(0).getLeadId()).getContactId(),
                        result.synced().get(leads.get(0).getLeadId()).getCompanyId());
        assertThat(typeIds(selfServe)).containsExactly(3, 341);
        assertThat(selfServe.path("properties").path("pipeline").asString()).isEqualTo("default");
        assertThat(selfServe.path("properties").path("dealstage").asString()).isEqualTo("appointmentscheduled");
        assertThat(handsOn.path("properties").path("pipeline").asString()).isEqualTo("hands-on");
        assertThat(handsOn.path("properties").path("dealstage").asString()).isEqualTo("hands-on-qualified");
        assertThat(handsOn.path("properties").path("hubspot_owner_id").asString()).isEqualTo("77001");
        assertThat(handsOn.path("properties").path("dealname").asString()).isEqualTo("Company 1 – Hands-on");

        JsonNode association = body("/crm/v4/associations/contacts/companies/batch/associate/default").path("inputs").path(0);
        assertThat(association.path("from").path("id").asString()).isEqualTo(result.synced().get(leads.get(0).getLeadId()).getContactId());
        assertThat(association.path("to").path("id").asString()).isEqualTo(result.synced().get(leads.get(0).getLeadId()).getCompanyId());

        JsonNode note = body("/crm/v3/objects/notes/batch/create").path("inputs").path(0);
        assertThat(note.path("properties").path("leadflow_key").asString()).isEqualTo("note:" + leads.get(0).getLeadId());
        assertThat(note.path("properties").path("hs_note_body").asString())
                .contains("We would like to &lt;evaluate&gt; PostHog &amp; talk pricing.")
                .contains("Expects more than 50 million events a month.")
                .contains("Wants an MSA: only above $10k a month.");
        assertThat(note.path("properties").path("hs_timestamp").asString()).isEqualTo("2026-01-05T14:00:00Z");
        assertThat(typeIds(note)).containsExactly(202, 214);

        List<JsonNode> tasks = calls("/crm/v3/objects/tasks/batch/create").stream()
                .flatMap(call -> JSON.readTree(call.request()).path("inputs").valueStream()).toList();
        assertThat(tasks).hasSize(150);
        List<String> subjects = tasks.stream().map(t -> t.path("properties").path("hs_task_subject").asString()).toList();
        assertThat(subjects).contains("Send follow-up email to Company 0", "Set up shared Slack Connect channel with Company 1",
                "Schedule kick-off call with Company 1");
        JsonNode kickOff = tasks.stream()
                .filter(t -> t.path("properties").path("hs_task_subject").asString().startsWith("Schedule kick-off")).findFirst().orElseThrow();
        // in the words and at the time the decision carries (routing's rules file words them)
        assertThat(kickOff.path("properties").path("hs_task_body").asString()).isEqualTo(leads.get(1).getTasks().get(1).getBody());
        assertThat(kickOff.path("properties").path("hs_timestamp").asString())
                .isEqualTo(leads.get(1).getRoutedAt().plus(java.time.Duration.ofDays(2)).toString());
        assertThat(kickOff.path("properties").path("hs_task_type").asString()).isEqualTo("CALL");
        assertThat(kickOff.path("properties").path("hs_task_status").asString()).isEqualTo("NOT_STARTED");
        assertThat(typeIds(kickOff)).containsExactly(204, 216);

        CrmSynced synced = result.synced().get(leads.get(1).getLeadId());
        assertThat(synced.getDealUrl()).isEqualTo("https://app.hubspot.com/contacts/4242/deal/" + synced.getDealId());
        assertThat(synced.getPipelineId()).isEqualTo("hands-on");
        assertThat(synced.getOutcome()).isEqualTo(SyncOutcome.CREATED);
        // and every call carried the private app's token: the portal accepts no other
        assertThat(hubspot.calls()).extracting(RecordedCall::status).doesNotContain(401);
    }

    @Test
    void tenLeadsOfOnePersonInOneBatchAreAllSyncedOnOneContactWithEachAssociationSentOnce() {
        // given ten leads of one person (one email, one company) in one batch
        String email = "ada@analytical-" + run + ".example";
        List<LeadRouted> leads = IntStream.range(0, 10)
                .mapToObj(i -> TestLeads.routed(run, i, email, "analytical-" + run + ".example", Pipeline.SELF_SERVE)).toList();
        hubspot.clearCalls();

        // when they are synced
        LeadSync.Result result = sync.sync(leads);

        // then none is refused, all share one contact and one company, and each contact-company pair went to HubSpot once
        // (which deal they share is DealAttachTests' subject)
        assertThat(result.rejected()).isEmpty();
        assertThat(result.synced()).hasSize(10);
        assertThat(result.synced().values()).extracting(CrmSynced::getContactId).containsOnly(result.synced().get(leads.get(0).getLeadId()).getContactId());
        assertThat(result.synced().values()).extracting(CrmSynced::getCompanyId).containsOnly(result.synced().get(leads.get(0).getLeadId()).getCompanyId());
        assertThat(body("/crm/v3/objects/contacts/batch/upsert").path("inputs")).hasSize(1);
        assertThat(body("/crm/v4/associations/contacts/companies/batch/associate/default").path("inputs")).hasSize(1);
    }

    @Test
    void existingCompanyWithTheSameDomainIsReusedNotDuplicated() {
        // given a company HubSpot already has for the lead's domain
        String domain = "acme-" + run + ".example";
        String existing = hubspot.seedCompany(domain, "Acme");
        LeadRouted lead = TestLeads.routed(run, 1, "jane@" + domain, domain, Pipeline.SELF_SERVE);
        LeadRouted colleague = TestLeads.routed(run, 2, "joe@" + domain, domain, Pipeline.HANDS_ON);

        // when two leads from that company are synced
        LeadSync.Result result = sync.sync(List.of(lead, colleague));

        // then both are associated to the existing company and none is created
        assertThat(result.synced().get(lead.getLeadId()).getCompanyId()).isEqualTo(existing);
        assertThat(result.synced().get(colleague.getLeadId()).getCompanyId()).isEqualTo(existing);
        assertThat(hubspot.companiesWithDomain(domain)).isEqualTo(1);
    }

    @Test
    void replayOfTheSameLeadsCreatesNoNewObjectsAndLeavesTheDealWhereTheRepMovedIt() {
        // given ten leads already synced, and a rep who moved one deal on
        List<LeadRouted> leads = IntStream.range(0, 10).mapToObj(i -> TestLeads.routed(run, i)).toList();
        LeadSync.Result first = sync.sync(leads);
        String movedDeal = leads.get(0).getLeadId();
        hubspot.moveDeal(hubspotDeal(movedDeal).path("id").asString(), "closedwon");
        Map<String, Integer> before = hubspot.counts();

        // when the same records are consumed again
        hubspot.clearCalls();
        LeadSync.Result replay = sync.sync(leads);

        // then nothing new exists in HubSpot and the ids are the same; knowing these leads were synced, the replay reads no
        // deal and writes none, no association, note or task: one contact upsert (it does not write the owner)
        assertThat(hubspot.counts()).isEqualTo(before);
        assertThat(hubspot.calls()).hasSize(1);
        assertThat(body("/crm/v3/objects/contacts/batch/upsert").path("inputs").path(0).path("properties").has("hubspot_owner_id")).isFalse();
        assertThat(replay.synced().values()).extracting(CrmSynced::getDealId)
                .containsExactlyElementsOf(first.synced().values().stream().map(CrmSynced::getDealId).toList());
        assertThat(replay.synced().values()).extracting(CrmSynced::getOutcome).containsOnly(SyncOutcome.UPDATED);
        assertThat(hubspotDeal(movedDeal).path("properties").path("dealstage").asString()).isEqualTo("closedwon");

        // and a restarted instance that knows nothing of them finds the deals by lead id (their contacts are not new) and
        // leaves the moved one where it is
        LeadSync.Result restarted = new LeadSync(crm, properties, clock).sync(leads);
        assertThat(hubspot.counts()).isEqualTo(before);
        assertThat(restarted.synced().values()).extracting(CrmSynced::getDealId)
                .containsExactlyElementsOf(first.synced().values().stream().map(CrmSynced::getDealId).toList());
        assertThat(hubspotDeal(movedDeal).path("properties").path("dealstage").asString()).isEqualTo("closedwon");
    }

    @Test
    void rateLimitAndServerErrorStormsAreRetriedWithoutLossOrDuplicates() {
        // given a warm client (the circuit has a history of successes)
        sync.sync(IntStream.range(0, 10).mapToObj(i -> TestLeads.routed(run, i)).toList());
        Map<String, Integer> before = hubspot.counts();

        // when HubSpot answers 429 TEN_SECONDLY_ROLLING three times, then 503 three times
        hubspot.faults().failNext(3, 429);
        LeadSync.Result afterRateLimit = sync.sync(IntStream.range(10, 30).mapToObj(i -> TestLeads.routed(run, i)).toList());
        hubspot.faults().failNext(3, 503);
        LeadSync.Result afterOutage = sync.sync(IntStream.range(30, 50).mapToObj(i -> TestLeads.routed(run, i)).toList());

        // then every lead is synced exactly once
        assertThat(afterRateLimit.synced()).hasSize(20);
        assertThat(afterOutage.synced()).hasSize(20);
        assertThat(hubspot.counts().get("deals")).isEqualTo(before.get("deals") + 40);
        assertThat(hubspot.counts().get("contacts")).isEqualTo(before.get("contacts") + 40);
        assertThat(hubspot.counts().get("companies")).isEqualTo(before.get("companies") + 40);
        assertThat(hubspot.counts().get("notes")).isEqualTo(before.get("notes") + 40);
        assertThat(circuit.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
    }

    @Test
    void searchesAreKeptUnderHubSpotsPerSecondSearchLimitAndAskForUpTo500KeysEach() {
        // given 300 leads synced, and HubSpot answering at most five searches a second, as it does
        List<LeadRouted> leads = IntStream.range(0, 300).mapToObj(i -> TestLeads.routed(run, i)).toList();
        sync.sync(leads);
        Map<String, Integer> before = hubspot.counts();
        hubspot.sandbox().searchRateLimit(5);
        hubspot.clearCalls();

        // when a restarted instance, which remembers no key, consumes them again (450 task keys and 300 note keys to look
        // for: eight pages of search results)
        LeadSync.Result replay = new LeadSync(crm, properties, clock).sync(leads);

        // then every search is answered (none refused with a 429) and nothing is duplicated; a search asks for up to 500
        // keys (five filter groups of 100) and pages through what it finds 100 at a time
        assertThat(calls("/crm/v3/objects/tasks/search")).hasSize(5);
        assertThat(calls("/crm/v3/objects/notes/search")).hasSize(3);
        assertThat(body("/crm/v3/objects/tasks/search").path("filterGroups").valueStream()
                .map(group -> group.path("filters").path(0).path("values").size())).containsExactly(100, 100, 100, 100, 50);
        assertThat(hubspot.answered429()).isZero();
        assertThat(replay.rejected()).isEmpty();
        assertThat(hubspot.counts()).isEqualTo(before);
    }

    @Test
    void aDecisionFromBeforeDecisionsCarriedTasksGetsOneNeutralTaskAndNoHandbookWords() {
        // given a hands-on lead as routing wrote it before decisions carried their tasks
        LeadRouted old = TestLeads.withoutTasks(TestLeads.routed(run, 1));

        // when it is synced
        String dealId = sync.sync(List.of(old)).synced().get(old.getLeadId()).getDealId();

        // then its deal has one task, neutral, due when it was routed
        assertThat(hubspot.engagementsOnDeal("tasks", dealId)).singleElement().satisfies(task -> {
            assertThat(task.path("properties").path("hs_task_subject").asString()).isEqualTo("Follow up on this lead: Company 1");
            assertThat(task.path("properties").path("hs_task_body").asString()).doesNotContain("Slack Connect", "kick-off");
            assertThat(task.path("properties").path("hs_timestamp").asString()).isEqualTo(old.getRoutedAt().toString());
        });
    }

    private JsonNode hubspotDeal(String leadId) {
        return hubspot.deal(leadId);
    }

    private List<RecordedCall> calls(String path) {
        return hubspot.requests("POST", path);
    }

    private JsonNode body(String path) {
        return JSON.readTree(calls(path).get(0).request());
    }

    private static List<Integer> typeIds(JsonNode input) {
        return input.path("associations").valueStream().map(a -> a.path("types").path(0).path("associationTypeId").asInt()).toList();
    }
}
