package io.leadflow.routing.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.leadflow.platform.web.HttpProblem;
import io.leadflow.platform.web.ProblemMapping;
import io.leadflow.routing.publish.RulesPublisher;
import io.leadflow.routing.rules.InvalidRulesException;
import io.leadflow.routing.simulate.Simulations;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.method.HandlerMethod;

import java.time.Duration;

/** The routing service's own exceptions as the platform's problems, naming the field when there is one. */
@Component
class RoutingProblems implements ProblemMapping {

    /** How long a caller waits before asking again while state or Kafka is not there yet. */
    static final Duration RETRY = Duration.ofSeconds(5);

    @Override
    public HttpProblem problem(Exception exception, HandlerMethod handler) {
        // The stores are being rebuilt or moved (a restart, a rebalance): the answer is coming, not broken.
        if (exception instanceof InvalidStateStoreException) {
            return HttpProblem.unavailable("routing state is being restored or moved between instances; retry shortly", RETRY);
        }
        // A candidate rules file that does not load: every problem with its line, as start-up would list them.
        if (exception instanceof InvalidRulesException e) {
            int count = e.problems().size();
            return HttpProblem.invalid("body", "is not a valid rules file (" + count + (count == 1 ? " problem" : " problems") + ")")
                    .with("problems", e.problems().stream()
                            .map(p -> new RulesProblem(p.line(), p.path() == null || p.path().isEmpty() ? null : p.path(), p.message()))
                            .toList());
        }
        // routing.rules could not be read or written: nothing was published.
        if (exception instanceof RulesPublisher.UnavailableException e) {
            return HttpProblem.unavailable(e.getMessage(), RETRY);
        }
        if (exception instanceof Simulations.BusyException e) {
            return new HttpProblem(HttpStatus.TOO_MANY_REQUESTS, null, e.getMessage()).retryAfter(Duration.ofSeconds(30));
        }
        if (exception instanceof Simulations.TooLongException e) {
            return new HttpProblem(HttpStatus.SERVICE_UNAVAILABLE, null, e.getMessage());
        }
        if (exception instanceof Simulations.TopicsUnavailableException e) {
            return HttpProblem.unavailable(e.getMessage(), RETRY);
        }
        return null;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record RulesProblem(int line, String path, String message) {
    }
}
