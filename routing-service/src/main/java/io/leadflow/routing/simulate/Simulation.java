package io.leadflow.routing.simulate;

import io.leadflow.avro.LeadReceived;
import io.leadflow.avro.LeadRouted;
import io.leadflow.avro.LeadSource;
import io.leadflow.avro.Pipeline;
import io.leadflow.avro.Plan;
import io.leadflow.avro.RoutingReason;
import io.leadflow.routing.decide.Decision;
import io.leadflow.routing.decide.InMemoryRoutingState;
import io.leadflow.routing.decide.NewLeadAlert;
import io.leadflow.routing.decide.Router;
import io.leadflow.routing.rules.Rep;
import io.leadflow.routing.rules.RoutingRules;
import io.leadflow.routing.rules.Rule;
import io.leadflow.routing.simulate.SimulationReport.CapHit;
import io.leadflow.routing.simulate.SimulationReport.ChangedLead;
import io.leadflow.routing.simulate.SimulationReport.Count;
import io.leadflow.routing.simulate.SimulationReport.DecisionSummary;
import io.leadflow.routing.simulate.SimulationReport.Reason;
import io.leadflow.routing.simulate.SimulationReport.RuleRef;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Replays past leads through candidate rules and compares with what was decided, without Kafka: feed it the leads in
 * their original order ({@link #lead}) and the past decisions in any order relative to them ({@link #past}), then
 * {@link #report()}. The candidate routes with its own in-memory state (round robin, caps, account owners), each lead
 * at its own {@code receivedAt}, so out-of-office periods and caps fall on the days they would have.
 * <p>
 * Everything is aggregated as it goes: a lead is held only until its past decision turns up (leads and decisions come
 * in nearly the same order, so few are waiting), and only the first {@code limit} changed leads are kept in full.
 * The result depends on the input alone, not on how leads and decisions were interleaved. One thread.
 */
final class Simulation {

    private static final String[] SECTIONS = {"pipeline", "plan", "owners"};

    private final RoutingRules rules;
    private final Router router;
    private final SimulationWindow window;
    private final int limit;
    private final InMemoryRoutingState state = new InMemoryRoutingState();

    private final LeadIdSet replayed = new LeadIdSet();
    private final ErasedSubjects erased;
    private final Map<String, Outcome> awaitingPast = new HashMap<>();
    private final Map<String, PastDecision> awaitingLead = new HashMap<>();
    private final TreeMap<Long, ChangedLead> changes = new TreeMap<>();

    private final Map<String, Map<LocalDate, long[]>> perRepAndDay = new HashMap<>();
    @SuppressWarnings("unchecked")
    private final Map<String, long[]>[] ruleHits = new Map[] {new HashMap<>(), new HashMap<>(), new HashMap<>()};
    private final List<CapHit> capsHit = new ArrayList<>();

    private long sequence;
    private long examined;
    private long unchanged;
    private long changedTotal;
    private long changedOwner;
    private long changedPipeline;
    private long changedPlan;
    private long leadsRead;
    private long outsideWindow;
    private long redeliveries;
    private long unreadable;
    private long decisionsRead;

    /** A lead's decision under the candidate, kept until its past decision is read. */
    private record Outcome(long sequence, String leadId, long receivedAtMillis, LocalDate day, String source, String company,
                           Decision decision) {
    }

    Simulation(RoutingRules candidate, SimulationWindow window, int limit) {
        this(candidate, window, limit, ErasedSubjects.none());
    }

    /** @param erased the people erased: their leads from before the erasure are neither replayed nor counted */
    Simulation(RoutingRules candidate, SimulationWindow window, int limit, ErasedSubjects erased) {
        this.erased = erased;
        this.rules = candidate;
        this.router = new Router(candidate);
        this.window = window;
        this.limit = limit;
    }

    /**
     * The next lead of {@code leads.received}, in replay order. The lead is not kept after this returns, so a reader
     * may reuse the object.
     */
    void lead(LeadReceived lead) {
        if (erased.erased(lead.getContact() == null ? null : lead.getContact().getEmail(), lead.getReceivedAt().toEpochMilli())) {
            return; // an erased person's: not replayed, not counted, not listed
        }
        leadsRead++;
        long receivedAt = lead.getReceivedAt().toEpochMilli();
        if (!window.covers(receivedAt, lead.getSource())) {
            outsideWindow++;
            return;
        }
        String leadId = lead.getLeadId();
        if (!replayed.add(leadId)) {
            redeliveries++;
            return;
        }
        examined++;
        Instant now = lead.getReceivedAt();
        // sentences are written only while a changed lead could still be listed: once the list is full, no later lead can be
        Decision decision = router.decide(lead, now, state, changes.size() < limit ? Router.Detail.REASONS : Router.Detail.RULES);
        LocalDate day = router.today(now);
        Rep owner = decision.owner();
        List<RoutingReason> reasons = decision.reasons();
        for (int i = 0; i < reasons.size(); i++) {
            count(ruleHits[Math.min(i, 2)], reasons.get(i).getRule())[1]++;
        }
        count(perRepAndDay, owner.id(), day)[1]++;
        if (!decision.fallbackOwner() && owner.dailyCap() != null && state.assignedOn(owner.id(), day) == owner.dailyCap()) {
            capsHit.add(new CapHit(owner.id(), day, owner.dailyCap(), now));
        }

        Outcome outcome = new Outcome(sequence++, leadId, receivedAt, day, lead.getSource().name(),
                NewLeadAlert.company(lead.getContact()), decision);
        PastDecision past = awaitingLead.remove(leadId);
        if (past != null) {
            compare(past, outcome);
        } else {
            awaitingPast.put(leadId, outcome);
        }
    }

    /** A decision from {@code leads.routed}; only the first one for a lead counts (later ones are re-emissions). */
    void past(PastDecision past) {
        if (erased.erased(past.email(), past.receivedAtMillis())) {
            return; // of an erased person's lead
        }
        decisionsRead++;
        if (!window.covers(past.receivedAtMillis(), past.source())) {
            return;
        }
        Outcome outcome = awaitingPast.remove(past.leadId());
        if (outcome != null) {
            compare(past, outcome);
        } else {
            // usually the lead is still to come; a re-emission of a decision already compared waits here too, and is
            // told apart (its lead was replayed) only at the end, which saves a lookup per decision
            awaitingLead.putIfAbsent(past.leadId(), past);
        }
    }

    /** A record of either topic that could not be decoded. */
    void unreadable() {
        unreadable++;
    }

    private void compare(PastDecision past, Outcome now) {
        Decision decision = now.decision();
        boolean owner = !past.owner().equals(decision.owner().id());
        boolean pipeline = past.pipeline() != decision.pipeline();
        boolean plan = past.plan() != decision.plan();
        List<String> rulesBefore = past.rules();
        for (int i = 0; i < rulesBefore.size(); i++) {
            count(ruleHits[Math.min(i, 2)], rulesBefore.get(i))[0]++;
        }
        count(perRepAndDay, past.owner(), now.day())[0]++;
        if (!owner && !pipeline && !plan) {
            unchanged++;
            return;
        }
        changedTotal++;
        changedOwner += owner ? 1 : 0;
        changedPipeline += pipeline ? 1 : 0;
        changedPlan += plan ? 1 : 0;
        if (changes.size() < limit || (limit > 0 && now.sequence() < changes.lastKey())) {
            List<String> what = new ArrayList<>(3);
            if (owner) {
                what.add("owner");
            }
            if (pipeline) {
                what.add("pipeline");
            }
            if (plan) {
                what.add("plan");
            }
            changes.put(now.sequence(), new ChangedLead(now.leadId(), Instant.ofEpochMilli(now.receivedAtMillis()), now.source(),
                    now.company(), List.copyOf(what), before(past), after(decision)));
            if (changes.size() > limit) {
                changes.pollLastEntry();
            }
        }
    }

    SimulationReport report() {
        SortedMap<String, SortedMap<LocalDate, Count>> repDays = new TreeMap<>();
        perRepAndDay.forEach((rep, days) -> {
            SortedMap<LocalDate, Count> sorted = new TreeMap<>();
            days.forEach((day, count) -> sorted.put(day, new Count(count[0], count[1])));
            repDays.put(rep, sorted);
        });
        SortedMap<String, SortedMap<String, Count>> hits = new TreeMap<>();
        for (int section = 0; section < SECTIONS.length; section++) {
            SortedMap<String, Count> sorted = new TreeMap<>();
            ruleHits[section].forEach((rule, count) -> sorted.put(rule, new Count(count[0], count[1])));
            hits.put(SECTIONS[section], sorted);
        }
        List<RuleRef> neverFired = new ArrayList<>();
        neverFired(SECTIONS[0], rules.pipeline().rules(), neverFired);
        neverFired(SECTIONS[1], rules.plan().rules(), neverFired);
        neverFired(SECTIONS[2], rules.owners().rules(), neverFired);
        long decisionsWithoutLead = awaitingLead.keySet().stream().filter(leadId -> !replayed.contains(leadId)).count();
        return new SimulationReport(rules.version(),
                new SimulationReport.Window(window.from(), window.to(), window.sources().stream().map(LeadSource::name).sorted().toList()),
                examined, unchanged, new SimulationReport.Changed(changedTotal, changedOwner, changedPipeline, changedPlan),
                awaitingPast.size(), limit, List.copyOf(changes.values()), repDays, hits, List.copyOf(capsHit), neverFired,
                new SimulationReport.Input(leadsRead, outsideWindow, redeliveries, unreadable, decisionsRead, decisionsWithoutLead),
                null);
    }

    private void neverFired(String section, List<? extends Rule<?>> candidates, List<RuleRef> into) {
        Map<String, long[]> hits = ruleHits[List.of(SECTIONS).indexOf(section)];
        for (Rule<?> rule : candidates) {
            long[] count = hits.get(rule.id());
            if (count == null || count[1] == 0) {
                into.add(new RuleRef(section, rule.id(), rule.line()));
            }
        }
    }

    private static DecisionSummary before(PastDecision past) {
        LeadRouted routed = past.details().get();
        return new DecisionSummary(routed.getPipeline().name(), routed.getRecommendedPlan().name(), routed.getOwner().getRepId(),
                routed.getRulesVersion(), reasons(routed.getReasons()));
    }

    private DecisionSummary after(Decision decision) {
        return new DecisionSummary(decision.pipeline().name(), decision.plan().name(), decision.owner().id(), decision.rulesVersion(),
                reasons(decision.reasons()));
    }

    private static List<Reason> reasons(List<RoutingReason> reasons) {
        return reasons.stream().map(r -> new Reason(r.getRule(), r.getField(), r.getValue(), r.getExplanation())).toList();
    }

    private static long[] count(Map<String, long[]> counts, String key) {
        long[] count = counts.get(key);
        if (count == null) {
            count = new long[2];
            counts.put(key, count);
        }
        return count;
    }

    private static long[] count(Map<String, Map<LocalDate, long[]>> counts, String rep, LocalDate day) {
        Map<LocalDate, long[]> days = counts.get(rep);
        if (days == null) {
            days = new HashMap<>();
            counts.put(rep, days);
        }
        long[] count = days.get(day);
        if (count == null) {
            count = new long[2];
            days.put(day, count);
        }
        return count;
    }
}
