package io.leadflow.trials.timers;

import io.leadflow.avro.ReminderKind;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

class ScheduleTests {

    private static final Instant START = Instant.parse("2026-03-02T09:00:00Z");

    @Test
    void plansAThirtyDayEvaluationAsTheHandbookDoes() {
        List<ScheduledReminder> schedule = Schedule.of(START, START.plus(days(30)), ScheduleSettings.DEFAULTS);

        assertThat(schedule).extracting(ScheduledReminder::kind, ScheduledReminder::dueAt).containsExactly(
                tuple(ReminderKind.KICKOFF, START),
                tuple(ReminderKind.CHECK_IN, START.plus(days(7))),
                tuple(ReminderKind.CHECK_IN, START.plus(days(14))),
                tuple(ReminderKind.CHECK_IN, START.plus(days(21))),
                tuple(ReminderKind.REVIEW_CALL_DUE, START.plus(days(23))),
                tuple(ReminderKind.CHECK_IN, START.plus(days(28))),
                tuple(ReminderKind.EXPIRING, START.plus(days(29))),
                tuple(ReminderKind.EXPIRED, START.plus(days(30))));
    }

    @Test
    void dropsACheckInThatFallsOnAnotherReminderAndClampsAShortEvaluation() {
        List<ScheduledReminder> fourteen = Schedule.of(START, START.plus(days(14)), ScheduleSettings.DEFAULTS);
        List<ScheduledReminder> three = Schedule.of(START, START.plus(days(3)), ScheduleSettings.DEFAULTS);

        assertThat(fourteen).extracting(ScheduledReminder::kind, ScheduledReminder::dueAt).containsExactly(
                tuple(ReminderKind.KICKOFF, START),
                tuple(ReminderKind.REVIEW_CALL_DUE, START.plus(days(7))),
                tuple(ReminderKind.EXPIRING, START.plus(days(13))),
                tuple(ReminderKind.EXPIRED, START.plus(days(14))));
        assertThat(three).extracting(ScheduledReminder::kind, ScheduledReminder::dueAt).containsExactly(
                tuple(ReminderKind.KICKOFF, START),
                tuple(ReminderKind.REVIEW_CALL_DUE, START),
                tuple(ReminderKind.EXPIRING, START.plus(days(2))),
                tuple(ReminderKind.EXPIRED, START.plus(days(3))));
    }

    @Test
    void followsConfiguredOffsets() {
        ScheduleSettings settings = new ScheduleSettings(Duration.ofHours(2), days(10), days(5), Duration.ofHours(12));

        assertThat(Schedule.of(START, START.plus(days(30)), settings)).extracting(ScheduledReminder::kind,
                ScheduledReminder::dueAt).containsExactly(
                tuple(ReminderKind.KICKOFF, START.plusSeconds(7200)),
                tuple(ReminderKind.CHECK_IN, START.plus(days(10))),
                tuple(ReminderKind.CHECK_IN, START.plus(days(20))),
                tuple(ReminderKind.REVIEW_CALL_DUE, START.plus(days(25))),
                tuple(ReminderKind.EXPIRING, START.plus(days(30)).minusSeconds(43200)),
                tuple(ReminderKind.EXPIRED, START.plus(days(30))));
    }

    @Test
    void countsDaysLeftRoundedUpAndNeverBelowZero() {
        Instant end = START.plus(days(30));

        assertThat(Schedule.daysLeft(START, end)).isEqualTo(30);
        assertThat(Schedule.daysLeft(START.plus(days(29)).plusSeconds(1), end)).isEqualTo(1);
        assertThat(Schedule.daysLeft(end, end)).isZero();
        assertThat(Schedule.daysLeft(end.plus(days(2)), end)).isZero();
    }

    @Test
    void refusesAnEndBeforeTheStartAndANonPositiveCheckInInterval() {
        assertThatThrownBy(() -> Schedule.of(START, START.minusSeconds(1), ScheduleSettings.DEFAULTS))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ScheduleSettings(Duration.ZERO, Duration.ZERO, days(7), days(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void ordersDueKeysByDueTimeAsTheStoreOrdersBytes() {
        DueKey early = new DueKey(Instant.ofEpochMilli(999), "b-trial", ReminderKind.EXPIRED);
        DueKey later = new DueKey(Instant.ofEpochMilli(1000), "a-trial", ReminderKind.KICKOFF);

        assertThat(early.encode()).isLessThan(later.encode());
        assertThat(DueKey.decode(later.encode())).isEqualTo(later);
        assertThat(later.encode()).isLessThan(DueKey.upperBound(1000)).isGreaterThan(DueKey.upperBound(999));
        assertThat(Schedule.reminderId("t1", ReminderKind.REVIEW_CALL_DUE, START))
                .isEqualTo("t1:REVIEW_CALL_DUE:2026-03-02T09:00:00Z");
    }

    private static Duration days(int days) {
        return Duration.ofDays(days);
    }
}
