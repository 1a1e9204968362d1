package io.leadflow.routing.simulate;

import io.leadflow.avro.LeadReceived;
import io.leadflow.avro.LeadRouted;
import io.leadflow.avro.LeadSource;
import io.leadflow.avro.Need;
import io.leadflow.avro.PlanInterest;
import io.leadflow.platform.privacy.Subjects;
import io.leadflow.routing.decide.InMemoryRoutingState;
import io.leadflow.routing.decide.Router;
import io.leadflow.routing.rules.RoutingRules;
import io.leadflow.routing.rules.RulesLoader;
import io.leadflow.routing.simulate.SimulationReport.CapHit;
import io.leadflow.routing.simulate.SimulationReport.ChangedLead;
import io.leadflow.routing.simulate.SimulationReport.Count;
import io.leadflow.routing.simulate.SimulationReport.RuleRef;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static io.leadflow.routing.RulesFiles.defaults;
import static io.leadflow.routing.RulesFiles.lineOf;
import static io.leadflow.routing.Leads.lead;
import static org.assertj.core.api.Assertions.assertThat;

/** The simulation core fed in memory: leads in replay order, past decisions as the live rules made them. */
class SimulationTests {

    private static final Instant MONDAY = Instant.parse("2026-03-02T09:00:00Z");
    private static final String DEFAULTS = defaults();
    private static final String EU_SCALE_TO_SIMON = "assign: simon\n      because: \"{rep} looks after Scale customers in the EU, and";
    private static final String EU_SCALE_TO_CAMERON = "assign: cameron\n      because: \"{rep} looks after Scale customers in the EU, and";

    @Test
    void theRulesThatDecidedBeforeChangeNothing() {
        History history = history(mixedLeads(300));

        SimulationReport report = simulate(RulesLoader.loadDefault(), history.leads(), history.past(), SimulationWindow.everything(), 200);

        assertThat(report.leadsExamined()).isEqualTo(300);
        assertThat(report.unchanged()).isEqualTo(300);
        assertThat(report.changed()).isEqualTo(new SimulationReport.Changed(0, 0, 0, 0));
        assertThat(report.changes()).isEmpty();
        assertThat(report.notDecidedBefore()).isZero();
        assertThat(report.ruleHits().values()).allSatisfy(rules -> assertThat(rules.values())
                .allSatisfy(count -> assertThat(count.before()).isEqualTo(count.after())));
        assertThat(report.leadsPerRepAndDay().values()).allSatisfy(days -> assertThat(days.values())
                .allSatisfy(count -> assertThat(count.before()).isEqualTo(count.after())));
        assertThat(report.ruleHits().get("owners").values().stream().mapToLong(Count::after).sum()).isEqualTo(300);
    }

    @Test
    void anOwnerRuleMovedToAnotherRepChangesExactlyItsLeadsWithBothDecisionsAndTheirReasons() {
        LeadReceived euScale = lead().eu().interest(PlanInterest.SCALE).events(3_000_000L).receivedAt(MONDAY).build();
        LeadReceived usScale = lead().us().interest(PlanInterest.SCALE).receivedAt(MONDAY.plusSeconds(60)).build();
        History history = history(List.of(euScale, usScale));
        RoutingRules candidate = candidate(DEFAULTS.replace(EU_SCALE_TO_SIMON, EU_SCALE_TO_CAMERON));

        SimulationReport report = simulate(candidate, history.leads(), history.past(), SimulationWindow.everything(), 200);

        assertThat(report.changed()).isEqualTo(new SimulationReport.Changed(1, 1, 0, 0));
        assertThat(report.unchanged()).isEqualTo(1);
        assertThat(report.changes()).singleElement().satisfies(change -> {
            assertThat(change.leadId()).isEqualTo(euScale.getLeadId());
            assertThat(change.receivedAt()).isEqualTo(MONDAY);
            assertThat(change.source()).isEqualTo("WEBSITE_FORM");
            assertThat(change.company()).isEqualTo(euScale.getContact().getCompanyName());
            assertThat(change.changed()).containsExactly("owner");
            assertThat(change.before().owner()).isEqualTo("simon");
            assertThat(change.after().owner()).isEqualTo("cameron");
            assertThat(change.before().plan()).isEqualTo(change.after().plan()).isEqualTo("CLOUD");
            assertThat(change.before().reasons()).extracting(SimulationReport.Reason::rule).containsExactly("pipeline-default", "plan-default", "scale-eu");
            assertThat(change.before().reasons().get(2).explanation()).startsWith("Simon looks after Scale customers in the EU");
            assertThat(change.after().reasons().get(2).explanation()).startsWith("Cameron looks after Scale customers in the EU");
            assertThat(change.after().rulesVersion()).isEqualTo("candidate-1");
            assertThat(change.before().rulesVersion()).isEqualTo("handbook-2026.1");
        });
        assertThat(report.ruleHits().get("owners").get("scale-eu")).isEqualTo(new Count(1, 1));
        LocalDate monday = LocalDate.of(2026, 3, 2);
        assertThat(report.leadsPerRepAndDay().get("simon")).containsEntry(monday, new Count(1, 0));
        assertThat(report.leadsPerRepAndDay().get("cameron")).containsEntry(monday, new Count(1, 2));
    }

    @Test
    void pipelineAndPlanChangesAreCountedApartFromOwnerChanges() {
        LeadReceived twentyMillion = lead().events(20_000_000L).technical(true).receivedAt(MONDAY).build();
        LeadReceived small = lead().events(100_000L).receivedAt(MONDAY.plusSeconds(1)).build();
        History history = history(List.of(twentyMillion, small));
        RoutingRules candidate = candidate(DEFAULTS.replace("monthlyEventsAbove: 50000000", "monthlyEventsAbove: 10000000")
                .replace("    plan: CLOUD\n    because: Low volume ({volume}) and less technical", "    plan: SCALE\n    because: Low volume ({volume}) and less technical"));

        SimulationReport report = simulate(candidate, history.leads(), history.past(), SimulationWindow.everything(), 200);

        assertThat(report.changes()).extracting(ChangedLead::leadId, ChangedLead::changed).containsExactly(
                org.assertj.core.groups.Tuple.tuple(twentyMillion.getLeadId(), List.of("pipeline")),
                org.assertj.core.groups.Tuple.tuple(small.getLeadId(), List.of("plan")));
        assertThat(report.changed()).isEqualTo(new SimulationReport.Changed(2, 0, 1, 1));
        assertThat(report.ruleHits().get("pipeline")).containsEntry("over-50m-monthly-events", new Count(0, 1))
                .containsEntry("pipeline-default", new Count(2, 1));
    }

    @Test
    void theListStopsAtTheLimitInReplayOrderButTheCountsAreComplete() {
        List<LeadReceived> leads = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            leads.add(lead().eu().interest(PlanInterest.SCALE).receivedAt(MONDAY.plusSeconds(i)).build());
        }
        History history = history(leads);
        RoutingRules candidate = candidate(DEFAULTS.replace(EU_SCALE_TO_SIMON, EU_SCALE_TO_CAMERON));
        List<PastDecision> pastLastFirst = new ArrayList<>(history.past());
        Collections.reverse(pastLastFirst);

        SimulationReport report = simulate(candidate, history.leads(), pastLastFirst, SimulationWindow.everything(), 3);

        assertThat(report.changed().total()).isEqualTo(7);
        assertThat(report.limit()).isEqualTo(3);
        assertThat(report.changes()).extracting(ChangedLead::leadId)
                .containsExactly(leads.get(0).getLeadId(), leads.get(1).getLeadId(), leads.get(2).getLeadId());
        assertThat(simulate(candidate, history.leads(), history.past(), SimulationWindow.everything(), 0).changes()).isEmpty();
    }

    @Test
    void theSameInputGivesAnEqualReportHoweverLeadsAndDecisionsInterleave() {
        History history = history(mixedLeads(400));
        RoutingRules candidate = candidate(DEFAULTS.replace("dailyCap: 40", "dailyCap: 25")
                .replace("monthlyEventsAbove: 50000000", "monthlyEventsAbove: 20000000"));

        SimulationReport first = simulate(candidate, history.leads(), history.past(), SimulationWindow.everything(), 50);
        SimulationReport again = simulate(candidate, history.leads(), history.past(), SimulationWindow.everything(), 50);
        List<PastDecision> shuffled = new ArrayList<>(history.past());
        Collections.shuffle(shuffled, new Random(3));
        Simulation decisionsFirst = new Simulation(candidate, SimulationWindow.everything(), 50);
        shuffled.forEach(decisionsFirst::past);
        history.leads().forEach(decisionsFirst::lead);
        Simulation interleaved = new Simulation(candidate, SimulationWindow.everything(), 50);
        for (int i = 0; i < history.leads().size(); i++) {
            interleaved.lead(history.leads().get(i));
            interleaved.past(shuffled.get(i));
        }

        assertThat(first.changed().total()).isPositive();
        assertThat(again).isEqualTo(first);
        assertThat(decisionsFirst.report()).isEqualTo(first);
        assertThat(interleaved.report()).isEqualTo(first);
    }

    @Test
    void aLeadWithNoPastDecisionCountsAsNotDecidedBefore() {
        History history = history(mixedLeads(10));
        LeadReceived undecided = lead().receivedAt(MONDAY.plusSeconds(3_600)).build();
        List<LeadReceived> leads = new ArrayList<>(history.leads());
        leads.add(undecided);

        SimulationReport report = simulate(RulesLoader.loadDefault(), leads, history.past(), SimulationWindow.everything(), 200);

        assertThat(report.leadsExamined()).isEqualTo(11);
        assertThat(report.notDecidedBefore()).isEqualTo(1);
        assertThat(report.unchanged() + report.changed().total() + report.notDecidedBefore()).isEqualTo(report.leadsExamined());
        assertThat(report.leadsPerRepAndDay().values().stream().flatMap(days -> days.values().stream()).mapToLong(Count::after).sum())
                .isEqualTo(11);
        assertThat(report.leadsPerRepAndDay().values().stream().flatMap(days -> days.values().stream()).mapToLong(Count::before).sum())
                .isEqualTo(10);
    }

    @Test
    void onlyLeadsReceivedInTheWindowFromTheAskedSourcesAreReplayed() {
        LeadReceived before = lead().receivedAt(MONDAY.minusSeconds(1)).build();
        LeadReceived first = lead().receivedAt(MONDAY).build();
        LeadReceived booking = lead().demoAt("2026-03-04T10:00:00Z", "https://calendly.com/b/1").receivedAt(MONDAY.plusSeconds(5)).build();
        LeadReceived last = lead().receivedAt(MONDAY.plusSeconds(9)).build();
        LeadReceived atTheEnd = lead().receivedAt(MONDAY.plusSeconds(10)).build();
        History history = history(List.of(before, first, booking, last, atTheEnd));
        SimulationWindow window = new SimulationWindow(MONDAY, MONDAY.plusSeconds(10), Set.of(LeadSource.WEBSITE_FORM));

        SimulationReport report = simulate(RulesLoader.loadDefault(), history.leads(), history.past(), window, 200);

        assertThat(report.leadsExamined()).isEqualTo(2);
        assertThat(report.unchanged() + report.changed().total()).isEqualTo(2);
        assertThat(report.leadsPerRepAndDay().values().stream().flatMap(days -> days.values().stream()).mapToLong(Count::before).sum())
                .as("decisions outside the window are not compared").isEqualTo(2);
        assertThat(report.input()).isEqualTo(new SimulationReport.Input(5, 3, 0, 0, 5, 0));
        assertThat(report.window()).isEqualTo(new SimulationReport.Window(MONDAY, MONDAY.plusSeconds(10), List.of("WEBSITE_FORM")));
    }

    @Test
    void aLeadDeliveredTwiceIsReplayedOnceAndOnlyItsFirstDecisionCounts() {
        LeadReceived lead = lead().receivedAt(MONDAY).build();
        LeadRouted first = decide(new Router(RulesLoader.loadDefault()), new InMemoryRoutingState(), lead);
        LeadRouted other = LeadRouted.newBuilder(first).setOwner(io.leadflow.avro.Owner.newBuilder(first.getOwner())
                .setRepId("someone-else").build()).build();

        Simulation simulation = new Simulation(RulesLoader.loadDefault(), SimulationWindow.everything(), 200);
        simulation.past(PastDecision.of(first));
        simulation.lead(lead);
        simulation.lead(lead);
        simulation.past(PastDecision.of(first));
        simulation.past(PastDecision.of(other));
        SimulationReport report = simulation.report();

        assertThat(report.leadsExamined()).isEqualTo(1);
        assertThat(report.unchanged()).isEqualTo(1);
        assertThat(report.input().redeliveries()).isEqualTo(1);
        assertThat(report.input().decisionsRead()).isEqualTo(3);
        assertThat(report.input().decisionsWithoutLead()).isZero();
    }

    @Test
    void aDecisionWhoseLeadWasNotReplayedIsCountedApart() {
        History history = history(mixedLeads(3));

        SimulationReport report = simulate(RulesLoader.loadDefault(), history.leads().subList(0, 2), history.past(), SimulationWindow.everything(), 200);

        assertThat(report.leadsExamined()).isEqualTo(2);
        assertThat(report.input().decisionsWithoutLead()).isEqualTo(1);
    }

    @Test
    void capsAreCountedPerDayAtEachLeadsOwnReceiptAndReportedWhenReached() {
        List<LeadReceived> leads = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            leads.add(lead().receivedAt(MONDAY.plusSeconds(60L * i)).build());
        }
        leads.add(lead().receivedAt(MONDAY.plusSeconds(86_400)).build());
        History history = history(leads);
        RoutingRules candidate = candidate(DEFAULTS.replace("dailyCap: 40", "dailyCap: 2"));

        SimulationReport report = simulate(candidate, history.leads(), history.past(), SimulationWindow.everything(), 200);

        LocalDate monday = LocalDate.of(2026, 3, 2);
        assertThat(report.capsHit()).containsExactly(
                new CapHit("cameron", monday, 2, MONDAY.plusSeconds(120)),
                new CapHit("simon", monday, 2, MONDAY.plusSeconds(180)));
        assertThat(report.changes()).filteredOn(change -> change.leadId().equals(leads.get(4).getLeadId())).singleElement().satisfies(change -> {
            assertThat(change.before().owner()).isEqualTo("cameron");
            assertThat(change.after().owner()).isEqualTo("sales");
            assertThat(change.after().reasons().get(2).rule()).isEqualTo("fallback-owner");
            assertThat(change.after().reasons().get(2).explanation()).contains("Cameron is at the daily cap of 2", "Simon is at the daily cap of 2");
        });
        assertThat(report.leadsPerRepAndDay().get("sales")).as("the next day starts under the cap again")
                .containsExactly(org.assertj.core.api.Assertions.entry(monday, new Count(0, 1)));
    }

    @Test
    void anAbsenceIsReadOnTheDayEachLeadWasReceivedInTheRulesTimeZone() {
        LeadReceived sundayInNewYork = lead().eu().interest(PlanInterest.SCALE).receivedAt(Instant.parse("2026-03-02T03:00:00Z")).build();
        LeadReceived mondayInNewYork = lead().eu().interest(PlanInterest.SCALE).receivedAt(Instant.parse("2026-03-02T15:00:00Z")).build();
        History history = history(List.of(sundayInNewYork, mondayInNewYork));
        RoutingRules candidate = candidate(DEFAULTS.replace("timeZone: UTC", "timeZone: America/New_York")
                .replace("    outOfOffice: []\n    timeZone: Europe/London", "    outOfOffice: [{ from: 2026-03-02, to: 2026-03-02, note: holiday }]\n    timeZone: Europe/London"));

        SimulationReport report = simulate(candidate, history.leads(), history.past(), SimulationWindow.everything(), 200);

        assertThat(report.changes()).singleElement().satisfies(change -> {
            assertThat(change.leadId()).isEqualTo(mondayInNewYork.getLeadId());
            assertThat(change.after().reasons().get(2).explanation()).contains("rule scale-eu names Simon, who is out of office until 2026-03-02");
        });
        assertThat(report.leadsPerRepAndDay().get("simon")).containsOnlyKeys(LocalDate.of(2026, 3, 1), LocalDate.of(2026, 3, 2));
    }

    @Test
    void rulesThatDecidedNoLeadAreListedWithTheirSectionAndLine() {
        History history = history(List.of(lead().receivedAt(MONDAY).build()));
        String yaml = DEFAULTS.replace("    - id: group-demo\n",
                "    - id: japan\n      when: { country: JP }\n      assign: simon\n      because: \"{rep} looks after Japan.\"\n    - id: group-demo\n");

        SimulationReport report = simulate(candidate(yaml), history.leads(), history.past(), SimulationWindow.everything(), 200);

        assertThat(report.rulesNeverFired()).contains(new RuleRef("owners", "japan", lineOf(yaml, "- id: japan")),
                new RuleRef("pipeline", "enterprise-interest", lineOf(yaml, "- id: enterprise-interest")));
        assertThat(report.rulesNeverFired()).extracting(RuleRef::rule).doesNotContain("pipeline-default", "round-robin")
                .contains("high-volume-more-technical");
        assertThat(report.rulesNeverFired()).filteredOn(rule -> rule.section().equals("owners")).extracting(RuleRef::rule).first().isEqualTo("japan");
    }

    @Test
    void theLeadsOfAPersonErasedSinceAreNotReplayedCountedOrListedButTheirLeadAfterTheErasureIs() {
        Subjects subjects = new Subjects("simulation-tests-privacy-key-of-32-bytes-or-more");
        LeadReceived erasedBefore = withEmail(lead().eu().interest(PlanInterest.SCALE).events(3_000_000L).receivedAt(MONDAY).build(), "Jane@Acme.io");
        LeadReceived someoneElse = withEmail(lead().eu().interest(PlanInterest.SCALE).events(3_000_000L)
                .receivedAt(MONDAY.plusSeconds(60)).build(), "bob@globex.io");
        LeadReceived cameBack = withEmail(lead().eu().interest(PlanInterest.SCALE).events(3_000_000L)
                .receivedAt(MONDAY.plusSeconds(7_200)).build(), "jane@acme.io");
        History history = history(List.of(erasedBefore, someoneElse, cameBack));
        ErasedSubjects erased = new ErasedSubjects(subjects, java.util.Map.of(subjects.of("jane@acme.io"), MONDAY.plusSeconds(3_600).toEpochMilli()));
        RoutingRules candidate = candidate(DEFAULTS.replace(EU_SCALE_TO_SIMON, EU_SCALE_TO_CAMERON));

        Simulation leadsFirst = new Simulation(candidate, SimulationWindow.everything(), 50, erased);
        history.leads().forEach(leadsFirst::lead);
        history.past().forEach(leadsFirst::past);
        Simulation decisionsFirst = new Simulation(candidate, SimulationWindow.everything(), 50, erased);
        history.past().forEach(decisionsFirst::past);
        history.leads().forEach(decisionsFirst::lead);

        SimulationReport report = leadsFirst.report();
        assertThat(decisionsFirst.report()).isEqualTo(report);
        assertThat(report.leadsExamined()).isEqualTo(2);
        assertThat(report.changed()).isEqualTo(new SimulationReport.Changed(2, 2, 0, 0));
        assertThat(report.changes()).extracting(ChangedLead::leadId).containsExactly(someoneElse.getLeadId(), cameBack.getLeadId());
        assertThat(report.input()).isEqualTo(new SimulationReport.Input(2, 0, 0, 0, 2, 0));
        assertThat(report.ruleHits().get("owners").get("scale-eu")).isEqualTo(new Count(2, 2));
        assertThat(report.notDecidedBefore()).isZero();
    }

    private static LeadReceived withEmail(LeadReceived lead, String email) {
        lead.getContact().setEmail(email);
        return lead;
    }

    @Test
    void nothingToReplayGivesZeros() {
        SimulationReport report = simulate(RulesLoader.loadDefault(), List.of(), List.of(), SimulationWindow.everything(), 200);

        assertThat(report.leadsExamined()).isZero();
        assertThat(report.unchanged()).isZero();
        assertThat(report.changed()).isEqualTo(new SimulationReport.Changed(0, 0, 0, 0));
        assertThat(report.changes()).isEmpty();
        assertThat(report.leadsPerRepAndDay()).isEmpty();
        assertThat(report.capsHit()).isEmpty();
        assertThat(report.ruleHits()).containsOnlyKeys("pipeline", "plan", "owners").allSatisfy((section, rules) -> assertThat(rules).isEmpty());
        assertThat(report.input()).isEqualTo(new SimulationReport.Input(0, 0, 0, 0, 0, 0));
        assertThat(report.rulesNeverFired()).hasSize(RulesLoader.loadDefault().pipeline().rules().size()
                + RulesLoader.loadDefault().plan().rules().size() + RulesLoader.loadDefault().owners().rules().size());
    }

    // ---- helpers ----

    record History(List<LeadReceived> leads, List<PastDecision> past) {
    }

    /** The leads as the default rules routed them, each at its receipt, one after the other from an empty state. */
    static History history(List<LeadReceived> leads) {
        Router live = new Router(RulesLoader.loadDefault());
        InMemoryRoutingState state = new InMemoryRoutingState();
        return new History(leads, leads.stream().map(lead -> PastDecision.of(decide(live, state, lead))).toList());
    }

    static LeadRouted decide(Router router, InMemoryRoutingState state, LeadReceived lead) {
        return router.decide(lead, lead.getReceivedAt(), state).toLeadRouted(lead, lead.getReceivedAt());
    }

    static SimulationReport simulate(RoutingRules candidate, List<LeadReceived> leads, List<PastDecision> past, SimulationWindow window, int limit) {
        Simulation simulation = new Simulation(candidate, window, limit);
        for (int i = 0; i < Math.max(leads.size(), past.size()); i++) {
            if (i < past.size()) {
                simulation.past(past.get(i));
            }
            if (i < leads.size()) {
                simulation.lead(leads.get(i));
            }
        }
        return simulation.report();
    }

    /** Leads of every kind: regions, plan interests, volumes, needs, recurring companies, group demos, a day apart every 100. */
    static List<LeadReceived> mixedLeads(int count) {
        Random random = new Random(11);
        PlanInterest[] interests = PlanInterest.values();
        List<LeadReceived> leads = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            var lead = lead().interest(interests[random.nextInt(interests.length)])
                    .events(random.nextInt(4) == 0 ? null : (long) Math.pow(10, 4 + random.nextDouble() * 5))
                    .technical(random.nextBoolean())
                    .receivedAt(MONDAY.plusSeconds(864L * i));
            switch (random.nextInt(3)) {
                case 0 -> lead.us();
                case 1 -> lead.eu();
                default -> { }
            }
            if (random.nextInt(5) == 0) {
                lead.domain("company-" + random.nextInt(20) + ".example");
            }
            if (random.nextInt(10) == 0) {
                lead.needs(Need.SSO);
            }
            if (random.nextInt(20) == 0) {
                lead.groupDemo();
            }
            leads.add(lead.build());
        }
        return leads;
    }

    static RoutingRules candidate(String yaml) {
        return RulesLoader.parse(yaml.replace("version: handbook-2026.1", "version: candidate-1"), "candidate.yml");
    }
}
