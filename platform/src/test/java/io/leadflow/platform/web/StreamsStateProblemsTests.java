package io.leadflow.platform.web;

import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;

import static org.assertj.core.api.Assertions.assertThat;

/** A store that migrated in the middle of a read is a 503 to retry, like a stream found rebalancing, never a 500. */
class StreamsStateProblemsTests {

    private final StreamsStateProblems mapping = new StreamsStateProblems();

    @Test
    void aStoreThatMigratedMidwayIsA503WithRetryAfter() {
        HttpProblem problem = mapping.problem(
                new InvalidStateStoreException("The state store, trials, may have migrated to another instance."), null);

        assertThat(problem).isNotNull();
        assertThat(problem.getStatusCode().value()).isEqualTo(503);
        assertThat(problem.getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("1");
    }

    @Test
    void otherExceptionsAreLeftToOtherMappings() {
        assertThat(mapping.problem(new IllegalStateException("boom"), null)).isNull();
    }
}
