package io.leadflow.routing.decide;

/**
 * Whether a rep can take a lead now, and why not.
 *
 * @param assignedToday leads given to the rep today (rules' time zone)
 */
public record Availability(boolean available, String reason, long assignedToday) {
}
