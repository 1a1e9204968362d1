package io.leadflow.intake.system;

import io.leadflow.intake.delivery.Answer;
import io.leadflow.intake.delivery.DeliveryLedger;
import io.leadflow.platform.logging.Masking;
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
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.exc.MismatchedInputException;

import java.net.URI;
import java.time.DateTimeException;
import java.util.Collection;
import java.util.Map;

/**
 * Every error as {@code application/problem+json} naming the field: {@link RejectedRequest} with its
 * own status, unreadable JSON and unparseable values as 400, Spring MVC's own request errors (415,
 * 405, ...) through {@link ResponseEntityExceptionHandler}. A delivery already accepted is answered 202 with its
 * first answer (Slack: an empty 200, its acknowledgement). Each answer is counted in {@code leadflow.intake.received}. Details never name internal classes.
 * Only a fault of the service itself can still be a 500.
 */
@RestControllerAdvice
class ProblemAdvice extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemAdvice.class);

    private final IntakeMetrics metrics;

    ProblemAdvice(IntakeMetrics metrics) {
        this.metrics = metrics;
    }

    @ExceptionHandler(DeliveryLedger.Duplicate.class)
    ResponseEntity<Map<String, Object>> duplicate(DeliveryLedger.Duplicate e, HttpServletRequest request) {
        WebhookSource source = WebhookSource.fromPath(request.getRequestURI());
        metrics.received(source, "duplicate");
        log.info("{} repeated a delivery already accepted as {}; answered again, nothing published", request.getRequestURI(),
                e.leadId() == null ? e.outcome() : e.leadId());
        return new Answer(e.leadId(), "duplicate").toResponse(source);
    }

    @ExceptionHandler(RejectedRequest.class)
    ResponseEntity<ProblemDetail> rejected(RejectedRequest e, HttpServletRequest request) {
        WebhookSource source = WebhookSource.fromPath(request.getRequestURI());
        metrics.received(source, e.outcome());
        String detail = Masking.printable(e.getMessage());
        if (e.status().is5xxServerError()) {
            log.warn("{} {}: {}", request.getRequestURI(), e.status().value(), detail);
        } else {
            log.info("Rejected {} with {}: {}{}", request.getRequestURI(), e.status().value(),
                    e.field() == null ? "" : Masking.printable(e.field()) + " ", detail);
        }
        HttpHeaders headers = new HttpHeaders();
        if (e.retryAfter() != null) {
            headers.set(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, e.retryAfter().toSeconds())));
        }
        if (e.oauthError() != null && e.status() == HttpStatus.UNAUTHORIZED) {
            headers.set(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"" + e.oauthError() + "\"");
        }
        ResponseEntity<ProblemDetail> response = problem(e.status(), e.field(), e.getMessage(), request, headers);
        if (e.oauthError() != null) {
            response.getBody().setProperty("error", e.oauthError());
        }
        return response;
    }

    @ExceptionHandler(JacksonException.class)
    ResponseEntity<ProblemDetail> unreadableJson(JacksonException e, HttpServletRequest request) {
        String field = path(e);
        metrics.received(WebhookSource.fromPath(request.getRequestURI()), "invalid");
        return problem(HttpStatus.BAD_REQUEST, field == null ? "body" : field, describe(e, field), request, new HttpHeaders());
    }

    @ExceptionHandler({DateTimeException.class, IllegalArgumentException.class, ArithmeticException.class})
    ResponseEntity<ProblemDetail> unparseableValue(RuntimeException e, HttpServletRequest request) {
        metrics.received(WebhookSource.fromPath(request.getRequestURI()), "invalid");
        log.info("Rejected {} with 400: a value could not be read ({})", request.getRequestURI(), e.getClass().getSimpleName());
        return problem(HttpStatus.BAD_REQUEST, "body", "holds a value that cannot be read", request, new HttpHeaders());
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

    /**
     * What went wrong with the JSON, in our words: Jackson's own messages name our classes ("Cannot deserialize value of
     * type `io.leadflow...`"), which tell a caller nothing useful and tell an attacker too much.
     */
    static String describe(JacksonException e, String field) {
        if (e instanceof StreamConstraintsException) {
            return "exceeds a limit on JSON values (number length, string length or nesting depth)";
        }
        if (e instanceof MismatchedInputException mismatch) {
            return field == null ? "must be a JSON object" : "must be " + expected(mismatch.getTargetType());
        }
        if (e instanceof StreamReadException read && read.getLocation() != null) {
            return "is not valid JSON (line " + read.getLocation().getLineNr() + ", column " + read.getLocation().getColumnNr() + ")";
        }
        return field == null ? "is not valid JSON" : "has the wrong type or format";
    }

    private static String expected(Class<?> type) {
        if (type == null) {
            return "of another type";
        }
        if (CharSequence.class.isAssignableFrom(type) || type.isEnum()) {
            return "a string";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (Number.class.isAssignableFrom(type) || (type.isPrimitive() && type != boolean.class)) {
            return "a number";
        }
        if (Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "an array";
        }
        return "an object";
    }

    /** {@code needs[2]}, {@code payload.email}: where in the JSON a value did not fit; null for a syntax error at the top. */
    static String path(JacksonException e) {
        StringBuilder sb = new StringBuilder();
        for (JacksonException.Reference ref : e.getPath()) {
            if (ref.getPropertyName() != null) {
                if (!sb.isEmpty()) {
                    sb.append('.');
                }
                sb.append(Masking.printable(ref.getPropertyName()));
            } else if (ref.getIndex() >= 0) {
                sb.append('[').append(ref.getIndex()).append(']');
            }
        }
        return sb.isEmpty() ? null : sb.toString();
    }
}
