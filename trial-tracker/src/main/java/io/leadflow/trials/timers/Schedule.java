package io.leadflow.trials.timers;

import io.leadflow.avro.ReminderKind;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The reminders of one evaluation, computed from its start and end: pure arithmetic, no clock.
 *
 * <ul>
 *   <li>{@code KICKOFF} at the start (plus {@code kickoffAfterStart}), to agree the plan;</li>
 *   <li>{@code CHECK_IN} every {@code checkInEvery} after the start, strictly before the "ends soon" reminder,
 *       dropped when it falls at the same instant as another reminder;</li>
 *   <li>{@code REVIEW_CALL_DUE} {@code reviewCallBeforeEnd} before the end;</li>
 *   <li>{@code EXPIRING} {@code expiringBeforeEnd} before the end;</li>
 *   <li>{@code EXPIRED} at the end.</li>
 * </ul>
 * Every due time is clamped into [start, end], so a short evaluation still gets every kind once.
 */
public final class Schedule {

    private static final Duration DAY = Duration.ofDays(1);

    private Schedule() {
    }

    public static List<ScheduledReminder> of(Instant startsAt, Instant endsAt, ScheduleSettings settings) {
        if (endsAt.isBefore(startsAt)) {
            throw new IllegalArgumentException("a trial cannot end (" + endsAt + ") before it starts (" + startsAt + ")");
        }
        List<ScheduledReminder> reminders = new ArrayList<>();
        Instant kickoff = clamp(startsAt.plus(settings.kickoffAfterStart()), startsAt, endsAt);
        Instant review = clamp(endsAt.minus(settings.reviewCallBeforeEnd()), startsAt, endsAt);
        Instant expiring = clamp(endsAt.minus(settings.expiringBeforeEnd()), startsAt, endsAt);
        reminders.add(new ScheduledReminder(ReminderKind.KICKOFF, kickoff));
        reminders.add(new ScheduledReminder(ReminderKind.REVIEW_CALL_DUE, review));
        reminders.add(new ScheduledReminder(ReminderKind.EXPIRING, expiring));
        reminders.add(new ScheduledReminder(ReminderKind.EXPIRED, endsAt));
        Set<Instant> taken = new HashSet<>(List.of(kickoff, review, expiring, endsAt));
        for (Instant checkIn = startsAt.plus(settings.checkInEvery()); checkIn.isBefore(expiring);
             checkIn = checkIn.plus(settings.checkInEvery())) {
            if (taken.add(checkIn)) {
                reminders.add(new ScheduledReminder(ReminderKind.CHECK_IN, checkIn));
            }
        }
        reminders.sort(null);
        return List.copyOf(reminders);
    }

    /** Whole days left until the end, rounded up, never negative: 30 at the start of a 30-day trial, 0 at its end. */
    public static int daysLeft(Instant now, Instant endsAt) {
        long millis = endsAt.toEpochMilli() - now.toEpochMilli();
        if (millis <= 0) {
            return 0;
        }
        return (int) Math.min(Integer.MAX_VALUE, (millis + DAY.toMillis() - 1) / DAY.toMillis());
    }

    /** {@code trialId:kind:dueAt} with the due time in ISO-8601 UTC. */
    public static String reminderId(String trialId, ReminderKind kind, Instant dueAt) {
        return trialId + ":" + kind.name() + ":" + dueAt;
    }

    private static Instant clamp(Instant value, Instant min, Instant max) {
        return value.isBefore(min) ? min : value.isAfter(max) ? max : value;
    }
}
