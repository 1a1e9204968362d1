package io.leadflow.trials.timers;

import io.leadflow.avro.ReminderKind;

import java.time.Instant;
import java.util.Comparator;

/** One reminder of a trial's schedule: what and when. Ordered by due time, then by kind. */
public record ScheduledReminder(ReminderKind kind, Instant dueAt) implements Comparable<ScheduledReminder> {

    private static final Comparator<ScheduledReminder> ORDER =
            Comparator.comparing(ScheduledReminder::dueAt).thenComparing(ScheduledReminder::kind);

    /** {@code trialId:kind:dueAt}: the same reminder of the same trial always has the same id. */
    public String reminderId(String trialId) {
        return Schedule.reminderId(trialId, kind, dueAt);
    }

    @Override
    public int compareTo(ScheduledReminder other) {
        return ORDER.compare(this, other);
    }
}
