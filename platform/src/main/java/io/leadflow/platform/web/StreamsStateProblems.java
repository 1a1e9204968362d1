package io.leadflow.platform.web;

import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.springframework.web.method.HandlerMethod;

import java.time.Duration;

/**
 * A Kafka Streams store read that lost its store midway (it migrated to another instance in a rebalance, or is being
 * restored): 503 with {@code Retry-After}, the same answer as a read that found the stream rebalancing before it began,
 * never a 500. Checked here once for every service that answers from its stores.
 */
final class StreamsStateProblems implements ProblemMapping {

    static final Duration RETRY_AFTER = Duration.ofSeconds(1);

    @Override
    public HttpProblem problem(Exception exception, HandlerMethod handler) {
        if (!(exception instanceof InvalidStateStoreException)) {
            return null;
        }
        return HttpProblem.unavailable("the state is moving between instances (Kafka Streams is rebalancing); please retry",
                RETRY_AFTER);
    }
}
