package io.leadflow.trials.api;

import io.leadflow.trials.timers.Schedule;
import io.leadflow.trials.topology.TrialContext;
import io.leadflow.trials.topology.TrialState;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;

/** What the API shows of a trial. */
final class TrialViews {

    private TrialViews() {
    }

    record Owner(String repId, String name) {
    }

    record NextReminder(String kind, Instant dueAt) {
    }

    /** One line of {@code GET /trials}. */
    record Summary(String trialId, String dealId, String leadId, String company, Owner owner, String status,
                   String deployment, Instant startedAt, Instant endsAt, int daysLeft, NextReminder nextReminder,
                   String dealUrl) {
    }

    record Reminder(String reminderId, String kind, Instant dueAt, Instant firedAt, boolean late) {
    }

    record Event(String eventId, String type, Instant occurredAt, Instant recordedAt, String detail, String outcome) {
    }

    /**
     * The kick-off call the customer booked: when it starts, through which calendar, when the trial learned of it, and
     * the fired kick-off reminder it completed (null when it came before the reminder, which then never fired).
     */
    record Kickoff(String status, Instant startsAt, String provider, Instant bookedAt, String completedReminderId) {
    }

    /** {@code GET /trials/{id}}: the summary, the kick-off, the pending reminders and the history. */
    record Detail(Summary trial, int lengthDays, String origin, String outcome, String closeReason, Kickoff kickoff,
                  List<NextReminder> pending, List<Reminder> reminders, List<Event> events) {
    }

    static Summary summary(TrialState trial, TrialContext context, Instant now) {
        Owner owner = context == null || context.owner() == null ? null
                : new Owner(context.owner().repId(), context.owner().name());
        NextReminder next = trial.pending().stream().min(Comparator.comparingLong(TrialState.Pending::dueAt))
                .map(p -> new NextReminder(p.kind().name(), Instant.ofEpochMilli(p.dueAt()))).orElse(null);
        Instant endsAt = Instant.ofEpochMilli(trial.endsAt());
        return new Summary(trial.trialId(),
                trial.dealId() != null ? trial.dealId() : context == null ? null : context.dealId(),
                trial.leadId() != null ? trial.leadId() : context == null ? null : context.leadId(),
                context == null ? null : context.company(), owner, trial.status().name(),
                trial.deployment() == null ? null : trial.deployment().name(),
                Instant.ofEpochMilli(trial.startsAt()), endsAt, Schedule.daysLeft(now, endsAt), next,
                context == null ? null : context.dealUrl());
    }

    static Detail detail(TrialState trial, TrialContext context, Instant now) {
        return new Detail(summary(trial, context, now), trial.lengthDays(), trial.origin(),
                trial.outcome() == null ? null : trial.outcome().name(), trial.closeReason(), kickoff(trial.kickoff()),
                trial.pending().stream().sorted(Comparator.comparingLong(TrialState.Pending::dueAt))
                        .map(p -> new NextReminder(p.kind().name(), Instant.ofEpochMilli(p.dueAt()))).toList(),
                trial.fired().stream().map(f -> new Reminder(f.reminderId(), f.kind().name(),
                        Instant.ofEpochMilli(f.dueAt()), Instant.ofEpochMilli(f.firedAt()), f.late())).toList(),
                trial.history().stream().map(h -> new Event(h.eventId(), h.type(), Instant.ofEpochMilli(h.occurredAt()),
                        Instant.ofEpochMilli(h.recordedAt()), h.detail(), h.outcome())).toList());
    }

    private static Kickoff kickoff(TrialState.Kickoff booked) {
        return booked == null ? null : new Kickoff("booked", Instant.ofEpochMilli(booked.startsAt()), booked.provider(),
                Instant.ofEpochMilli(booked.bookedAt()), booked.reminderId());
    }
}
