package io.leadflow.platform.web;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import tools.jackson.databind.json.JsonMapper;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code application/problem+json} bodies (RFC 9457) written outside Spring MVC: by the admin-access filter, the
 * error page and Tomcat's error report valve. Details are written for the caller: never a class name, a stack or
 * the server's version.
 */
final class Problems {

    static final String CONTENT_TYPE = MediaType.APPLICATION_PROBLEM_JSON_VALUE;

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private Problems() {
    }

    /**
     * @param field    the request field at fault, or null
     * @param instance the request path, or null
     */
    static String body(int status, String detail, String field, String instance) {
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", "about:blank");
        problem.put("title", title(status));
        problem.put("status", status);
        problem.put("detail", detail);
        if (field != null) {
            problem.put("field", field);
        }
        if (instance != null) {
            problem.put("instance", instance);
        }
        return JSON.writeValueAsString(problem);
    }

    static String title(int status) {
        HttpStatus known = HttpStatus.resolve(status);
        return known == null ? "HTTP " + status : known.getReasonPhrase();
    }

    /** A plain sentence for a status, for errors whose own message is not fit for the caller. */
    static String detail(int status) {
        return switch (status) {
            case 400 -> "The request is malformed: its request line, URI (for example an encoded '/' or an invalid %-escape)"
                    + " or headers (for example larger than the server accepts) cannot be processed";
            case 401 -> "Authorization is required";
            case 403 -> "This request is not allowed";
            case 404 -> "Nothing is served at this path";
            case 405 -> "This method is not supported at this path";
            case 406 -> "No representation matches the Accept header";
            case 408 -> "The request was not received in time";
            case 411 -> "A Content-Length is required";
            case 413 -> "The request body is too large";
            case 414 -> "The request URI is too long";
            case 415 -> "The request body's media type is not supported here";
            case 431 -> "The request headers are too large";
            case 501 -> "This method is not implemented";
            case 503 -> "The service is not available; retry shortly";
            case 505 -> "This HTTP version is not supported";
            default -> status >= 500 ? "The server could not complete the request" : "The request could not be processed";
        };
    }
}
