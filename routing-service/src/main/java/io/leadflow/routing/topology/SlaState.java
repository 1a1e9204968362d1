package io.leadflow.routing.topology;

import java.util.ArrayList;
import java.util.List;

/**
 * Where a lead's SLA clock stands, kept next to its decision (store {@link RoutingTopology#SLA_STORE}, keyed by leadId).
 * Times are epoch milliseconds.
 *
 * @param policy        the SLA policy of the current decision version; null when none applies
 * @param version       the decision version the clock is for
 * @param status        see {@link Status}
 * @param clockStartedAt when the current version's clock started
 * @param remindAt      when the owner is reminded (null: no reminder, or already reminded)
 * @param acceptBy      when the lead is reassigned or escalated unless accepted (null: never)
 * @param reassignments reassignments by the SLA or a pass so far
 * @param heldBy        every rep who owned the lead, first owner first
 * @param acceptedVia   {@code slack} (the Accept button) or {@code hubspot} (the owner worked it there)
 * @param credited      the owner's round-robin share and daily count were credited back for a cancelled or missed demo
 * @param history       what happened, oldest first
 * @param seen          the latest activity and request ids applied, so a repeat is not applied twice
 */
public record SlaState(String leadId, String policy, int version, Status status, long clockStartedAt, Long remindAt, Long acceptBy,
                int reassignments, List<String> heldBy, String acceptedBy, Long acceptedAt, String acceptedVia,
                boolean credited, List<Event> history, List<String> seen) {

    /** Activity ids remembered per lead: far more than any lead ever gets. */
    static final int SEEN = 64;

    public enum Status {
        /** The owner of the current version has not accepted; the clock runs (when a policy applies). */
        WAITING,
        /** Accepted with the button, or worked in HubSpot: the clock is stopped. */
        ACCEPTED,
        /** No one accepted and no one is left to reassign it to (or the reassignments are used up): escalated, stopped. */
        BREACHED
    }

    /** One thing that happened to the lead's ownership. */
    public record Event(long at, String event, int version, String repId, String detail) {
    }

    public SlaState {
        heldBy = heldBy == null ? List.of() : List.copyOf(heldBy);
        history = history == null ? List.of() : List.copyOf(history);
        seen = seen == null ? List.of() : List.copyOf(seen);
    }

    boolean hasSeen(String id) {
        return seen.contains(id);
    }

    SlaState seeing(String id) {
        List<String> next = new ArrayList<>(seen);
        next.add(id);
        while (next.size() > SEEN) {
            next.remove(0);
        }
        return new SlaState(leadId, policy, version, status, clockStartedAt, remindAt, acceptBy, reassignments, heldBy, acceptedBy,
                acceptedAt, acceptedVia, credited, history, next);
    }

    SlaState recording(Event event) {
        List<Event> next = new ArrayList<>(history);
        next.add(event);
        return new SlaState(leadId, policy, version, status, clockStartedAt, remindAt, acceptBy, reassignments, heldBy, acceptedBy,
                acceptedAt, acceptedVia, credited, next, seen);
    }

    SlaState reminded() {
        return new SlaState(leadId, policy, version, status, clockStartedAt, null, acceptBy, reassignments, heldBy, acceptedBy,
                acceptedAt, acceptedVia, credited, history, seen);
    }

    SlaState accepted(String repId, long at, String via) {
        return new SlaState(leadId, policy, version, Status.ACCEPTED, clockStartedAt, null, null, reassignments, heldBy, repId, at, via,
                credited, history, seen);
    }

    SlaState breached() {
        return new SlaState(leadId, policy, version, Status.BREACHED, clockStartedAt, null, null, reassignments, heldBy, acceptedBy,
                acceptedAt, acceptedVia, credited, history, seen);
    }

    SlaState withCredit() {
        return new SlaState(leadId, policy, version, status, clockStartedAt, remindAt, acceptBy, reassignments, heldBy, acceptedBy,
                acceptedAt, acceptedVia, true, history, seen);
    }

    /** A new decision version for {@code owner}, with its own clock; {@code reassignment} counts it towards the policy's limit. */
    SlaState newVersion(int newVersion, String owner, String newPolicy, long startedAt, Long newRemindAt, Long newAcceptBy, boolean reassignment) {
        List<String> held = new ArrayList<>(heldBy);
        if (!held.contains(owner)) {
            held.add(owner);
        }
        return new SlaState(leadId, newPolicy, newVersion, Status.WAITING, startedAt, newRemindAt, newAcceptBy,
                reassignments + (reassignment ? 1 : 0), held, null, null, null, false, history, seen);
    }
}
