package io.leadflow.routing.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.leadflow.routing.rules.SlaPolicy;

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
