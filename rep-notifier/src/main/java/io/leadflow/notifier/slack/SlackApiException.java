package io.leadflow.notifier.slack;

import java.time.Duration;
import java.util.Optional;

/**
 * A Slack Web API call that did not succeed: HTTP 200 with {@code "ok": false}, a 429, a 5xx or no answer at all.
 * {@link #error()} is Slack's error code ({@code channel_not_found}, {@code ratelimited}...) or one of ours
 * ({@code http_503}, {@code io_error}).
 */
public class SlackApiException extends RuntimeException {

    private final String method;
    private final String error;
    private final SlackErrorClass errorClass;
    private final Duration retryAfter;
    private String needed;

    public SlackApiException(String method, String error, SlackErrorClass errorClass, Duration retryAfter, Throwable cause) {
        super("Slack " + method + " failed: " + error, cause);
        this.method = method;
        this.error = error;
        this.errorClass = errorClass;
        this.retryAfter = retryAfter;
    }

    /** Sets the scope Slack said is {@code needed} (with {@code missing_scope}); returns this, for a throw. */
    SlackApiException needing(String scope) {
        this.needed = scope;
        return this;
    }

    /** The scope(s) Slack said the token lacks, with {@code missing_scope}. */
    public Optional<String> needed() {
        return Optional.ofNullable(needed);
    }

    public String method() {
        return method;
    }

    /** Slack's error code, e.g. {@code channel_not_found}. */
    public String error() {
        return error;
    }

    public SlackErrorClass errorClass() {
        return errorClass;
    }

    /** The wait Slack asked for with {@code Retry-After}, when it was rate limiting. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    public boolean isRateLimited() {
        return errorClass == SlackErrorClass.RATE_LIMITED;
    }

    public boolean isPermanent() {
        return errorClass == SlackErrorClass.PERMANENT;
    }
}
