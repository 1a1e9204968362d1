package io.leadflow.routing.rules;

import java.time.Duration;

/**
 * A CRM task the rules give the owner of a routed lead, as written in the rules' {@code tasks:} section; its subject
 * and body may quote {@link RulesLoader#TASK_PLACEHOLDERS}, filled from the lead when it is routed.
 *
 * @param id       unique within its section; the CRM task's key is made from it
 * @param dueAfter how long after routing it is due (zero: at once), or null when it is due when the booked demo starts
 * @param line     where it is written, for messages
 */
public record TaskRule(String id, String subject, String body, Type type, Priority priority, Duration dueAfter, int line) {

    /** HubSpot's task types. */
    public enum Type { CALL, EMAIL, TODO }

    /** HubSpot's task priorities. */
    public enum Priority { LOW, MEDIUM, HIGH }

    public boolean dueAtDemoStart() {
        return dueAfter == null;
    }
}
