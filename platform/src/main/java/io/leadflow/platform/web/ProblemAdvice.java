package io.leadflow.platform.web;

import io.leadflow.platform.logging.Masking;
import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.TypeMismatchException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.validation.FieldError;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.MissingRequestCookieException;
import org.springframework.web.bind.MissingRequestHeaderException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.multipart.support.MissingServletRequestPartException;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.exc.MismatchedInputException;

import java.net.URI;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Every error a Leadflow controller raises, as {@code application/problem+json} naming the field: an
 * {@link HttpProblem} with its own status and headers; JSON a controller could not read, or Spring could not bind
 * ({@code needs[2]}, {@code payload.email}); Spring MVC's own request errors through {@link ResponseEntityExceptionHandler}
 * with the parameter, header or part to blame (type mismatches, missing parameters, {@code Content-Type} for 415,
 * {@code Accept} for 406, {@code body} for size limits); bean validation with every field in {@code errors}; and a
 * service's own exceptions that a {@link ProblemMapping} turns into problems. Details never name internal classes.
 * Anything else is left to the container's error page (a 500 problem), as without an advice.
 * <p>
 * {@link LeadflowWebAutoConfiguration} declares it in every servlet web service, with the service's mappings and
 * listeners; public for a service's standalone MockMvc tests.
 */
@RestControllerAdvice
public class ProblemAdvice extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemAdvice.class);

    /** The detail of a request body Spring could not read as the endpoint's JSON, when no field is to blame. */
    static final String UNREADABLE_BODY = "body is missing or not valid JSON";

    private static final int MAX_CAUSES = 16;

    private final List<ProblemMapping> mappings;
    private final List<ProblemListener> listeners;

    public ProblemAdvice(List<ProblemMapping> mappings, List<ProblemListener> listeners) {
        this.mappings = List.copyOf(mappings);
        this.listeners = List.copyOf(listeners);
    }

    /**
     * A service's own exception that a {@link ProblemMapping} knows; JSON a controller read itself (from the raw body
     * it verified) and could not; an {@link HttpProblem} or Spring error among the causes. The exception and each of
     * its causes are asked in turn. Rethrown untouched, for Spring MVC and the container to answer, when nothing here
     * knows it.
     */
    @ExceptionHandler(Exception.class)
    ResponseEntity<Object> mapped(Exception e, WebRequest request) throws Exception {
        HandlerMethod handler = handler(request);
        int depth = 0;
        for (Throwable t = e; t != null && depth < MAX_CAUSES; t = t.getCause(), depth++) {
            if (t instanceof Exception cause) {
                for (ProblemMapping mapping : mappings) {
                    HttpProblem problem = mapping.problem(cause, handler);
                    if (problem != null) {
                        return answer(problem, request);
                    }
                }
                if (cause instanceof JacksonException json) {
                    String field = path(json);
                    return answer(HttpProblem.invalid(field == null ? "body" : field, describe(json, field)), request);
                }
                if (t != e && cause instanceof ErrorResponseException wrapped) {
                    return handleException(wrapped, request);
                }
            }
        }
        throw e;
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex, HttpHeaders headers,
                                                                  HttpStatusCode status, WebRequest request) {
        String field = ex.getCause() instanceof JacksonException jackson ? path(jackson) : null;
        HttpProblem problem = field == null ? new HttpProblem(HttpStatus.BAD_REQUEST, null, UNREADABLE_BODY).with("field", "body")
                : HttpProblem.invalid(field, "has the wrong type or format");
        return handleExceptionInternal(ex, problem.getBody(), headers, HttpStatus.BAD_REQUEST, request);
    }

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException ex, HttpHeaders headers,
                                                                  HttpStatusCode status, WebRequest request) {
        List<Map<String, String>> errors = ex.getBindingResult().getFieldErrors().stream()
                .sorted(Comparator.comparing(FieldError::getField))
                .map(f -> Map.of("field", f.getField(), "message", String.valueOf(f.getDefaultMessage()))).toList();
        return handleExceptionInternal(ex, invalid(errors).getBody(), headers, HttpStatus.BAD_REQUEST, request);
    }

    @Override
    protected ResponseEntity<Object> handleHandlerMethodValidationException(HandlerMethodValidationException ex, HttpHeaders headers,
                                                                            HttpStatusCode status, WebRequest request) {
        List<Map<String, String>> errors = ex.getParameterValidationResults().stream()
                .flatMap(r -> r.getResolvableErrors().stream().map(err -> Map.of(
                        "field", String.valueOf(r.getMethodParameter().getParameterName()),
                        "message", String.valueOf(err.getDefaultMessage()))))
                .toList();
        return handleExceptionInternal(ex, invalid(errors).getBody(), headers, HttpStatus.BAD_REQUEST, request);
    }

    /**
     * 400 for failed bean validation: {@code field} names the first field, {@code errors} lists each field with its
     * message, {@code detail} joins them ("{@code lengthDays must be at least 1; deployment must be cloud or self-hosted}").
     */
    static HttpProblem invalid(List<Map<String, String>> errors) {
        String detail = errors.isEmpty() ? "request is not valid"
                : String.join("; ", errors.stream().map(e -> e.get("field") + " " + e.get("message")).toList());
        HttpProblem problem = new HttpProblem(HttpStatus.BAD_REQUEST, null, detail);
        if (!errors.isEmpty()) {
            problem.with("field", errors.get(0).get("field")).with("errors", errors);
        }
        return problem;
    }

    private static HandlerMethod handler(WebRequest request) {
        return request.getAttribute(HandlerMapping.BEST_MATCHING_HANDLER_ATTRIBUTE, RequestAttributes.SCOPE_REQUEST)
                instanceof HandlerMethod method ? method : null;
    }

    private ResponseEntity<Object> answer(HttpProblem problem, WebRequest request) {
        return handleErrorResponseException(problem, problem.getHeaders(), problem.getStatusCode(), request);
    }

    /**
     * Where every answer passes: names the field of Spring MVC's own errors, sets the instance and the problem media
     * type, logs server-side failures and tells the {@link ProblemListener}s.
     */
    @Override
    protected ResponseEntity<Object> handleExceptionInternal(Exception ex, Object body, HttpHeaders headers,
                                                             HttpStatusCode statusCode, WebRequest request) {
        ResponseEntity<Object> response = super.handleExceptionInternal(ex, body, headers, statusCode, request);
        if (response == null || !(response.getBody() instanceof ProblemDetail problem)) {
            return response;
        }
        HttpServletRequest servlet = request instanceof NativeWebRequest n && n.getNativeRequest() instanceof HttpServletRequest r ? r : null;
        String field = field(ex);
        if (field != null && (problem.getProperties() == null || !problem.getProperties().containsKey("field"))) {
            problem.setProperty("field", field);
        }
        if (problem.getInstance() == null && servlet != null) {
            try {
                problem.setInstance(URI.create(servlet.getRequestURI()));
            } catch (IllegalArgumentException e) {
                // Not a URI as Java reads it: answered without an instance.
            }
        }
        if (response.getStatusCode().is5xxServerError()) {
            log.warn("{} {}: {}", servlet == null ? "" : Masking.printable(servlet.getRequestURI()), response.getStatusCode().value(),
                    Masking.printable(String.valueOf(problem.getDetail())));
        }
        for (ProblemListener listener : listeners) {
            listener.answered(servlet, ex, response.getStatusCode(), problem);
        }
        HttpHeaders answerHeaders = new HttpHeaders();
        answerHeaders.addAll(response.getHeaders());
        answerHeaders.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        return new ResponseEntity<>(problem, answerHeaders, response.getStatusCode());
    }

    /** The parameter, header, part or body that Spring MVC's own error is about, or null. */
    private static String field(Exception ex) {
        if (ex instanceof HttpMediaTypeNotSupportedException) {
            return HttpHeaders.CONTENT_TYPE;
        }
        if (ex instanceof HttpMediaTypeNotAcceptableException) {
            return HttpHeaders.ACCEPT;
        }
        if (ex instanceof MissingServletRequestParameterException e) {
            return e.getParameterName();
        }
        if (ex instanceof MissingRequestHeaderException e) {
            return e.getHeaderName();
        }
        if (ex instanceof MissingRequestCookieException e) {
            return e.getCookieName();
        }
        if (ex instanceof MissingServletRequestPartException e) {
            return e.getRequestPartName();
        }
        if (ex instanceof TypeMismatchException e) {
            return e.getPropertyName();
        }
        return ex instanceof MaxUploadSizeExceededException ? "body" : null;
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

    /** {@code needs[2]}, {@code payload.email}: where in the JSON a value did not fit; null for a fault at the top. */
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
