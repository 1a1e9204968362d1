package io.leadflow.trials.topology;

import io.leadflow.avro.Deployment;
import io.leadflow.avro.TrialReminder;
import io.leadflow.trials.timers.Schedule;
import io.leadflow.trials.timers.ScheduleSettings;
import io.leadflow.trials.timers.ScheduledReminder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class TenThousandTrialsTests {

    private static final Instant CLOCK = Instant.parse("2026-01-01T00:00:00Z");
    private static final int TRIALS = 10_000;

    @TempDir
    Path stateDir;

    @Test
    void firesEveryReminderOfTenThousandTrialsExactlyOnceInDueOrderWithoutLag() {
        Random random = new Random(20260101L);
        List<String> expectedIds = new ArrayList<>();
        TreeSet<Instant> dueTimes = new TreeSet<>();
        try (Driver driver = Driver.inMemory(stateDir, CLOCK)) {
            for (int i = 0; i < TRIALS; i++) {
                String dealId = "deal-" + i;
                Instant startsAt = CLOCK.plusSeconds(1 + random.nextInt((int) Duration.ofDays(30).toSeconds()));
                driver.send(Fixtures.started(dealId, startsAt, Deployment.CLOUD));
                for (ScheduledReminder reminder : Schedule.of(startsAt, startsAt.plus(Duration.ofDays(30)), ScheduleSettings.DEFAULTS)) {
                    expectedIds.add(reminder.reminderId(TrialIds.forDeal(dealId)));
                    dueTimes.add(reminder.dueAt());
                }
            }

            for (Instant due : dueTimes) {
                driver.advanceTo(due);
            }

            List<TrialReminder> fired = driver.reminders.readValuesToList();
            assertThat(fired).hasSize(expectedIds.size());
            Set<String> firedIds = fired.stream().map(TrialReminder::getReminderId).collect(Collectors.toSet());
            assertThat(firedIds).hasSize(fired.size()).isEqualTo(Set.copyOf(expectedIds));
            assertThat(fired).extracting(TrialReminder::getDueAt).isSorted();
            assertThat(fired).allSatisfy(reminder -> {
                assertThat(reminder.getFiredAt()).isEqualTo(reminder.getDueAt());
                assertThat(reminder.getLate()).isFalse();
            });
            assertThat(driver.pendingTimers()).isZero();
        }
    }
}
