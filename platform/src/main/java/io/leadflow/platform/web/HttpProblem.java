package io.leadflow.platform.web;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

import java.time.Duration;

/**
 * A request a service will not answer with success: the status it earns, the {@code field} (body field, parameter or
 * header) at fault, and why. The platform's advice answers it as {@code application/problem+json} (RFC 9457):
 * {@code type} {@code about:blank}, {@code title} the status's reason phrase, {@code detail} "{@code <field> <reason>}"
 * (the reason alone without a field), {@code field}, and any further property. Services throw it, or subclass it to
 * carry what only they need.
 */
public class HttpProblem extends ErrorResponseException {

    private final String reason;

    /**
     * @param field  the field, parameter or header to blame, or null
     * @param reason what is wrong with it, as a phrase that reads after the field's name ("is required")
     */
    public HttpProblem(HttpStatusCode status, String field, String reason) {
        super(status, ProblemDetail.forStatusAndDetail(status, field == null ? reason : field + " " + reason), null);
        this.reason = reason;
        HttpStatus known = HttpStatus.resolve(status.value());
        getBody().setTitle(known == null ? "HTTP " + status.value() : known.getReasonPhrase());
        if (field != null) {
            getBody().setProperty("field", field);
        }
    }

    /** 400: a field is missing or invalid. */
    public static HttpProblem invalid(String field, String reason) {
        return new HttpProblem(HttpStatus.BAD_REQUEST, field, reason);
    }

    /** 503: the service cannot answer right now; the caller should retry after {@code retryAfter}. */
    public static HttpProblem unavailable(String reason, Duration retryAfter) {
        return new HttpProblem(HttpStatus.SERVICE_UNAVAILABLE, null, reason).retryAfter(retryAfter);
    }

    /** Adds {@code Retry-After} in whole seconds, at least one. */
    public HttpProblem retryAfter(Duration after) {
        getHeaders().set(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, after.toSeconds())));
        return this;
    }

    /** Adds a header to the answer. */
    public HttpProblem header(String name, String value) {
        getHeaders().set(name, value);
        return this;
    }

    /** Adds a property to the problem, next to {@code field}. */
    public HttpProblem with(String property, Object value) {
        getBody().setProperty(property, value);
        return this;
    }

    /** The field, parameter or header to blame, or null. */
    public String field() {
        return getBody().getProperties() == null ? null : (String) getBody().getProperties().get("field");
    }

    /** What is wrong, without the field's name. */
    public String reason() {
        return reason;
    }

    /** The status as an {@link HttpStatus}. */
    public HttpStatus status() {
        return HttpStatus.valueOf(getStatusCode().value());
    }

    /** The reason, as the exception's message: never the status or headers. */
    @Override
    public String getMessage() {
        return reason;
    }

    /** An answer, not a fault of the service: no stack to fill in. */
    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }
}
