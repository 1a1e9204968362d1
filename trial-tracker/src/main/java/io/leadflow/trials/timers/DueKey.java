package io.leadflow.trials.timers;

import io.leadflow.avro.ReminderKind;

import java.time.Instant;

/**
 * Key of the due-time index: the due time as a fixed-width decimal, then the trial id and the kind, so the store's
 * byte order (UTF-8 of ASCII digits) is due-time order and a scan from the start stops at the first reminder not yet
 * due.
 */
public record DueKey(Instant dueAt, String trialId, ReminderKind kind) {

    private static final char SEPARATOR = '|';
    private static final int WIDTH = 15;

    public String encode() {
        return digits(dueAt.toEpochMilli()) + SEPARATOR + trialId + SEPARATOR + kind.name();
    }

    /** The smallest possible key. */
    static String lowest() {
        return digits(0);
    }

    /** A bound above every key due at or before {@code millis} and below every key due later. */
    static String upperBound(long millis) {
        return digits(millis) + (char) (SEPARATOR + 1);
    }

    private static String digits(long millis) {
        if (millis < 0) {
            throw new IllegalArgumentException("due time before 1970: " + Instant.ofEpochMilli(millis));
        }
        String digits = Long.toString(millis);
        return "0".repeat(Math.max(0, WIDTH - digits.length())) + digits;
    }

    public static DueKey decode(String key) {
        int first = key.indexOf(SEPARATOR);
        int last = key.lastIndexOf(SEPARATOR);
        if (first < 0 || last <= first) {
            throw new IllegalArgumentException("not a due-index key: " + key);
        }
        return new DueKey(Instant.ofEpochMilli(Long.parseLong(key.substring(0, first))),
                key.substring(first + 1, last), ReminderKind.valueOf(key.substring(last + 1)));
    }

    /** Whether this key is due at {@code now}, read from the encoded key without decoding it. */
    public static boolean isDue(String encoded, long now) {
        return Long.parseLong(encoded.substring(0, encoded.indexOf(SEPARATOR))) <= now;
    }
}
