package io.leadflow.intake.publish;

import io.leadflow.avro.LeadReceived;
import io.leadflow.intake.IntakeIntegrationTest;
import io.leadflow.intake.Published;
import io.leadflow.intake.Webhooks;
import io.leadflow.schemas.LeadIds;
import io.leadflow.schemas.Topics;
import io.leadflow.testing.KafkaBrokers;
import io.leadflow.testing.WithKafkaBroker;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With no broker listening, a webhook is answered 503 with Retry-After and nothing is accepted; once the
 * broker is reachable at that address, the provider's retry is acknowledged and the lead is on the topic
 * exactly once. A context of its own, bootstrapped through a port where at first nothing listens and
 * later a TCP relay to the test broker does (the broker then advertises its own address, as a real one
 * coming back would).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
@WithKafkaBroker
class BrokerOutageTests {

    static final int KAFKA_PORT = freePort();
    /** The same in-memory registry as the other tests: they all read leads.received of the shared broker. */
    static final String REGISTRY = IntakeIntegrationTest.REGISTRY;
    static TcpRelay relay;

    @LocalServerPort
    int port;

    @Autowired
    ObjectMapper json;

    @DynamicPropertySource
    static void deadBroker(DynamicPropertyRegistry registry) {
        registry.add("spring.kafka.bootstrap-servers", () -> "localhost:" + KAFKA_PORT);
        registry.add("spring.kafka.properties.schema.registry.url", () -> REGISTRY);
        registry.add("spring.kafka.producer.properties.max.block.ms", () -> "1000");
        registry.add("spring.kafka.producer.properties.request.timeout.ms", () -> "1000");
        registry.add("spring.kafka.producer.properties.delivery.timeout.ms", () -> "1500");
        registry.add("spring.kafka.producer.properties.reconnect.backoff.max.ms", () -> "200");
        registry.add("leadflow.kafka.declare-topics", () -> "false");
        registry.add("spring.kafka.admin.auto-create", () -> "false");
        registry.add("leadflow.intake.publish-timeout", () -> "2s");
        registry.add("leadflow.intake.retry-after", () -> "7s");
        registry.add("leadflow.intake.secrets.website", () -> Webhooks.WEBSITE_SECRET);
        registry.add("leadflow.intake.secrets.hubspot", () -> "");
    }

    @AfterAll
    static void stopBroker() {
        if (relay != null) {
            relay.close();
        }
    }

    @Test
    void answers503WithRetryAfterWhileTheBrokerIsDownAndPublishesTheRetryOnceItIsBack() {
        String submissionId = "outage-" + UUID.randomUUID();
        String form = "{\"submissionId\": \"" + submissionId + "\", \"email\": \"ops@initech.com\", \"planInterest\": \"scale\"}";
        Webhooks webhooks = new Webhooks(port);

        HttpResponse<String> whileDown = webhooks.website(form);

        assertThat(whileDown.statusCode()).as(whileDown.body()).isEqualTo(503);
        assertThat(whileDown.headers().firstValue("Retry-After")).hasValue("7");
        assertThat(whileDown.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));

        relay = new TcpRelay(KAFKA_PORT, KafkaBrokers.shared().bootstrapServers());
        AtomicReference<HttpResponse<String>> retry = new AtomicReference<>();
        Awaitility.await().atMost(Duration.ofSeconds(25)).pollInterval(Duration.ofMillis(500)).until(() -> {
            retry.set(webhooks.website(form));
            return retry.get().statusCode() == 202;
        });

        String leadId = LeadIds.leadId("WEBSITE_FORM", submissionId);
        assertThat(json.readTree(retry.get().body()).get("leadId").asString()).isEqualTo(leadId);
        Published published = new Published(KafkaBrokers.shared().bootstrapServers(), REGISTRY);
        assertThat(published.awaitValues(Topics.LEADS_RECEIVED, leadId, LeadReceived.class)).hasSize(1);
    }

    @Test
    void answers503SourceNotConfiguredForASourceWithoutSecret() {
        HttpResponse<String> response = new Webhooks(port).postJson("/webhooks/hubspot", "[]");

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("Retry-After")).isPresent();
        assertThat(json.readTree(response.body()).get("detail").asString())
                .contains("source not configured", "LEADFLOW_HUBSPOT_CLIENT_SECRET");
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
