package io.leadflow.intake;

import io.leadflow.intake.slack.SlackRequests;
import io.leadflow.testing.KafkaBrokers;
import io.leadflow.testing.WithKafkaBroker;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The one Spring context the webhook tests share: the whole service on a random port, a real Kafka
 * broker, the in-memory schema registry, and a test secret for every source (the website's and Slack's with an
 * old one still valid, as during a rotation).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@WithKafkaBroker
public abstract class IntakeIntegrationTest {

    public static final String REGISTRY = "mock://lead-intake";
    public static final String NEXT_STEP_SECRET = "next-step-test-secret";
    public static final String WEBSITE_ORIGIN = "https://www.leadflow.example";

    @LocalServerPort
    protected int port;

    @DynamicPropertySource
    static void kafkaAndSecrets(DynamicPropertyRegistry registry) {
        registry.add("spring.kafka.bootstrap-servers", () -> KafkaBrokers.shared().bootstrapServers());
        registry.add("spring.kafka.properties.schema.registry.url", () -> REGISTRY);
        registry.add("leadflow.intake.secrets.website", () -> Webhooks.WEBSITE_SECRET + "," + Webhooks.WEBSITE_OLD_SECRET);
        registry.add("leadflow.intake.secrets.calendly", () -> Webhooks.CALENDLY_KEY);
        registry.add("leadflow.intake.secrets.calcom", () -> Webhooks.CALCOM_SECRET);
        registry.add("leadflow.intake.secrets.mailgun", () -> Webhooks.MAILGUN_KEY);
        registry.add("leadflow.intake.secrets.sendgrid", Webhooks::sendGridPublicKey);
        registry.add("leadflow.intake.secrets.hubspot", () -> Webhooks.HUBSPOT_SECRET);
        registry.add("leadflow.intake.secrets.slack", () -> SlackRequests.SIGNING_SECRET + "," + SlackRequests.OLD_SIGNING_SECRET);
        registry.add("leadflow.intake.max-email-body", () -> "2MB");
        registry.add("leadflow.intake.next-step.secret", () -> NEXT_STEP_SECRET);
        registry.add("leadflow.intake.next-step.allowed-origins", () -> WEBSITE_ORIGIN);
    }

    protected Webhooks webhooks() {
        return new Webhooks(port);
    }

    protected Published published() {
        return new Published(KafkaBrokers.shared().bootstrapServers(), REGISTRY);
    }
}
