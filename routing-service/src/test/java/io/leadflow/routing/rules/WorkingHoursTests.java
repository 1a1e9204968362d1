package io.leadflow.routing.rules;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WorkingHoursTests {

    private static final WorkingHours OFFICE = WorkingHours.parse("09:00-17:30 Mon-Fri");
    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

    @Test
    void workingTimeInsideTheWindowIsWallTime() {
        Instant tuesday10am = Instant.parse("2026-01-06T15:00:00Z"); // 10:00 in New York

        assertThat(OFFICE.plusWorkingTime(tuesday10am, Duration.ofMinutes(15), NEW_YORK, List.of()))
                .isEqualTo(Instant.parse("2026-01-06T15:15:00Z"));
    }

    @Test
    void timeAfterClosingAndAtTheWeekendDoesNotCountInTheRepsOwnZone() {
        Instant friday1720 = Instant.parse("2026-01-09T22:20:00Z"); // 17:20 in New York, 10 minutes before closing

        Instant due = OFFICE.plusWorkingTime(friday1720, Duration.ofMinutes(15), NEW_YORK, List.of());

        assertThat(due).as("10 minutes on Friday, 5 on Monday from 09:00").isEqualTo(Instant.parse("2026-01-12T14:05:00Z"));
        assertThat(OFFICE.workingTimeBetween(friday1720, due, NEW_YORK, List.of())).isEqualTo(Duration.ofMinutes(15));
    }

    @Test
    void daysOutOfOfficeDoNotCount() {
        Instant monday8am = Instant.parse("2026-01-12T13:00:00Z");
        List<Rep.OutOfOffice> away = List.of(new Rep.OutOfOffice(LocalDate.parse("2026-01-12"), LocalDate.parse("2026-01-13"), "offsite"));

        assertThat(OFFICE.plusWorkingTime(monday8am, Duration.ofMinutes(30), NEW_YORK, away))
                .isEqualTo(Instant.parse("2026-01-14T14:30:00Z"));
    }

    @Test
    void readsDayListsAndRejectsWhatItCannotRead() {
        assertThat(WorkingHours.parse("08:00-12:00 Mon,wed,FRI").days()).hasSize(3);
        assertThat(WorkingHours.parse("22:00-23:00 Sat-Mon").days()).hasSize(3);
        assertThatThrownBy(() -> WorkingHours.parse("9-5")).hasMessageContaining("must be like");
        assertThatThrownBy(() -> WorkingHours.parse("09:00-17:00 Mon-Fryday")).hasMessageContaining("unknown day 'Fryday'");
        assertThatThrownBy(() -> WorkingHours.parse("9:00-17:00 Mon")).hasMessageContaining("times must be HH:mm");
    }
}
