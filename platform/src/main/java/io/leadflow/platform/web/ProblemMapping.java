package io.leadflow.platform.web;

import org.springframework.web.method.HandlerMethod;

/**
 * Turns an exception a service's own code throws (a store being restored, a Kafka client's refusal, a domain
 * exception) into an {@link HttpProblem}, so that the platform's one advice answers it. Declare it as a bean; the
 * advice asks every mapping about the exception and each of its causes. An exception no mapping knows is left to
 * Spring MVC and the container, as if there were no advice: a 500 problem from the error page.
 */
@FunctionalInterface
public interface ProblemMapping {

    /**
     * This exception as a problem, or null when this mapping does not know it.
     *
     * @param handler the controller method that raised it, or null when none was chosen yet; a mapping that speaks for
     *                one controller only checks {@link HandlerMethod#getBeanType()}
     */
    HttpProblem problem(Exception exception, HandlerMethod handler);
}
