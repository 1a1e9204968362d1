package io.leadflow.crm;

import io.leadflow.testing.KafkaBrokers;
import io.leadflow.testing.WithKafkaBroker;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.util.UUID;

/**
 * The one Spring context every crm-sync test shares: a real Kafka broker, an in-memory schema registry, HubSpot
 * played by the hubspot-sandbox ({@link HubSpotPortal}; crm-sync creates its properties there at start-up), and an admin token, as in production (the server listens on every interface).
 * Windows and back-offs are shrunk (rate limit 20 requests a second in slices of 200 ms, retries from 20 ms, circuit
 * open for 1 s, refused credentials probed every 200 ms) so the suite never waits out HubSpot's real 10-second windows.
 */
@WithKafkaBroker
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
public abstract class SpringTests {

    private static final String GROUP = "crm-sync-tests-" + UUID.randomUUID();

    protected static final HubSpotPortal hubspot = HubSpotPortal.shared();
    protected static final String ADMIN_TOKEN = "crm-sync-test-admin-token";
    protected static final String PRIVACY_KEY = "crm-sync-tests-privacy-key-0123456789";

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("spring.kafka.bootstrap-servers", () -> KafkaBrokers.shared().bootstrapServers());
        registry.add("spring.kafka.properties.schema.registry.url", () -> "mock://crm-sync-tests");
        registry.add("spring.kafka.consumer.group-id", () -> GROUP);
        registry.add("leadflow.crm.hubspot.base-url", hubspot::baseUrl);
        registry.add("leadflow.crm.hubspot.token", () -> HubSpotPortal.TOKEN);
        registry.add("leadflow.crm.hubspot.portal-id", () -> HubSpotPortal.PORTAL_ID);
        registry.add("leadflow.crm.hubspot.create-properties", () -> "true");
        registry.add("leadflow.admin.token", () -> ADMIN_TOKEN);
        registry.add("leadflow.privacy.key", () -> PRIVACY_KEY);
        registry.add("leadflow.crm.rate-limit.max-requests", () -> "20");
        registry.add("leadflow.crm.rate-limit.window", () -> "1s");
        registry.add("leadflow.crm.rate-limit.slices", () -> "5");
        registry.add("leadflow.crm.rate-limit.reserve", () -> "2");
        registry.add("leadflow.crm.rate-limit.min-remaining", () -> "0");
        registry.add("leadflow.crm.retry.max-attempts", () -> "5");
        registry.add("leadflow.crm.retry.initial", () -> "20ms");
        registry.add("leadflow.crm.retry.max", () -> "200ms");
        registry.add("leadflow.crm.circuit.sliding-window-size", () -> "10");
        registry.add("leadflow.crm.circuit.minimum-calls", () -> "5");
        registry.add("leadflow.crm.circuit.wait-in-open", () -> "1s");
        registry.add("leadflow.crm.circuit.half-open-calls", () -> "2");
        registry.add("leadflow.crm.hubspot.auth-probe-interval", () -> "200ms");
    }
}
