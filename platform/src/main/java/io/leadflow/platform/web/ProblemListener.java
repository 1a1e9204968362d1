package io.leadflow.platform.web;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;

/**
 * Told of every problem the platform's advice answers (to count it, or to log it in a service's words). Declare it as
 * a bean. It cannot change the answer.
 */
@FunctionalInterface
public interface ProblemListener {

    /**
     * @param request   the request answered, or null outside a servlet request
     * @param exception what was thrown: an {@link HttpProblem}, a Spring MVC exception, ...
     */
    void answered(HttpServletRequest request, Exception exception, HttpStatusCode status, ProblemDetail problem);
}
