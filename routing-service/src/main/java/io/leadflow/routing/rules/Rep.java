package io.leadflow.routing.rules;

import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

/**
 * A rep from the rules file, or the fallback owner.
 *
 * @param weight      share of round-robin leads relative to the other members of a team; 0 takes none
 * @param dailyCap    most leads a day, counted in the rules' time zone; null for no cap
 * @param active      false for a rep who no longer takes leads (kept for their accounts' history)
 * @param outOfOffice periods during which the rep takes no new leads
 */
public record Rep(String id, String name, String email, String slackUserId, String hubspotOwnerId,
                  int weight, Integer dailyCap, boolean active, List<OutOfOffice> outOfOffice) {

    public Rep {
        outOfOffice = List.copyOf(outOfOffice);
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
