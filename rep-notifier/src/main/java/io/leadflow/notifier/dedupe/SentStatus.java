package io.leadflow.notifier.dedupe;

/** The states of an alert in {@code rep.alerts.sent}. */
public enum SentStatus {
    /** About to be posted: after a crash, Slack must be asked whether it has the message before posting again. */
    PENDING,
    /** Slack accepted it; {@code slackTs} is the message. Never posted again. */
    SENT,
    /** Slack refused it for good; it went to {@code rep.alerts.dlt}. Never posted again. */
    FAILED,
    /**
     * Not an alert: what an erasure leaves of a person's lead (keyed {@code erased-lead:<leadId>}, the lead id and the
     * person's subject, no channel or message), so the lead's old alerts are known as theirs after a restart.
     */
    ERASED;

    public static SentStatus of(String status) {
        try {
            return status == null ? SENT : valueOf(status);
        } catch (IllegalArgumentException e) {
            return SENT; // an unknown newer status is treated as done rather than risking a second post
        }
    }

    public boolean isFinal() {
        return this != PENDING;
    }
}
