package io.leadflow.trials.timers;

import java.time.Duration;
import java.util.Objects;

/**
 * When the reminders of a trial fall due, relative to its start and end.
 *
 * @param kickoffAfterStart   the kick-off reminder, after the start (0 = at the start)
 * @param checkInEvery        a check-in every this long after the start, while the evaluation runs
 * @param reviewCallBeforeEnd the review call with the decision makers is due this long before the end
 * @param expiringBeforeEnd   the "ends soon" reminder, this long before the end
 */
public record ScheduleSettings(Duration kickoffAfterStart, Duration checkInEvery, Duration reviewCallBeforeEnd,
                               Duration expiringBeforeEnd) {

    public static final ScheduleSettings DEFAULTS =
            new ScheduleSettings(Duration.ZERO, Duration.ofDays(7), Duration.ofDays(7), Duration.ofDays(1));

    public ScheduleSettings {
        Objects.requireNonNull(kickoffAfterStart, "kickoffAfterStart");
        Objects.requireNonNull(reviewCallBeforeEnd, "reviewCallBeforeEnd");
        Objects.requireNonNull(expiringBeforeEnd, "expiringBeforeEnd");
        if (checkInEvery == null || checkInEvery.isNegative() || checkInEvery.isZero()) {
            throw new IllegalArgumentException("checkInEvery must be positive");
        }
        if (kickoffAfterStart.isNegative() || reviewCallBeforeEnd.isNegative() || expiringBeforeEnd.isNegative()) {
            throw new IllegalArgumentException("schedule offsets must not be negative");
        }
    }
}
