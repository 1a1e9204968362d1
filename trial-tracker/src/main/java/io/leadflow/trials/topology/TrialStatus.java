package io.leadflow.trials.topology;

/** Where a trial is in its life. */
public enum TrialStatus {
    /** The clock runs; reminders are pending. */
    ACTIVE,
    /** The end passed (the EXPIRED reminder fired) and nobody closed it yet; extending reopens it. */
    EXPIRED,
    /** Closed with an outcome; no reminder fires any more. */
    CLOSED
}
