package io.leadflow.notifier.slack;

import java.util.Set;

/** What a failed Slack call means for the alert behind it. */
public enum SlackErrorClass {

    /** 429 or {@code ratelimited}: the message was not posted; wait {@code Retry-After} on that channel. */
    RATE_LIMITED,
    /** Slack said it did not post ({@code service_unavailable}...): try again after a back-off. */
    RETRYABLE,
    /**
     * The call may or may not have taken effect ({@code internal_error}, a 5xx, a timeout): try again, but look for
     * the message in the channel's history before posting it a second time.
     */
    UNCERTAIN,
    /** Retrying cannot help ({@code channel_not_found}, {@code invalid_auth}, {@code invalid_blocks}...). */
    PERMANENT;

    private static final Set<String> RATE_LIMITED_ERRORS = Set.of("ratelimited", "rate_limited");
    private static final Set<String> RETRYABLE_ERRORS = Set.of("service_unavailable", "request_timeout", "team_added_to_org");
    private static final Set<String> UNCERTAIN_ERRORS = Set.of("internal_error", "fatal_error");

    /** Classifies a Slack {@code error} code from an {@code "ok": false} answer; unknown codes are permanent. */
    public static SlackErrorClass of(String error) {
        if (error == null) {
            return PERMANENT;
        }
        if (RATE_LIMITED_ERRORS.contains(error)) {
            return RATE_LIMITED;
        }
        if (RETRYABLE_ERRORS.contains(error)) {
            return RETRYABLE;
        }
        if (UNCERTAIN_ERRORS.contains(error)) {
            return UNCERTAIN;
        }
        return PERMANENT;
    }
}
