package io.leadflow.intake.system;

import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import tools.jackson.core.JacksonException;

import java.net.URI;
import java.time.DateTimeException;

/**
 * Every error as {@code application/problem+json} naming the field: {@link RejectedRequest} with its
 * own status, unreadable JSON and unparseable values as 400, Spring MVC's own request errors (415,
 * 405, ...) through {@link ResponseEntityExceptionHandler}. Each answer is counted in
 * {@code leadflow.intake.received}. Only a fault of the service itself can still be a 500.
 */
@RestControllerAdvice
class ProblemAdvice extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemAdvice.class);

    private final IntakeMetrics metrics;

    ProblemAdvice(IntakeMetrics metrics) {
        this.metrics = metrics;
    }

    @ExceptionHandler(RejectedRequest.class)
    ResponseEntity<ProblemDetail> rejected(RejectedRequest e, HttpServletRequest request) {
        WebhookSource source = WebhookSource.fromPath(request.getRequestURI());
        metrics.received(source, e.outcome());
        if (e.status().is5xxServerError()) {
            log.warn("{} {}: {}", request.getRequestURI(), e.status().value(), e.getMessage());
        } else {
            log.info("Rejected {} with {}: {}{}", request.getRequestURI(), e.status().value(),
                    e.field() == null ? "" : e.field() + " ", e.getMessage());
        }
        HttpHeaders headers = new HttpHeaders();
        if (e.retryAfter() != null) {
            headers.set(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, e.retryAfter().toSeconds())));
        }
        return problem(e.status(), e.field(), e.getMessage(), request, headers);
    }

    @ExceptionHandler(JacksonException.class)
    ResponseEntity<ProblemDetail> unreadableJson(JacksonException e, HttpServletRequest request) {
        String field = path(e);
        metrics.received(WebhookSource.fromPath(request.getRequestURI()), "invalid");
        String reason = field == null ? "body is not valid JSON: " + e.getOriginalMessage()
                : "has the wrong type or format: " + e.getOriginalMessage();
        return problem(HttpStatus.BAD_REQUEST, field == null ? "body" : field, reason, request, new HttpHeaders());
    }

    @ExceptionHandler({DateTimeException.class, IllegalArgumentException.class})
    ResponseEntity<ProblemDetail> unparseableValue(RuntimeException e, HttpServletRequest request) {
        metrics.received(WebhookSource.fromPath(request.getRequestURI()), "invalid");
        return problem(HttpStatus.BAD_REQUEST, "body", "holds a value that cannot be read: " + e.getMessage(),
                request, new HttpHeaders());
    }

    @Override
    protected ResponseEntity<Object> handleExceptionInternal(Exception ex, Object body, HttpHeaders headers,
                                                             HttpStatusCode statusCode, WebRequest request) {
        String path = request instanceof NativeWebRequest n && n.getNativeRequest() instanceof HttpServletRequest r
                ? r.getRequestURI() : null;
        metrics.received(WebhookSource.fromPath(path), outcome(statusCode));
        ResponseEntity<Object> response = super.handleExceptionInternal(ex, body, headers, statusCode, request);
        if (response != null && response.getBody() instanceof ProblemDetail problem
                && ex instanceof HttpMediaTypeNotSupportedException) {
            problem.setProperty("field", HttpHeaders.CONTENT_TYPE);
        }
        return response;
    }

    private static String outcome(HttpStatusCode status) {
        return switch (status.value()) {
            case 415 -> "unsupported_media_type";
            case 413 -> "too_large";
            case 405, 404 -> "not_found";
            default -> status.is4xxClientError() ? "invalid" : "error";
        };
    }

    private static ResponseEntity<ProblemDetail> problem(HttpStatus status, String field, String reason,
                                                         HttpServletRequest request, HttpHeaders headers) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, field == null ? reason : field + " " + reason);
        problem.setTitle(status.getReasonPhrase());
        if (field != null) {
            problem.setProperty("field", field);
        }
        problem.setInstance(URI.create(request.getRequestURI()));
        return ResponseEntity.status(status).headers(headers).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }

    /** {@code needs[2]}, {@code payload.email}: where in the JSON a value did not fit; null for a syntax error at the top. */
    static String path(JacksonException e) {
        StringBuilder sb = new StringBuilder();
        for (JacksonException.Reference ref : e.getPath()) {
            if (ref.getPropertyName() != null) {
                if (!sb.isEmpty()) {
                    sb.append('.');
                }
                sb.append(ref.getPropertyName());
            } else if (ref.getIndex() >= 0) {
                sb.append('[').append(ref.getIndex()).append(']');
            }
        }
        return sb.isEmpty() ? null : sb.toString();
    }
}
