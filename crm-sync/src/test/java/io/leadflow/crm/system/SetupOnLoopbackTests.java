package io.leadflow.crm.system;

import io.leadflow.crm.HubSpotPortal;
import io.leadflow.testing.KafkaBrokers;
import io.leadflow.testing.WithKafkaBroker;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Listening on loopback only with no admin token configured, the set-up endpoints answer the local user without one.
 * The listeners do not start here: this context syncs nothing.
 */
@WithKafkaBroker
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "server.address=127.0.0.1", "leadflow.admin.token=", "spring.kafka.listener.auto-startup=false"})
class SetupOnLoopbackTests {

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("spring.kafka.bootstrap-servers", () -> KafkaBrokers.shared().bootstrapServers());
        registry.add("spring.kafka.properties.schema.registry.url", () -> "mock://crm-sync-loopback");
        registry.add("spring.kafka.consumer.group-id", () -> "crm-sync-loopback-" + UUID.randomUUID());
        registry.add("leadflow.crm.hubspot.base-url", HubSpotPortal.shared()::baseUrl);
        registry.add("leadflow.crm.hubspot.token", () -> HubSpotPortal.TOKEN);
        registry.add("leadflow.crm.hubspot.portal-id", () -> HubSpotPortal.PORTAL_ID);
    }

    @Test
    void theSetUpCheckAnswersWithoutATokenOnLoopback() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/crm/setup")).GET().build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).contains("\"problems\"");
    }
}
