package io.leadflow.intake.system;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/**
 * Reads a provider's ISO-8601 timestamp, with a 400 naming the field when it is not one or lies outside the years a
 * booking or a form submission can have: an instant such as {@code +1000000000-01-01T00:00:00Z} parses, but cannot be
 * recorded (Avro's timestamp-millis overflows) and no provider sends it, so it is bad input, not a reason to retry.
 */
public final class Timestamps {

    /** The range accepted: from 1 January 2000 to the end of 2199, UTC. */
    public static final Instant EARLIEST = Instant.parse("2000-01-01T00:00:00Z");
    public static final Instant LATEST = Instant.parse("2199-12-31T23:59:59.999Z");

    private static final int MAX_LENGTH = 64;

    private Timestamps() {
    }

    /** The instant a text gives; null for null or blank. */
    public static Instant parse(String text, String field) {
        if (text == null || text.isBlank()) {
            return null;
        }
        String s = text.trim();
        if (s.length() > MAX_LENGTH) {
            throw RejectedRequest.invalid(field, "must be an ISO-8601 timestamp such as 2026-01-05T14:03:00Z");
        }
        Instant instant;
        try {
            instant = Instant.parse(s);
        } catch (DateTimeParseException e) {
            try {
                instant = OffsetDateTime.parse(s).toInstant();
            } catch (DateTimeParseException again) {
                throw RejectedRequest.invalid(field, "must be an ISO-8601 timestamp such as 2026-01-05T14:03:00Z");
            }
        }
        if (instant.isBefore(EARLIEST) || instant.isAfter(LATEST)) {
            throw RejectedRequest.invalid(field, "must lie between the years 2000 and 2199");
        }
        return instant;
    }
}
