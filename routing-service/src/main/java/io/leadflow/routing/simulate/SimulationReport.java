package io.leadflow.routing.simulate;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.SortedMap;

/**
 * What a candidate rules file would have changed over a window of past leads. Everything but {@code generatedAt} is a
 * function of the rules and the topics' contents alone: maps are sorted, lists in replay or file order, so the same
 * simulation of the same input gives an equal report.
 *
 * @param rulesVersion     the candidate's {@code version}
 * @param leadsExamined    distinct leads in the window, replayed through the candidate
 * @param unchanged        leads whose pipeline, plan and owner are what was decided before
 * @param changed          leads with at least one of them different, and how many per aspect
 * @param notDecidedBefore leads with no decision on {@code leads.routed}
 * @param limit            the most changed leads listed
 * @param changes          the first {@code limit} changed leads in replay order, each with both decisions
 * @param leadsPerRepAndDay rep → day (the candidate's time zone, by when the lead was received) → leads before and after
 * @param ruleHits         section (pipeline, plan, owners) → rule id → leads it decided before and after
 * @param capsHit          every rep and day the candidate's daily cap was reached, in order
 * @param rulesNeverFired  the candidate's rules that decided no lead, in file order
 * @param input            what was read to get there
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SimulationReport(String rulesVersion, Window window, long leadsExamined, long unchanged, Changed changed,
                               long notDecidedBefore, int limit, List<ChangedLead> changes,
                               SortedMap<String, SortedMap<LocalDate, Count>> leadsPerRepAndDay,
                               SortedMap<String, SortedMap<String, Count>> ruleHits, List<CapHit> capsHit,
                               List<RuleRef> rulesNeverFired, Input input, Instant generatedAt) {

    public SimulationReport withGeneratedAt(Instant at) {
        return new SimulationReport(rulesVersion, window, leadsExamined, unchanged, changed, notDecidedBefore, limit, changes,
                leadsPerRepAndDay, ruleHits, capsHit, rulesNeverFired, input, at);
    }

    /** The window as asked; null ends are open. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Window(Instant from, Instant to, List<String> sources) {
    }

    public record Changed(long total, long owner, long pipeline, long plan) {
    }

    public record Count(long before, long after) {
    }

    /**
     * @param changed what differs: {@code owner}, {@code pipeline}, {@code plan}
     */
    public record ChangedLead(String leadId, Instant receivedAt, String source, String company, List<String> changed,
                              DecisionSummary before, DecisionSummary after) {
    }

    public record DecisionSummary(String pipeline, String plan, String owner, String rulesVersion, List<Reason> reasons) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Reason(String rule, String field, String value, String explanation) {
    }

    /** The lead received at {@code reachedAt} was the {@code cap}-th of the day for {@code rep}. */
    public record CapHit(String rep, LocalDate day, int cap, Instant reachedAt) {
    }

    public record RuleRef(String section, String rule, int line) {
    }

    /**
     * @param leadsRead            lead records read from {@code leads.received} (in the window or not)
     * @param outsideWindow        of those, received outside the window or from another source
     * @param redeliveries         leads seen again in the window (replayed once, as routing re-emits the first decision)
     * @param unreadable           records of either topic that could not be decoded
     * @param decisionsRead        decision records read from {@code leads.routed}
     * @param decisionsWithoutLead decisions for leads in the window whose lead record was not replayed (e.g. past retention)
     */
    public record Input(long leadsRead, long outsideWindow, long redeliveries, long unreadable, long decisionsRead,
                        long decisionsWithoutLead) {
    }
}
