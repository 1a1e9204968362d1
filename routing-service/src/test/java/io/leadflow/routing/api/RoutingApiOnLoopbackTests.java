package io.leadflow.routing.api;

import io.leadflow.testing.StreamsTestProperties;
import io.leadflow.testing.WithKafkaBroker;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Listening on loopback only, with no admin token configured, the API answers the local user without one. The
 * stream is not started here (the preview needs only the rules), so this context routes nothing.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "server.address=127.0.0.1", "leadflow.admin.token=", "spring.kafka.streams.auto-startup=false"})
@WithKafkaBroker
class RoutingApiOnLoopbackTests {

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void kafka(DynamicPropertyRegistry registry) {
        // the one registry of every routing application on the shared broker: routing.rules records must read everywhere
        StreamsTestProperties.register(registry, io.leadflow.routing.RunningRoutingService.REGISTRY, "routing-loopback");
    }

    @Test
    void thePreviewAnswersWithoutATokenOnLoopback() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/routing/preview")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"email\": \"ada@initech.io\", \"planInterest\": \"enterprise\"}")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(JsonMapper.builder().build().readTree(response.body()).path("pipeline").asString()).isEqualTo("HANDS_ON");
    }
}
