package io.leadflow.routing.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.leadflow.routing.publish.RulesPublisher;
import io.leadflow.routing.rules.InvalidRulesException;
import io.leadflow.routing.simulate.Simulations;
import jakarta.servlet.http.HttpServletRequest;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.context.request.WebRequest;
import tools.jackson.core.JacksonException;

import java.net.URI;

/** Errors as {@code application/problem+json}, naming the field when there is one. */
@RestControllerAdvice
class ProblemAdvice extends ResponseEntityExceptionHandler {

    @ExceptionHandler(ApiException.class)
    ResponseEntity<ProblemDetail> api(ApiException e, HttpServletRequest request) {
        HttpHeaders headers = new HttpHeaders();
        if (e.status() == HttpStatus.SERVICE_UNAVAILABLE) {
            headers.set(HttpHeaders.RETRY_AFTER, "5");
        }
        return problem(e.status(), e.field(), e.getMessage(), request.getRequestURI(), headers);
    }

    /** The stores are being rebuilt or moved (a restart, a rebalance): the answer is coming, not broken. */
    @ExceptionHandler(InvalidStateStoreException.class)
    ResponseEntity<ProblemDetail> restoring(InvalidStateStoreException e, HttpServletRequest request) {
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.RETRY_AFTER, "5");
        return problem(HttpStatus.SERVICE_UNAVAILABLE, null, "routing state is being restored or moved between instances; retry shortly",
                request.getRequestURI(), headers);
    }

    /** A candidate rules file that does not load: every problem with its line, as start-up would list them. */
    @ExceptionHandler(InvalidRulesException.class)
    ResponseEntity<ProblemDetail> invalidRules(InvalidRulesException e, HttpServletRequest request) {
        int count = e.problems().size();
        ResponseEntity<ProblemDetail> response = problem(HttpStatus.BAD_REQUEST, "body",
                "is not a valid rules file (" + count + (count == 1 ? " problem" : " problems") + ")", request.getRequestURI(), new HttpHeaders());
        response.getBody().setProperty("problems", e.problems().stream()
                .map(p -> new RulesProblem(p.line(), p.path() == null || p.path().isEmpty() ? null : p.path(), p.message())).toList());
        return response;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record RulesProblem(int line, String path, String message) {
    }

    /** routing.rules could not be read or written: nothing was published. */
    @ExceptionHandler(RulesPublisher.UnavailableException.class)
    ResponseEntity<ProblemDetail> rulesUnavailable(RulesPublisher.UnavailableException e, HttpServletRequest request) {
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.RETRY_AFTER, "5");
        return problem(HttpStatus.SERVICE_UNAVAILABLE, null, e.getMessage(), request.getRequestURI(), headers);
    }

    @ExceptionHandler(Simulations.BusyException.class)
    ResponseEntity<ProblemDetail> busy(Simulations.BusyException e, HttpServletRequest request) {
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.RETRY_AFTER, "30");
        return problem(HttpStatus.TOO_MANY_REQUESTS, null, e.getMessage(), request.getRequestURI(), headers);
    }

    @ExceptionHandler(Simulations.TooLongException.class)
    ResponseEntity<ProblemDetail> tooLong(Simulations.TooLongException e, HttpServletRequest request) {
        return problem(HttpStatus.SERVICE_UNAVAILABLE, null, e.getMessage(), request.getRequestURI(), new HttpHeaders());
    }

    @ExceptionHandler(Simulations.TopicsUnavailableException.class)
    ResponseEntity<ProblemDetail> topicsUnavailable(Simulations.TopicsUnavailableException e, HttpServletRequest request) {
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.RETRY_AFTER, "5");
        return problem(HttpStatus.SERVICE_UNAVAILABLE, null, e.getMessage(), request.getRequestURI(), headers);
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex, HttpHeaders headers,
                                                                  org.springframework.http.HttpStatusCode status, WebRequest request) {
        String field = ex.getCause() instanceof JacksonException jackson ? path(jackson) : null;
        String detail = field == null ? "body is not a valid JSON object" : field + " has the wrong type or format";
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, detail);
        problem.setTitle(HttpStatus.BAD_REQUEST.getReasonPhrase());
        problem.setProperty("field", field == null ? "body" : field);
        return ResponseEntity.badRequest().contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }

    private static String path(JacksonException e) {
        StringBuilder sb = new StringBuilder();
        for (JacksonException.Reference ref : e.getPath()) {
            if (ref.getPropertyName() != null) {
                sb.append(sb.isEmpty() ? "" : ".").append(ref.getPropertyName());
            } else if (ref.getIndex() >= 0) {
                sb.append('[').append(ref.getIndex()).append(']');
            }
        }
        return sb.isEmpty() ? null : sb.toString();
    }

    static ResponseEntity<ProblemDetail> problem(HttpStatus status, String field, String message, String path, HttpHeaders headers) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, field == null ? message : field + " " + message);
        problem.setTitle(status.getReasonPhrase());
        if (field != null) {
            problem.setProperty("field", field);
        }
        problem.setInstance(URI.create(path));
        return ResponseEntity.status(status).headers(headers).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }
}
