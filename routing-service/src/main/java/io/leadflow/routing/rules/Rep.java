package io.leadflow.routing.rules;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;

/**
 * A rep from the rules file, or the fallback owner.
 *
 * @param bookingUrl  absolute https link to the rep's booking page (Calendly, Cal.com, ...); null when they have none
 * @param weight      share of round-robin leads relative to the other members of a team; 0 takes none
 * @param dailyCap    most leads a day, counted in the rules' time zone; null for no cap
 * @param active      false for a rep who no longer takes leads (kept for their accounts' history)
 * @param outOfOffice periods during which the rep takes no new leads
 * @param timeZone    the rep's own time zone, for working hours (the rules' time zone when the file names none)
 * @param workingHours when the rep works; null for around the clock
 */
public record Rep(String id, String name, String email, String slackUserId, String hubspotOwnerId, String bookingUrl,
                  int weight, Integer dailyCap, boolean active, List<OutOfOffice> outOfOffice, ZoneId timeZone,
                  WorkingHours workingHours) {

    public Rep {
        outOfOffice = List.copyOf(outOfOffice);
    }

    /**
     * When {@code amount} has passed since {@code start}: counting only this rep's working time when {@code workingTimeOnly}
     * and the rep has working hours, else all time. Null when the rep does not work again within a year.
     */
    public Instant plus(Instant start, Duration amount, boolean workingTimeOnly) {
        return workingTimeOnly && workingHours != null ? workingHours.plusWorkingTime(start, amount, timeZone, outOfOffice) : start.plus(amount);
    }

    /** Time counted between two instants, as {@link #plus} counts it. */
    public Duration between(Instant start, Instant end, boolean workingTimeOnly) {
        if (workingTimeOnly && workingHours != null) {
            return workingHours.workingTimeBetween(start, end, timeZone, outOfOffice);
        }
        Duration all = Duration.between(start, end);
        return all.isNegative() ? Duration.ZERO : all;
    }

    /** The absence covering {@code day}, if any. */
    public Optional<OutOfOffice> absentOn(LocalDate day) {
        return outOfOffice.stream().filter(period -> period.covers(day)).findFirst();
    }

    /**
     * An absence, inclusive at both ends, in the rules' time zone.
     *
     * @param note shown in the API (e.g. "holiday"); may be null
     */
    public record OutOfOffice(LocalDate from, LocalDate to, String note) {

        public boolean covers(LocalDate day) {
            return !day.isBefore(from) && !day.isAfter(to);
        }
    }
}
