package io.leadflow.localstack.console;

import io.leadflow.platform.web.HttpProblem;
import io.leadflow.platform.web.ProblemMapping;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.method.HandlerMethod;

/**
 * The console API's failures as the platform's problems. A wrong click or argument names its field the way the
 * sandboxes word it ({@code "ts: no message ... in ..."}): 400 with the field before the colon. Anything else the
 * console API cannot answer is a 503: a service or the broker behind it is not reachable. Only for
 * the console's own controllers; the sandboxes served next to it answer their own way.
 */
@Component
class ConsoleProblems implements ProblemMapping {

    private static final Logger log = LoggerFactory.getLogger(ConsoleProblems.class);

    @Override
    public HttpProblem problem(Exception exception, HandlerMethod handler) {
        if (handler == null || !(handler.getBeanType() == ConsoleController.class || handler.getBeanType() == RoutingViewsController.class)) {
            return null;
        }
        if (exception instanceof IllegalArgumentException) {
            String message = exception.getMessage() == null ? "invalid request" : exception.getMessage();
            HttpProblem problem = new HttpProblem(HttpStatus.BAD_REQUEST, null, message);
            int colon = message.indexOf(':');
            if (colon > 0 && !message.substring(0, colon).contains(" ")) {
                problem.with("field", message.substring(0, colon));
            }
            return problem;
        }
        log.warn("Console request failed", exception);
        return new HttpProblem(HttpStatus.SERVICE_UNAVAILABLE, null,
                "the console could not answer (a service or the broker is not reachable); see the local stack's log");
    }
}
