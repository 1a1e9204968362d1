package io.leadflow.trials.topology;

import io.leadflow.avro.ReminderKind;

import java.time.Duration;

/** What the topology reports as it runs (metrics); called on the stream thread, so it must be quick. */
public interface TrialObserver {

    TrialObserver NONE = new TrialObserver() {
    };

    /** A reminder was handed to the producer (inside the transaction, before it commits). */
    default void fired(ReminderKind kind, Duration lag, boolean late) {
    }

    /** A start was refused, e.g. the deal is not in the hands-on pipeline. */
    default void refused(String origin, String reason) {
    }

    /** An event was ignored: {@code duplicate}, {@code unknown-trial}, {@code closed}... */
    default void ignored(String type, String reason) {
    }

    /** The customer booked the kick-off: before its reminder fired ({@code beforeReminder}) or after. */
    default void kickoffBooked(boolean beforeReminder) {
    }

    /** The customer cancelled the booked kick-off: its reminder is due again. */
    default void kickoffCanceled() {
    }
}
