package io.leadflow.crm.system;

import io.leadflow.crm.hubspot.HubSpotException;
import io.leadflow.platform.web.HttpProblem;
import io.leadflow.platform.web.ProblemMapping;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.method.HandlerMethod;

/**
 * A HubSpot call an operator endpoint made that failed: 502 as the platform's problem, with HubSpot's status and, when
 * HubSpot gave one, its correlation id (what HubSpot's support asks for).
 */
@Component
class HubSpotProblems implements ProblemMapping {

    @Override
    public HttpProblem problem(Exception exception, HandlerMethod handler) {
        if (!(exception instanceof HubSpotException e)) {
            return null;
        }
        HttpProblem problem = new HttpProblem(HttpStatus.BAD_GATEWAY, null, e.getMessage()).with("hubspotStatus", e.status());
        problem.setTitle("HubSpot call failed");
        if (e.correlationId() != null) {
            problem.with("correlationId", e.correlationId());
        }
        return problem;
    }
}
