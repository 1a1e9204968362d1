package io.leadflow.routing.system;

import io.leadflow.routing.RoutingServiceApplication;
import io.leadflow.routing.rules.InvalidRulesException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

class StartupTests {

    @Test
    void anInvalidRulesFileStopsTheServiceNamingTheLineAndTheProblem(@TempDir Path dir) throws IOException {
        Path rules = dir.resolve("rules.yml");
        Files.writeString(rules, """
                version: broken-1
                reps:
                  - id: ana
                    name: Ana
                    email: ana@example.com
                    weight: -1
                """);

        Throwable failure = catchThrowable(() -> new SpringApplicationBuilder(RoutingServiceApplication.class)
                .web(WebApplicationType.NONE)
                .run("--leadflow.routing.rules=" + rules, "--spring.kafka.bootstrap-servers=localhost:1",
                        "--spring.kafka.streams.auto-startup=false", "--leadflow.kafka.declare-topics=false",
                        "--spring.kafka.streams.state-dir=" + dir.resolve("state"))
                .close());

        InvalidRulesException invalid = findCause(failure);
        assertThat(invalid.getMessage()).contains(rules.toString())
                .contains("line 6: reps[0].weight: must be 0 or more, was -1")
                .contains("'pipeline' is required");
        assertThat(new RulesFailureAnalyzer().analyze(failure).getAction()).contains("LEADFLOW_ROUTING_RULES");
    }

    private static InvalidRulesException findCause(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof InvalidRulesException invalid) {
                return invalid;
            }
        }
        throw new AssertionError("start-up did not fail on the rules file", failure);
    }
}
