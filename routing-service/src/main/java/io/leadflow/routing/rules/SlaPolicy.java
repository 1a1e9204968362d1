package io.leadflow.routing.rules;

import java.time.Duration;
import java.util.List;

/**
 * How fast a lead's owner must accept it, from the rules file's {@code sla:} section (first match wins).
 *
 * @param id               quoted in the decision API and in reassignment reasons
 * @param when             criteria over the lead and its decision (pipeline and plan are known); empty always matches
 * @param remindAfter      the owner is reminded when they have not accepted after this long; null for no reminder
 * @param reassignAfter    the lead goes to the next available rep when not accepted after this long; null to never reassign
 * @param escalateTo       Slack channel told of every reassignment and of the last breach; null for none
 * @param maxReassignments reassignments of one lead before it is escalated instead
 * @param workingHoursOnly count only the owner's working hours (their time zone, working hours and absences)
 * @param line             line of the policy in the rules file
 */
public record SlaPolicy(String id, List<Criterion> when, Duration remindAfter, Duration reassignAfter, String escalateTo,
                        int maxReassignments, boolean workingHoursOnly, int line) {

    public SlaPolicy {
        when = List.copyOf(when);
    }

    /** "15 minutes", "2 hours", "1 hour 30 minutes": as a reason says it. */
    public static String words(Duration duration) {
        long days = duration.toDays();
        long hours = duration.toHoursPart();
        long minutes = duration.toMinutesPart();
        long seconds = duration.toSecondsPart();
        StringBuilder sb = new StringBuilder();
        append(sb, days, "day");
        append(sb, hours, "hour");
        append(sb, minutes, "minute");
        append(sb, seconds, "second");
        return sb.isEmpty() ? "0 seconds" : sb.toString();
    }

    private static void append(StringBuilder sb, long amount, String unit) {
        if (amount > 0) {
            sb.append(sb.isEmpty() ? "" : " ").append(amount).append(' ').append(unit).append(amount == 1 ? "" : "s");
        }
    }
}
