package io.leadflow.routing.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.leadflow.routing.rules.SlaPolicy;
import io.leadflow.routing.topology.SlaState;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A lead's SLA as the API shows it: the policy that applies and, for a routed lead, where its clock stands.
 *
 * @param status       {@code waiting} (the first owner has not accepted yet), {@code reassigned} (a later owner has
 *                     not yet), {@code accepted}, {@code breached} (no one accepted and no one is left to reassign it
 *                     to), or {@code none} when no policy applies
 * @param acceptBy     when the lead is reassigned or escalated unless accepted
 * @param remindAt     when the owner is reminded unless accepted
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record SlaView(String policy, String remindAfter, String reassignAfter, String escalateTo, Integer maxReassignments,
               Boolean workingHoursOnly, String status, Integer decisionVersion, Instant remindAt, Instant acceptBy,
               String acceptedBy, Instant acceptedAt, String acceptedVia, Integer reassignments, List<String> heldBy,
               List<HistoryView> history) {

    static SlaView policy(SlaPolicy policy, Instant remindAt, Instant acceptBy) {
        return new SlaView(policy.id(), words(policy.remindAfter()), words(policy.reassignAfter()), policy.escalateTo(),
                policy.maxReassignments(), policy.workingHoursOnly(), null, null, remindAt, acceptBy, null, null, null, null, null, null);
    }

    static SlaView of(SlaState clock, SlaPolicy policy) {
        String status = switch (clock.status()) {
            case ACCEPTED -> "accepted";
            case BREACHED -> "breached";
            case WAITING -> clock.policy() == null ? "none" : clock.version() > 1 ? "reassigned" : "waiting";
        };
        return new SlaView(clock.policy(), policy == null ? null : words(policy.remindAfter()), policy == null ? null : words(policy.reassignAfter()),
                policy == null ? null : policy.escalateTo(), policy == null ? null : policy.maxReassignments(),
                policy == null ? null : policy.workingHoursOnly(), status, clock.version(), instant(clock.remindAt()), instant(clock.acceptBy()),
                clock.acceptedBy(), instant(clock.acceptedAt()), clock.acceptedVia(), clock.reassignments(), clock.heldBy(),
                clock.history().stream().map(e -> new HistoryView(Instant.ofEpochMilli(e.at()), e.event(), e.version(), e.repId(), e.detail())).toList());
    }

    private static Instant instant(Long millis) {
        return millis == null ? null : Instant.ofEpochMilli(millis);
    }

    static SlaView none() {
        return new SlaView(null, null, null, null, null, null, "none", null, null, null, null, null, null, null, null, null);
    }

    private static String words(Duration duration) {
        return duration == null ? null : SlaPolicy.words(duration);
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record HistoryView(Instant at, String event, int decisionVersion, String repId, String detail) {
    }
}
