package io.leadflow.trials.topology;

import io.leadflow.avro.KickoffBooked;
import io.leadflow.avro.KickoffCanceled;
import io.leadflow.avro.ReminderKind;
import io.leadflow.avro.RepAlert;
import io.leadflow.avro.TrialClosed;
import io.leadflow.avro.TrialEvent;
import io.leadflow.avro.TrialExtended;
import io.leadflow.avro.TrialReminder;
import io.leadflow.avro.TrialStarted;
import io.leadflow.trials.timers.DueIndex;
import io.leadflow.trials.timers.DueKey;
import io.leadflow.trials.timers.Schedule;
import io.leadflow.trials.timers.ScheduledReminder;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The single writer of trial state. Applies {@code trials.events} to the {@code trials} store and keeps the
 * due-time index in step; a wall-clock punctuator fires what is due. Time is {@link ProcessorContext#currentSystemTimeMs()}
 * only, so {@code TopologyTestDriver.advanceWallClockTime} drives it in tests.
 *
 * <p>A firing reads the index row it scanned (whose value is the trial's {@link ReminderCard}) and the trial's
 * context, and writes only the deletion of that row and a {@link FiredReminders mark}; the trial's own row is folded
 * up to date by its next event. Thousands of reminders due at once thus cost no trial reads, rewrites or changelog
 * records of whole trials.
 *
 * <p>Exactly once: the index deletion, the mark, the reminder and the alert of one firing are written in the same
 * Kafka transaction ({@code exactly_once_v2}); a crash before the commit aborts all of them and the restored index
 * fires the reminder again, once.
 */
final class TrialProcessor implements Processor<String, TrialEvent, String, SpecificRecord> {

    private static final Logger log = LoggerFactory.getLogger(TrialProcessor.class);

    private final TrialSettings settings;
    private final TrialObserver observer;
    private ProcessorContext<String, SpecificRecord> context;
    private KeyValueStore<String, TrialState> trials;
    private KeyValueStore<String, List<TrialState.Fired>> fired;
    private TimestampedKeyValueStore<String, TrialContext> contexts;
    private DueIndex index;

    TrialProcessor(TrialSettings settings, TrialObserver observer) {
        this.settings = settings;
        this.observer = observer;
    }

    @Override
    public void init(ProcessorContext<String, SpecificRecord> context) {
        this.context = context;
        this.trials = context.getStateStore(TrialState.STORE);
        this.fired = context.getStateStore(FiredReminders.STORE);
        this.contexts = context.getStateStore(TrialContext.STORE);
        this.index = new DueIndex(context.getStateStore(DueIndex.STORE));
        context.schedule(settings.punctuationInterval(), PunctuationType.WALL_CLOCK_TIME, this::fireDue);
    }

    @Override
    public void process(Record<String, TrialEvent> record) {
        TrialEvent event = record.value();
        if (event == null) {
            return;
        }
        String trialId = event.getTrialId();
        if (record.key() != null && !record.key().equals(trialId)) {
            log.warn("Dropped trial event {}: key {} is not its trialId {}", event.getEventId(), record.key(), trialId);
            observer.ignored(type(event), "wrong-key");
            return;
        }
        long now = context.currentSystemTimeMs();
        TrialState trial = current(trialId);
        if (trial != null && trial.hasSeen(event.getEventId())) {
            observer.ignored(type(event), "duplicate");
            return;
        }
        Object payload = event.getPayload();
        if (payload instanceof TrialStarted started) {
            start(event, started, trial, now);
        } else if (payload instanceof TrialExtended extended) {
            extend(event, extended, trial, now);
        } else if (payload instanceof TrialClosed closed) {
            close(event, closed, trial, now);
        } else if (payload instanceof KickoffBooked booked) {
            kickoffBooked(event, booked, trial, now);
        } else if (payload instanceof KickoffCanceled canceled) {
            kickoffCanceled(event, canceled, trial, now);
        }
    }

    private void start(TrialEvent event, TrialStarted started, TrialState existing, long now) {
        if (existing != null) {
            trials.put(existing.trialId(), existing.recording(entry(event, now, "already started", "duplicate")));
            observer.ignored("started", "duplicate");
            log.info("Trial {} already started; start {} ignored", existing.trialId(), event.getEventId());
            return;
        }
        TrialContext known = contextOf(event.getTrialId());
        String refusal = settings.refusal(null, known);
        if (refusal != null) {
            observer.refused(started.getOrigin(), "not-hands-on");
            log.warn("Refused trial {} (deal {}, lead {}): {}", event.getTrialId(), started.getDealId(),
                    started.getLeadId(), refusal);
            return;
        }
        long startsAt = started.getStartsAt().toEpochMilli();
        long endsAt = Instant.ofEpochMilli(startsAt).plus(Duration.ofDays(started.getLengthDays())).toEpochMilli();
        String leadId = started.getLeadId() != null ? started.getLeadId() : known == null ? null : known.leadId();
        TrialState trial = new TrialState(event.getTrialId(), started.getDealId(), leadId, startsAt, endsAt,
                started.getLengthDays(), started.getDeployment(), started.getOrigin(), TrialStatus.ACTIVE, null, null,
                List.of(), List.of(), List.of(), null);
        trial = reschedule(trial, TrialStatus.ACTIVE, endsAt, now, true);
        trial = trial.recording(entry(event, now, started.getLengthDays() + " days from " + started.getStartsAt()
                + " (" + started.getDeployment() + ", " + started.getOrigin() + ")", "applied"));
        trials.put(trial.trialId(), trial);
        log.info("Trial {} started for deal {} / lead {}: {} days, ends {}, {} reminders pending", trial.trialId(),
                trial.dealId(), trial.leadId(), trial.lengthDays(), Instant.ofEpochMilli(endsAt), trial.pending().size());
    }

    private void extend(TrialEvent event, TrialExtended extended, TrialState trial, long now) {
        if (trial == null) {
            observer.ignored("extended", "unknown-trial");
            log.warn("Extension {} of unknown trial {} ignored", event.getEventId(), event.getTrialId());
            return;
        }
        if (trial.status() == TrialStatus.CLOSED) {
            trials.put(trial.trialId(), trial.recording(entry(event, now, "trial already closed", "closed")));
            observer.ignored("extended", "closed");
            return;
        }
        long endsAt = Instant.ofEpochMilli(trial.endsAt()).plus(Duration.ofDays(extended.getDays())).toEpochMilli();
        TrialState next = reschedule(trial, TrialStatus.ACTIVE, endsAt, now, false);
        next = next.recording(entry(event, now, "+" + extended.getDays() + " days (" + extended.getReason()
                + "), now ends " + Instant.ofEpochMilli(endsAt), "applied"));
        trials.put(next.trialId(), next);
        log.info("Trial {} extended by {} days to {}", trial.trialId(), extended.getDays(), Instant.ofEpochMilli(endsAt));
    }

    private void close(TrialEvent event, TrialClosed closed, TrialState trial, long now) {
        if (trial == null) {
            observer.ignored("closed", "unknown-trial");
            log.warn("Closing {} of unknown trial {} ignored", event.getEventId(), event.getTrialId());
            return;
        }
        if (trial.status() == TrialStatus.CLOSED) {
            trials.put(trial.trialId(), trial.recording(entry(event, now, "trial already closed", "closed")));
            observer.ignored("closed", "closed");
            return;
        }
        for (TrialState.Pending pending : trial.pending()) {
            index.remove(new DueKey(Instant.ofEpochMilli(pending.dueAt()), trial.trialId(), pending.kind()));
        }
        TrialState next = trial.closed(closed.getOutcome(), closed.getReason())
                .recording(entry(event, now, closed.getOutcome() + (closed.getReason() == null ? "" : " (" + closed.getReason() + ")"), "applied"));
        trials.put(next.trialId(), next);
        log.info("Trial {} closed as {}; {} pending reminders cancelled", trial.trialId(), closed.getOutcome(),
                trial.pending().size());
    }

    /**
     * The customer booked a call on the trial's deal: the kick-off is booked. A booking that arrived before the trial
     * started (the demo that opened the deal, say) is not its kick-off, nor is one on a trial no longer running or whose
     * kick-off is already booked. While the kick-off reminder waits it is taken off the index and never fires; once it
     * has fired, the reminder is repeated with {@code completedAt} (crm-sync completes its task) and the owner's alert
     * is updated to say the kick-off is booked.
     */
    private void kickoffBooked(TrialEvent event, KickoffBooked booked, TrialState trial, long now) {
        String when = booked.getStartsAt().toString();
        if (trial == null) {
            observer.ignored("kickoff-booked", "unknown-trial");
            log.debug("Booking {} is on a deal without a trial ({}); not a kick-off", booked.getBookingLeadId(), event.getTrialId());
            return;
        }
        String reason = trial.status() != TrialStatus.ACTIVE ? "not-running"
                : event.getOccurredAt().toEpochMilli() < startedAt(trial) ? "before-trial"
                : trial.kickoff() != null ? "already-booked" : null;
        if (reason != null) {
            String refusal = switch (reason) {
                case "not-running" -> "the trial is not running";
                case "before-trial" -> "booked before the trial started";
                default -> "kick-off already booked for " + Instant.ofEpochMilli(trial.kickoff().startsAt());
            };
            trials.put(trial.trialId(), trial.recording(entry(event, now, refusal, reason)));
            observer.ignored("kickoff-booked", reason);
            log.info("Booking {} on trial {} is not its kick-off: {}", booked.getBookingLeadId(), trial.trialId(), refusal);
            return;
        }
        TrialState.Pending waiting = trial.pending().stream().filter(p -> p.kind() == ReminderKind.KICKOFF).findFirst().orElse(null);
        // the last one: after a cancelled kick-off its reminder fires again
        TrialState.Fired done = trial.fired().stream().filter(f -> f.kind() == ReminderKind.KICKOFF).reduce((a, b) -> b).orElse(null);
        List<TrialState.Pending> pending = trial.pending();
        String detail;
        if (waiting != null) {
            index.remove(new DueKey(Instant.ofEpochMilli(waiting.dueAt()), trial.trialId(), ReminderKind.KICKOFF));
            pending = new ArrayList<>(pending);
            pending.remove(waiting);
            detail = "kick-off booked for " + when + "; its reminder will not fire";
        } else if (done != null) {
            completeFired(trial, done, booked, now);
            detail = "kick-off booked for " + when + "; reminder " + done.reminderId() + " completed";
        } else {
            detail = "kick-off booked for " + when;
        }
        TrialState next = trial.booked(new TrialState.Kickoff(booked.getBookingLeadId(), booked.getProvider(),
                        booked.getStartsAt().toEpochMilli(), now, waiting == null && done != null ? done.reminderId() : null), pending)
                .recording(entry(event, now, detail, "applied"));
        trials.put(next.trialId(), next);
        observer.kickoffBooked(waiting != null);
        log.info("Trial {}: {}", trial.trialId(), detail);
    }

    /**
     * The customer cancelled the booking that was the trial's kick-off: the kick-off is not booked any more. A reminder
     * the booking kept from firing waits again for its scheduled time (due at once when that has passed); one that had
     * fired and was completed by the booking fires again now, as a new reminder (a new task for the owner, a new alert),
     * since the kick-off is to be booked anew. A cancellation of any other booking changes nothing.
     */
    private void kickoffCanceled(TrialEvent event, KickoffCanceled canceled, TrialState trial, long now) {
        if (trial == null) {
            observer.ignored("kickoff-canceled", "unknown-trial");
            return;
        }
        TrialState.Kickoff kickoff = trial.kickoff();
        String reason = kickoff == null || !kickoff.bookingLeadId().equals(canceled.getBookingLeadId()) ? "not-the-kickoff"
                : trial.status() != TrialStatus.ACTIVE ? "not-running" : null;
        if (reason != null) {
            String refusal = reason.equals("not-running") ? "the trial is not running" : "the cancelled booking was not the kick-off";
            trials.put(trial.trialId(), trial.recording(entry(event, now, refusal, reason)));
            observer.ignored("kickoff-canceled", reason);
            log.info("Cancelled booking {} on trial {} changes nothing: {}", canceled.getBookingLeadId(), trial.trialId(), refusal);
            return;
        }
        long dueAt = kickoff.reminderId() != null ? now : Math.max(now, scheduledKickoff(trial));
        TrialState.Pending again = new TrialState.Pending(ReminderKind.KICKOFF, dueAt);
        List<TrialState.Pending> pending = new ArrayList<>(trial.pending());
        pending.add(again);
        index.add(new DueKey(Instant.ofEpochMilli(dueAt), trial.trialId(), ReminderKind.KICKOFF),
                new ReminderCard(trial.dealId(), trial.leadId(), trial.endsAt(), trial.deployment()).encode());
        String detail = "kick-off of " + Instant.ofEpochMilli(kickoff.startsAt()) + " cancelled; its reminder is due "
                + (dueAt == now ? "now" : "at " + Instant.ofEpochMilli(dueAt));
        TrialState next = trial.booked(null, pending).recording(entry(event, now, detail, "applied"));
        trials.put(next.trialId(), next);
        observer.kickoffCanceled();
        log.info("Trial {}: {}", trial.trialId(), detail);
    }

    /** When the trial's schedule puts its kick-off reminder. */
    private long scheduledKickoff(TrialState trial) {
        return Schedule.of(Instant.ofEpochMilli(trial.startsAt()), Instant.ofEpochMilli(trial.endsAt()), settings.schedule()).stream()
                .filter(r -> r.kind() == ReminderKind.KICKOFF).mapToLong(r -> r.dueAt().toEpochMilli()).findFirst()
                .orElse(trial.startsAt());
    }

    /**
     * The fired kick-off reminder again, completed, for crm-sync to complete its task, and an update of its alert for
     * the owner: "Kick-off booked for ...".
     */
    private void completeFired(TrialState trial, TrialState.Fired done, KickoffBooked booked, long now) {
        TrialContext known = contextOf(trial.trialId());
        TrialReminder reminder = ReminderContent.reminder(trial.trialId(), ReminderCard.of(trial), known, ReminderKind.KICKOFF,
                Instant.ofEpochMilli(done.dueAt()), Instant.ofEpochMilli(done.firedAt()), done.late(), settings.wording());
        reminder.setCompletedAt(Instant.ofEpochMilli(now));
        context.forward(new Record<>(trial.trialId(), reminder, now));
        RepAlert alert = ReminderContent.kickoffBookedAlert(reminder, booked.getStartsAt(), settings.unownedChannel());
        if (alert != null) {
            context.forward(new Record<>(alert.getRepId(), alert, now));
        }
    }

    /** When the trial was started: the first event it recorded (its start), else its clock's start. */
    private static long startedAt(TrialState trial) {
        return trial.history().isEmpty() ? trial.startsAt() : trial.history().get(0).occurredAt();
    }

    /**
     * Replaces the pending reminders by the schedule for [start, endsAt]: reminders that already fired stay fired,
     * reminders that were pending stay pending (moved when their due time moved), and a reminder new to the schedule
     * that is already overdue by more than {@code lateAfter} is skipped, except the kick-off of a new trial.
     */
    private TrialState reschedule(TrialState trial, TrialStatus status, long endsAt, long now, boolean starting) {
        for (TrialState.Pending pending : trial.pending()) {
            index.remove(new DueKey(Instant.ofEpochMilli(pending.dueAt()), trial.trialId(), pending.kind()));
        }
        Set<String> done = new HashSet<>();
        trial.fired().forEach(f -> done.add(f.reminderId()));
        Set<TrialState.Pending> wasPending = new HashSet<>(trial.pending());
        long skipBefore = now - settings.lateAfter().toMillis();
        String card = new ReminderCard(trial.dealId(), trial.leadId(), endsAt, trial.deployment()).encode();
        List<TrialState.Pending> pending = new ArrayList<>();
        for (ScheduledReminder reminder : Schedule.of(Instant.ofEpochMilli(trial.startsAt()), Instant.ofEpochMilli(endsAt),
                settings.schedule())) {
            TrialState.Pending candidate = new TrialState.Pending(reminder.kind(), reminder.dueAt().toEpochMilli());
            boolean keep = !done.contains(reminder.reminderId(trial.trialId()))
                    && (wasPending.contains(candidate) || candidate.dueAt() >= skipBefore
                    || (starting && reminder.kind() == ReminderKind.KICKOFF));
            if (keep) {
                pending.add(candidate);
                index.add(new DueKey(reminder.dueAt(), trial.trialId(), reminder.kind()), card);
            }
        }
        return trial.with(status, endsAt, pending);
    }

    /** The punctuator: fires every reminder due at {@code timestamp} (wall-clock), oldest first. */
    void fireDue(long timestamp) {
        Instant now = Instant.ofEpochMilli(timestamp);
        for (DueIndex.Due due : index.due(now, settings.maxFiresPerTick())) {
            DueKey key = due.key();
            String trialId = key.trialId();
            index.remove(key);
            ReminderCard card = ReminderCard.decode(due.value());
            if (card == null) {
                card = cardOfPending(key);
            }
            if (card == null) {
                log.warn("Dropped stale timer {} (trial {} no longer waits for it)", key.encode(), trialId);
                continue;
            }
            Duration lag = Duration.between(key.dueAt(), now);
            boolean late = lag.compareTo(settings.lateAfter()) > 0;
            TrialContext known = contextOf(trialId);
            TrialReminder reminder = ReminderContent.reminder(trialId, card, known, key.kind(), key.dueAt(), now, late,
                    settings.wording());
            context.forward(new Record<>(trialId, reminder, timestamp));
            RepAlert alert = ReminderContent.alert(reminder, card.deployment(), settings.unownedChannel(), settings.wording());
            if (alert != null) {
                context.forward(new Record<>(alert.getRepId(), alert, timestamp));
            }
            mark(trialId, new TrialState.Fired(reminder.getReminderId(), key.kind(), key.dueAt().toEpochMilli(),
                    timestamp, late));
            observer.fired(key.kind(), lag, late);
            if (late) {
                log.info("Fired {} late by {}", reminder.getReminderId(), lag);
            }
        }
    }

    private void mark(String trialId, TrialState.Fired mark) {
        List<TrialState.Fired> marks = fired.get(trialId);
        List<TrialState.Fired> next = new ArrayList<>(marks == null ? 1 : marks.size() + 1);
        if (marks != null) {
            next.addAll(marks);
        }
        next.add(mark);
        fired.put(trialId, next);
    }

    /**
     * The trial with the reminders fired since its last event folded in, written back and their marks cleared, so
     * that the event applies to (and rewrites) the whole trial; null when there is no such trial.
     */
    private TrialState current(String trialId) {
        TrialState trial = trials.get(trialId);
        List<TrialState.Fired> marks = trial == null ? null : fired.get(trialId);
        if (marks == null) {
            return trial;
        }
        TrialState folded = trial.folding(marks);
        trials.put(trialId, folded);
        fired.delete(trialId);
        return folded;
    }

    /**
     * The card of a reminder whose index row holds only its kind (written before rows carried cards), from the trial
     * itself; null when the trial no longer waits for it.
     */
    private ReminderCard cardOfPending(DueKey key) {
        TrialState trial = FiredReminders.read(trials, fired, key.trialId());
        TrialState.Pending pending = new TrialState.Pending(key.kind(), key.dueAt().toEpochMilli());
        return trial == null || !trial.pending().contains(pending) ? null : ReminderCard.of(trial);
    }

    private TrialContext contextOf(String trialId) {
        ValueAndTimestamp<TrialContext> known = contexts.get(trialId);
        return known == null ? null : known.value();
    }

    private static TrialState.HistoryEntry entry(TrialEvent event, long now, String detail, String outcome) {
        return new TrialState.HistoryEntry(event.getEventId(), type(event), event.getOccurredAt().toEpochMilli(), now,
                detail, outcome);
    }

    private static String type(TrialEvent event) {
        Object payload = event.getPayload();
        return payload instanceof TrialStarted ? "started" : payload instanceof TrialExtended ? "extended"
                : payload instanceof TrialClosed ? "closed" : payload instanceof KickoffBooked ? "kickoff-booked"
                : payload instanceof KickoffCanceled ? "kickoff-canceled" : "unknown";
    }
}
