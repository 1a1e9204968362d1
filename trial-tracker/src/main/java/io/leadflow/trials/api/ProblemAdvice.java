package io.leadflow.trials.api;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.ConstraintViolationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.validation.FieldError;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import tools.jackson.core.JacksonException;

import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * Every error as {@code application/problem+json}: {@code field} names the first offending field and
 * {@code errors} lists each one; Spring MVC's own errors (404, 405, 415...) keep their status.
 */
@RestControllerAdvice
class ProblemAdvice extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemAdvice.class);

    @ExceptionHandler(ApiProblem.class)
    ResponseEntity<ProblemDetail> problem(ApiProblem e, HttpServletRequest request) {
        if (e.status().is5xxServerError()) {
            log.warn("{} {}: {}", request.getRequestURI(), e.status().value(), e.getMessage());
        }
        HttpHeaders headers = new HttpHeaders();
        if (e.status() == HttpStatus.SERVICE_UNAVAILABLE) {
            headers.set(HttpHeaders.RETRY_AFTER, "5");
        }
        return respond(e.status(), e.field(), e.field() == null ? e.getMessage() : e.field() + " " + e.getMessage(),
                List.of(), request.getRequestURI(), headers);
    }

    @ExceptionHandler(ConstraintViolationException.class)
    ResponseEntity<ProblemDetail> violation(ConstraintViolationException e, HttpServletRequest request) {
        List<Map<String, String>> errors = e.getConstraintViolations().stream()
                .map(v -> Map.of("field", last(v.getPropertyPath().toString()), "message", v.getMessage())).toList();
        return invalid(errors, request.getRequestURI());
    }

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException ex, HttpHeaders headers,
                                                                  HttpStatusCode status, WebRequest request) {
        List<Map<String, String>> errors = ex.getBindingResult().getFieldErrors().stream()
                .sorted(java.util.Comparator.comparing(FieldError::getField))
                .map(f -> Map.of("field", f.getField(), "message", String.valueOf(f.getDefaultMessage()))).toList();
        return ResponseEntity.class.cast(invalid(errors, path(request)));
    }

    @Override
    protected ResponseEntity<Object> handleHandlerMethodValidationException(HandlerMethodValidationException ex,
                                                                            HttpHeaders headers, HttpStatusCode status,
                                                                            WebRequest request) {
        List<Map<String, String>> errors = ex.getParameterValidationResults().stream()
                .flatMap(r -> r.getResolvableErrors().stream().map(err -> Map.of(
                        "field", String.valueOf(r.getMethodParameter().getParameterName()),
                        "message", String.valueOf(err.getDefaultMessage()))))
                .toList();
        return ResponseEntity.class.cast(invalid(errors, path(request)));
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex, HttpHeaders headers,
                                                                  HttpStatusCode status, WebRequest request) {
        String field = ex.getCause() instanceof JacksonException jackson ? path(jackson) : null;
        String detail = field == null ? "body is missing or not valid JSON" : field + " has the wrong type or format";
        return ResponseEntity.class.cast(respond(HttpStatus.BAD_REQUEST, field == null ? "body" : field, detail,
                List.of(), path(request), new HttpHeaders()));
    }

    private static ResponseEntity<ProblemDetail> invalid(List<Map<String, String>> errors, String path) {
        String field = errors.isEmpty() ? null : errors.get(0).get("field");
        String detail = errors.isEmpty() ? "request is not valid"
                : String.join("; ", errors.stream().map(e -> e.get("field") + " " + e.get("message")).toList());
        return respond(HttpStatus.BAD_REQUEST, field, detail, errors, path, new HttpHeaders());
    }

    private static ResponseEntity<ProblemDetail> respond(HttpStatus status, String field, String detail,
                                                         List<Map<String, String>> errors, String path, HttpHeaders headers) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setTitle(status.getReasonPhrase());
        if (field != null) {
            problem.setProperty("field", field);
        }
        if (!errors.isEmpty()) {
            problem.setProperty("errors", errors);
        }
        if (path != null) {
            problem.setInstance(URI.create(path));
        }
        return ResponseEntity.status(status).headers(headers).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }

    private static String path(WebRequest request) {
        String description = request.getDescription(false);
        return description.startsWith("uri=") ? description.substring(4) : null;
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

    private static String last(String propertyPath) {
        int dot = propertyPath.lastIndexOf('.');
        return dot < 0 ? propertyPath : propertyPath.substring(dot + 1);
    }
}
