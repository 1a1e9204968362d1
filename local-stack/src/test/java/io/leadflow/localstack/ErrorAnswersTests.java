package io.leadflow.localstack;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every service and the console share the platform's server defaults: requests Tomcat refuses before any
 * application code runs are answered as problem+json, and stalled reads time out.
 */
class ErrorAnswersTests {

    static final JsonMapper JSON = JsonMapper.builder().build();

    final LocalStack stack = RunningStack.get();

    @Test
    void anEncodedSlashOrOversizedHeadersAreProblemsInEveryServiceAndTheConsole() {
        for (Map.Entry<String, String> server : servers().entrySet()) {
            HttpResponse<String> encodedSlash = Http.send("GET", server.getValue() + "/a%2fb", null);
            HttpResponse<String> bigHeader = Http.send("GET", server.getValue() + "/actuator/health", null, "X-Big", "x".repeat(9 * 1024));

            for (HttpResponse<String> response : java.util.List.of(encodedSlash, bigHeader)) {
                assertThat(response.statusCode()).as(server.getKey() + " " + response.request().uri()).isEqualTo(400);
                assertThat(response.headers().firstValue("Content-Type")).as(server.getKey())
                        .hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
                JsonNode problem = JSON.readTree(response.body());
                assertThat(problem.path("status").asInt()).isEqualTo(400);
                assertThat(response.body()).doesNotContainIgnoringCase("tomcat").doesNotContain("Exception");
            }
        }
    }

    @Test
    void everyServiceTimesOutStalledReads() {
        stack.services().forEach((name, context) ->
                assertThat(context.getEnvironment().getProperty("server.tomcat.connection-timeout")).as(name).isEqualTo("5s"));
    }

    Map<String, String> servers() {
        Map<String, String> servers = new LinkedHashMap<>();
        stack.services().keySet().forEach(name -> servers.put(name, stack.serviceUrl(name)));
        servers.put("console", stack.consoleUrl());
        return servers;
    }
}
