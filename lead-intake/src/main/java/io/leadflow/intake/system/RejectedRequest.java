package io.leadflow.intake.system;

import io.leadflow.platform.web.HttpProblem;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;

import java.time.Duration;

/**
 * A request the service will not accept, with the HTTP status it earns and, where one is to blame,
 * the field: the platform's {@link HttpProblem}, answered as {@code application/problem+json}, plus the outcome it is
 * counted as ({@link IntakeProblems}). Nothing is published for a rejected request.
 */
public final class RejectedRequest extends HttpProblem {

    private final String outcome;
    private final Duration retryAfter;
    private final String oauthError;

    private RejectedRequest(HttpStatus status, String field, String reason, String outcome, Duration retryAfter) {
        this(status, field, reason, outcome, retryAfter, null);
    }

    private RejectedRequest(HttpStatus status, String field, String reason, String outcome, Duration retryAfter, String oauthError) {
        super(status, field, reason);
        this.outcome = outcome;
        this.retryAfter = retryAfter;
        this.oauthError = oauthError;
        if (retryAfter != null) {
            retryAfter(retryAfter);
        }
        if (oauthError != null) {
            with("error", oauthError);
            if (status == HttpStatus.UNAUTHORIZED) {
                header(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"" + oauthError + "\"");
            }
        }
    }

    /**
     * An OAuth 2.0 error (RFC 6749 section 5.2, RFC 6750 section 3.1): the problem carries the {@code error} code too,
     * which is what an OAuth client such as SendGrid looks for (an {@code invalid_token} makes it fetch a new token).
     */
    public static RejectedRequest oauth(int status, String field, String error, String reason) {
        return new RejectedRequest(HttpStatus.valueOf(status), field, reason + " (" + error + ")", "bad_signature", null, error);
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

    /** 413: what the body holds makes a record larger than Kafka accepts; a retry would be refused alike. */
    public static RejectedRequest recordTooLarge() {
        return new RejectedRequest(HttpStatus.CONTENT_TOO_LARGE, "body",
                "holds more than can be recorded as one event", "too_large", null);
    }

    /** 408: the body did not arrive within the read deadline; a client may retry. */
    public static RejectedRequest tooSlow(Duration deadline) {
        return new RejectedRequest(HttpStatus.REQUEST_TIMEOUT, "body",
                "did not arrive within " + deadline.toSeconds() + " s", "too_slow", null);
    }

    /** 409: another request is handling the same delivery right now; retry later. */
    public static RejectedRequest inProgress(String field, Duration retryAfter) {
        return new RejectedRequest(HttpStatus.CONFLICT, field,
                "is being handled by another request for the same delivery; retry later", "in_progress", retryAfter);
    }

    /** 401: a signed credential already used with another body: a replay. */
    public static RejectedRequest replay(String field) {
        return new RejectedRequest(HttpStatus.UNAUTHORIZED, field,
                "was already used with a different request body: the request is a replay", "replay", null);
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

    /**
     * 503: Kafka did not acknowledge the event (the broker refused it or did not answer in time), so it may not have
     * been recorded; the provider must retry, and a retry of the same delivery is idempotent.
     */
    public static RejectedRequest unavailable(String reason, Duration retryAfter) {
        return new RejectedRequest(HttpStatus.SERVICE_UNAVAILABLE, null, reason, "unavailable", retryAfter);
    }

    /** The OAuth error code ({@code invalid_token}, {@code invalid_client}, ...), or null. */
    public String oauthError() {
        return oauthError;
    }

    /** Low-cardinality outcome tag for {@code leadflow.intake.received}. */
    public String outcome() {
        return outcome;
    }

    /** When the caller should retry, for 503s and 409s; null otherwise. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
