package io.leadflow.routing.api;

import io.leadflow.platform.web.ProblemAdvice;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.junit.jupiter.api.Test;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;

import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/** While Kafka Streams restores or moves its stores (a restart, a rebalance), a read answers 503 to retry, not 500. */
class RestoringStateTests {

    @RestController
    static class Rebalancing {
        @GetMapping("/routing/reps")
        String reps() {
            throw new InvalidStateStoreException("The state store, routing-counters, may have migrated to another instance.");
        }
    }

    @Test
    void answersAStoreInTransitWith503AndRetryAfter() throws Exception {
        MockMvc mvc = MockMvcBuilders.standaloneSetup(new Rebalancing()).setControllerAdvice(
                new ProblemAdvice(List.of(new RoutingProblems()), List.of())).build();

        mvc.perform(get("/routing/reps"))
                .andExpect(status().isServiceUnavailable())
                .andExpect(header().string("Retry-After", "5"))
                .andExpect(content().contentTypeCompatibleWith("application/problem+json"))
                .andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.containsString("being restored")))
                .andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.not(org.hamcrest.Matchers.containsString("routing-counters"))));
    }
}
