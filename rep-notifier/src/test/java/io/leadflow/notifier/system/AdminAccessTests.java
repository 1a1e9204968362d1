package io.leadflow.notifier.system;

import io.leadflow.notifier.SandboxSlack;
import io.leadflow.testing.KafkaBrokers;
import io.leadflow.testing.WithKafkaBroker;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.NestedTestConfiguration;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * rep-notifier serves health, info and metrics, which stay open; anything else it serves is an admin endpoint. The
 * listeners do not start in these contexts (nothing is delivered), and each is closed after its tests, while the
 * broker still runs.
 */
class AdminAccessTests {

    static final String TOKEN = "notifier-test-admin-token";
    static final JsonMapper JSON = JsonMapper.builder().build();
    static final HttpClient HTTP = HttpClient.newHttpClient();

    static void kafkaAndSlack(DynamicPropertyRegistry registry) {
        registry.add("spring.kafka.bootstrap-servers", () -> KafkaBrokers.shared().bootstrapServers());
        registry.add("spring.kafka.properties.schema.registry.url", () -> "mock://rep-notifier-access");
        registry.add("spring.kafka.consumer.group-id", () -> "rep-notifier-access-" + UUID.randomUUID());
        registry.add("spring.kafka.listener.auto-startup", () -> "false");
        registry.add("leadflow.notifier.slack.base-url", () -> "http://127.0.0.1:9/api");
        registry.add("leadflow.notifier.slack.bot-token", () -> SandboxSlack.TOKEN);
    }

    static HttpResponse<String> get(int port, String path, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Nested
    @NestedTestConfiguration(NestedTestConfiguration.EnclosingConfiguration.OVERRIDE)
    @DirtiesContext
    @WithKafkaBroker
    @SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "leadflow.admin.token=" + TOKEN)
    class BeyondLoopback {

        @LocalServerPort
        int port;

        @DynamicPropertySource
        static void properties(DynamicPropertyRegistry registry) {
            kafkaAndSlack(registry);
        }

        @Test
        void healthInfoAndMetricsAreOpenAndEverythingElseNeedsTheToken() throws Exception {
            for (String open : new String[] {"/actuator/health", "/actuator/info", "/actuator/prometheus"}) {
                assertThat(get(port, open, null).statusCode()).as(open).isNotEqualTo(401);
            }
            for (String authorization : new String[] {null, "Bearer not-" + TOKEN}) {
                HttpResponse<String> refused = get(port, "/alerts", authorization);
                assertThat(refused.statusCode()).isEqualTo(401);
                assertThat(refused.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
                assertThat(refused.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"leadflow\"");
                assertThat(JSON.readTree(refused.body()).path("field").asString()).isEqualTo("Authorization");
            }
            HttpResponse<String> allowed = get(port, "/alerts", "Bearer " + TOKEN);
            assertThat(allowed.statusCode()).as("past the token check, nothing is served there").isEqualTo(404);
            assertThat(allowed.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
        }
    }

    @Nested
    @NestedTestConfiguration(NestedTestConfiguration.EnclosingConfiguration.OVERRIDE)
    @DirtiesContext
    @WithKafkaBroker
    @SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {"server.address=127.0.0.1", "leadflow.admin.token="})
    class OnLoopback {

        @LocalServerPort
        int port;

        @DynamicPropertySource
        static void properties(DynamicPropertyRegistry registry) {
            kafkaAndSlack(registry);
        }

        @Test
        void withoutATokenNothingIsRefused() throws Exception {
            assertThat(get(port, "/alerts", null).statusCode()).isEqualTo(404);
            assertThat(get(port, "/actuator/health", null).statusCode()).isNotEqualTo(401);
        }
    }
}
