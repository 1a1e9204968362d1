package io.leadflow.intake.system;

import org.springframework.http.HttpStatus;

import java.time.Duration;

/**
 * A request the service will not accept, with the HTTP status it earns and, where one is to blame,
 * the field. {@link ProblemAdvice} turns it into {@code application/problem+json}; nothing is
 * published for a rejected request.
 */
public final class RejectedRequest extends RuntimeException {

    private final HttpStatus status;
    private final String field;
    private final String outcome;
    private final Duration retryAfter;

    private RejectedRequest(HttpStatus status, String field, String reason, String outcome, Duration retryAfter) {
        super(reason);
        this.status = status;
        this.field = field;
        this.outcome = outcome;
        this.retryAfter = retryAfter;
    }

    /** 400: a field is missing or invalid. */
    public static RejectedRequest invalid(String field, String reason) {
        return new RejectedRequest(HttpStatus.BAD_REQUEST, field, reason, "invalid", null);
    }

    /** 401: the signature (or its timestamp, or token) does not hold. */
    public static RejectedRequest unauthorized(String header, String reason) {
        return new RejectedRequest(HttpStatus.UNAUTHORIZED, header, reason, "bad_signature", null);
    }

    /** 413: the body is over the configured limit. */
    public static RejectedRequest tooLarge(long limitBytes) {
        return new RejectedRequest(HttpStatus.CONTENT_TOO_LARGE, "body",
                "request body is larger than the limit of " + limitBytes + " bytes", "too_large", null);
    }

    /** 406 (Mailgun's "do not retry"): mail that can never be a lead, e.g. an auto-reply. Never for transient errors. */
    public static RejectedRequest notALead(String field, String reason) {
        return new RejectedRequest(HttpStatus.NOT_ACCEPTABLE, field, reason, "not_a_lead", null);
    }

    /** 503: the source has no secret configured, so nothing it sends can be trusted yet; the provider retries. */
    public static RejectedRequest notConfigured(String source, String envVar, Duration retryAfter) {
        return new RejectedRequest(HttpStatus.SERVICE_UNAVAILABLE, null,
                "source not configured: " + source + " (set " + envVar + ")", "not_configured", retryAfter);
    }

    /** 503: Kafka did not acknowledge in time; the lead was not accepted and the provider must retry. */
    public static RejectedRequest unavailable(String reason, Duration retryAfter) {
        return new RejectedRequest(HttpStatus.SERVICE_UNAVAILABLE, null, reason, "unavailable", retryAfter);
    }

    public HttpStatus status() {
        return status;
    }

    /** The field or header to blame, or null. */
    public String field() {
        return field;
    }

    /** Low-cardinality outcome tag for {@code leadflow.intake.received}. */
    public String outcome() {
        return outcome;
    }

    /** When the caller should retry, for 503s; null otherwise. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
