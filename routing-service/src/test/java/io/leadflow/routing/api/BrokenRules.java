package io.leadflow.routing.api;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.http.HttpResponse;

import static io.leadflow.routing.RulesFiles.defaults;
import static io.leadflow.routing.RulesFiles.lineOf;
import static org.assertj.core.api.Assertions.assertThat;

/** The handbook's rules with two mistakes, and the problem any API given them answers: each mistake with its line. */
final class BrokenRules {

    /** A negative weight and a misspelt condition. */
    static final String YAML = defaults().replaceFirst("weight: 1 ", "weight: -2 ")
            .replace("when: { yCombinator: true }", "when: { yCombinatr: true }");

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private BrokenRules() {
    }

    /** A 400 problem naming the body, listing the two mistakes of {@link #YAML} with their lines; returns the problem. */
    static JsonNode assertBothProblemsListed(HttpResponse<String> response) {
        JsonNode problem = JSON.readTree(response.body());
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(problem.path("field").asString()).isEqualTo("body");
        assertThat(problem.path("problems")).satisfiesExactly(
                weight -> {
                    assertThat(weight.path("line").asInt()).isEqualTo(lineOf(YAML, "weight: -2"));
                    assertThat(weight.path("path").asString()).isEqualTo("reps[0].weight");
                    assertThat(weight.path("message").asString()).isEqualTo("must be 0 or more, was -2");
                },
                condition -> {
                    assertThat(condition.path("line").asInt()).isEqualTo(lineOf(YAML, "yCombinatr"));
                    assertThat(condition.path("message").asString()).startsWith("unknown condition 'yCombinatr'");
                });
        return problem;
    }
}
