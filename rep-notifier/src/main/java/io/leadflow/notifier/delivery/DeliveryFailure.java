package io.leadflow.notifier.delivery;

import io.leadflow.platform.kafka.DeadLetters;

/**
 * Why an alert was given up: {@link #error()} is Slack's error code (or {@code no_destination},
 * {@code unverifiable}), sent along to {@code rep.alerts.dlt} in the {@value #HEADER} header.
 */
class DeliveryFailure extends DeadLetters.PermanentFailure {

    /** Dead-letter header holding the Slack error code. */
    public static final String HEADER = "leadflow_slack_error";

    private final String error;

    public DeliveryFailure(String error, String message, Throwable cause) {
        super(message, cause);
        this.error = error;
    }

    public String error() {
        return error;
    }
}
