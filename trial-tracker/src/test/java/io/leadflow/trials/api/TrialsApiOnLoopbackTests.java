package io.leadflow.trials.api;

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
 * The trials API is always protected: even listening on loopback only, with no token configured every call is
 * refused, saying LEADFLOW_ADMIN_TOKEN must be set. The stream does not start in this context.
 */
@WithKafkaBroker
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "server.address=127.0.0.1", "leadflow.admin.token=", "spring.kafka.streams.auto-startup=false"})
class TrialsApiOnLoopbackTests {

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void kafka(DynamicPropertyRegistry registry) {
        StreamsTestProperties.register(registry, "mock://trial-tracker-loopback", "trials-loopback");
    }

    @Test
    void everyTrialsCallIsRefusedUntilATokenIsSetEvenOnLoopback() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        for (HttpRequest request : new HttpRequest[] {
                HttpRequest.newBuilder(uri("/trials")).GET().build(),
                HttpRequest.newBuilder(uri("/trials")).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"dealId\":\"1\",\"deployment\":\"cloud\"}")).build(),
                HttpRequest.newBuilder(uri("/trials")).header("Authorization", "Bearer anything").GET().build()}) {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());

            assertThat(response.statusCode()).isEqualTo(401);
            assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
            assertThat(JsonMapper.builder().build().readTree(response.body()).path("detail").asString())
                    .startsWith("LEADFLOW_ADMIN_TOKEN must be set");
        }
        assertThat(http.send(HttpRequest.newBuilder(uri("/actuator/health")).build(), HttpResponse.BodyHandlers.ofString()).statusCode())
                .isNotEqualTo(401);
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }
}
