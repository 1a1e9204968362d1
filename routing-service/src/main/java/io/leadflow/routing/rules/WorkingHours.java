package io.leadflow.routing.rules;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * When a rep works, in their own time zone: one daily window on some weekdays, e.g. {@code 09:00-17:30 Mon-Fri}
 * (or {@code 08:00-16:00 Mon,Tue,Thu}). SLA clocks with {@code workingHoursOnly} count only this time.
 *
 * @param from  start of the window (inclusive)
 * @param to    end of the window (exclusive), after {@code from}
 * @param days  the weekdays the window applies on
 */
public record WorkingHours(LocalTime from, LocalTime to, Set<DayOfWeek> days) {

    /** Days looked ahead for the next working minute before giving up (a rep always out of office never works). */
    private static final int HORIZON_DAYS = 400;

    public WorkingHours {
        days = Set.copyOf(days);
    }

    /** Reads {@code HH:mm-HH:mm Ddd-Ddd} or {@code HH:mm-HH:mm Ddd,Ddd,...}; throws IllegalArgumentException saying what is wrong. */
    public static WorkingHours parse(String text) {
        String[] parts = text.trim().split(" +");
        if (parts.length != 2) {
            throw new IllegalArgumentException("must be like \"09:00-17:30 Mon-Fri\", was '" + text + "'");
        }
        String[] times = parts[0].split("-");
        if (times.length != 2) {
            throw new IllegalArgumentException("must start with a time range like 09:00-17:30, was '" + parts[0] + "'");
        }
        LocalTime from = time(times[0]);
        LocalTime to = time(times[1]);
        if (!to.isAfter(from)) {
            throw new IllegalArgumentException("ends (" + to + ") before it starts (" + from + ")");
        }
        Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
        for (String item : parts[1].split(",")) {
            String[] range = item.split("-");
            if (range.length == 1) {
                days.add(day(range[0]));
            } else if (range.length == 2) {
                DayOfWeek first = day(range[0]);
                DayOfWeek last = day(range[1]);
                for (DayOfWeek d = first; ; d = d.plus(1)) {
                    days.add(d);
                    if (d == last) {
                        break;
                    }
                }
            } else {
                throw new IllegalArgumentException("days must be like Mon-Fri or Mon,Wed,Fri, was '" + parts[1] + "'");
            }
        }
        return new WorkingHours(from, to, days);
    }

    private static LocalTime time(String text) {
        if (text.length() != 5 || text.charAt(2) != ':') {
            throw new IllegalArgumentException("times must be HH:mm, was '" + text + "'");
        }
        try {
            return LocalTime.of(Integer.parseInt(text.substring(0, 2)), Integer.parseInt(text.substring(3)));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("times must be HH:mm, was '" + text + "'");
        }
    }

    private static DayOfWeek day(String text) {
        for (DayOfWeek d : DayOfWeek.values()) {
            if (d.name().substring(0, 3).equalsIgnoreCase(text)) {
                return d;
            }
        }
        throw new IllegalArgumentException("unknown day '" + text + "', expected one of Mon Tue Wed Thu Fri Sat Sun");
    }

    @Override
    public String toString() {
        List<String> names = days.stream().sorted().map(d -> d.name().charAt(0) + d.name().substring(1, 3).toLowerCase(Locale.ROOT)).toList();
        return from + "-" + to + " " + String.join(",", names);
    }

    /**
     * The instant at which {@code amount} of working time has passed since {@code start}: time inside the windows
     * counts, days out of office do not. Null when the rep does not work again within the horizon.
     */
    public Instant plusWorkingTime(Instant start, Duration amount, ZoneId zone, List<Rep.OutOfOffice> absences) {
        Duration left = amount;
        ZonedDateTime at = start.atZone(zone);
        for (int i = 0; i < HORIZON_DAYS; i++) {
            LocalDate date = at.toLocalDate();
            if (works(date, absences)) {
                ZonedDateTime opens = date.atTime(from).atZone(zone);
                ZonedDateTime closes = date.atTime(to).atZone(zone);
                ZonedDateTime begin = at.isAfter(opens) ? at : opens;
                if (begin.isBefore(closes)) {
                    Duration window = Duration.between(begin, closes);
                    if (window.compareTo(left) >= 0) {
                        return begin.plus(left).toInstant();
                    }
                    left = left.minus(window);
                }
            }
            at = date.plusDays(1).atStartOfDay(zone);
        }
        return null;
    }

    /** Working time between two instants ({@code zero} when {@code end} is not after {@code start}). */
    public Duration workingTimeBetween(Instant start, Instant end, ZoneId zone, List<Rep.OutOfOffice> absences) {
        Duration total = Duration.ZERO;
        ZonedDateTime at = start.atZone(zone);
        ZonedDateTime until = end.atZone(zone);
        for (int i = 0; i < HORIZON_DAYS && at.isBefore(until); i++) {
            LocalDate date = at.toLocalDate();
            if (works(date, absences)) {
                ZonedDateTime opens = date.atTime(from).atZone(zone);
                ZonedDateTime closes = date.atTime(to).atZone(zone);
                ZonedDateTime begin = at.isAfter(opens) ? at : opens;
                ZonedDateTime finish = until.isBefore(closes) ? until : closes;
                if (begin.isBefore(finish)) {
                    total = total.plus(Duration.between(begin, finish));
                }
            }
            at = date.plusDays(1).atStartOfDay(zone);
        }
        return total;
    }

    private boolean works(LocalDate date, List<Rep.OutOfOffice> absences) {
        if (!days.contains(date.getDayOfWeek())) {
            return false;
        }
        for (Rep.OutOfOffice absence : absences) {
            if (absence.covers(date)) {
                return false;
            }
        }
        return true;
    }
}
