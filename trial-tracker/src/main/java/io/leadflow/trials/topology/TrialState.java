package io.leadflow.trials.topology;

import io.leadflow.avro.Deployment;
import io.leadflow.avro.ReminderKind;
import io.leadflow.avro.TrialOutcome;

import java.util.ArrayList;
import java.util.List;

/**
 * One trial as the topology keeps it in the {@value #STORE} store, keyed by trial id. Only the topology writes it.
 * Reminders that fired since the trial's last event are kept apart ({@link FiredReminders}) and folded in by
 * {@link #folding}; every read goes through {@link TrialStores}, which does that.
 *
 * @param pending reminders still to fire (each also in the due-time index)
 * @param fired   reminders that fired, in firing order
 * @param history every event applied or ignored, in order; its event ids make replays no-ops
 * @param kickoff the kick-off call the customer booked; null until they book one (and in trials stored before)
 */
public record TrialState(String trialId, String dealId, String leadId, long startsAt, long endsAt, int lengthDays,
                         Deployment deployment, String origin, TrialStatus status, TrialOutcome outcome,
                         String closeReason, List<Pending> pending, List<Fired> fired, List<HistoryEntry> history,
                         Kickoff kickoff) {

    public static final String STORE = "trials";

    public TrialState {
        pending = pending == null ? List.of() : List.copyOf(pending);
        fired = fired == null ? List.of() : List.copyOf(fired);
        history = history == null ? List.of() : List.copyOf(history);
    }

    /** A reminder waiting for its due time. */
    public record Pending(ReminderKind kind, long dueAt) {
    }

    /** A reminder that fired. */
    public record Fired(String reminderId, ReminderKind kind, long dueAt, long firedAt, boolean late) {
    }

    /**
     * An event the topology received for this trial.
     *
     * @param outcome {@code applied} or why it was ignored ({@code duplicate}, {@code closed}, ...)
     */
    public record HistoryEntry(String eventId, String type, long occurredAt, long recordedAt, String detail,
                               String outcome) {
    }

    /**
     * The kick-off call the customer booked.
     *
     * @param bookingLeadId the lead the booking arrived as
     * @param startsAt      when the call starts
     * @param bookedAt      when the trial learned of it
     * @param reminderId    the kick-off reminder that had fired and was completed by the booking; null when the booking
     *                      came first and the reminder never fired
     */
    public record Kickoff(String bookingLeadId, String provider, long startsAt, long bookedAt, String reminderId) {
    }

    public boolean hasSeen(String eventId) {
        return history.stream().anyMatch(h -> h.eventId().equals(eventId));
    }

    TrialState with(TrialStatus newStatus, long newEndsAt, List<Pending> newPending) {
        return new TrialState(trialId, dealId, leadId, startsAt, newEndsAt, lengthDays, deployment, origin, newStatus,
                outcome, closeReason, newPending, fired, history, kickoff);
    }

    TrialState closed(TrialOutcome newOutcome, String reason) {
        return new TrialState(trialId, dealId, leadId, startsAt, endsAt, lengthDays, deployment, origin,
                TrialStatus.CLOSED, newOutcome, reason, List.of(), fired, history, kickoff);
    }

    TrialState recording(HistoryEntry entry) {
        List<HistoryEntry> entries = new ArrayList<>(history);
        entries.add(entry);
        return new TrialState(trialId, dealId, leadId, startsAt, endsAt, lengthDays, deployment, origin, status,
                outcome, closeReason, pending, fired, entries, kickoff);
    }

    TrialState firing(Pending done, Fired record) {
        List<Pending> rest = new ArrayList<>(pending);
        rest.remove(done);
        List<Fired> all = new ArrayList<>(fired);
        all.add(record);
        TrialStatus next = done.kind() == ReminderKind.EXPIRED && status == TrialStatus.ACTIVE ? TrialStatus.EXPIRED : status;
        return new TrialState(trialId, dealId, leadId, startsAt, endsAt, lengthDays, deployment, origin, next,
                outcome, closeReason, rest, all, history, kickoff);
    }

    /** This trial with its kick-off booked and {@code newPending} left to fire. */
    TrialState booked(Kickoff booked, List<Pending> newPending) {
        return new TrialState(trialId, dealId, leadId, startsAt, endsAt, lengthDays, deployment, origin, status,
                outcome, closeReason, newPending, fired, history, booked);
    }

    /** This trial with {@code marks}, reminders that fired since it was written, in firing order. */
    TrialState folding(List<Fired> marks) {
        if (marks == null || marks.isEmpty()) {
            return this;
        }
        TrialState folded = this;
        for (Fired mark : marks) {
            folded = folded.firing(new Pending(mark.kind(), mark.dueAt()), mark);
        }
        return folded;
    }
}
