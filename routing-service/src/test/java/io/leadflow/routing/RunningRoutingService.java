package io.leadflow.routing;

import io.leadflow.testing.KafkaBrokers;
import io.leadflow.testing.WithKafkaBroker;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The whole service on the test JVM's real broker, for every test class that needs it. The classes share this one
 * Spring context, so one Kafka Streams instance routes: two contexts would be two instances of the same application
 * splitting the routing lane between them.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@WithKafkaBroker
public abstract class RunningRoutingService {

    public static final String REGISTRY = "mock://routing-service";
    /** As in production, the service listens on every interface with an admin token, which the API needs. */
    public static final String TOKEN = "routing-test-admin-token";
    /** The key people are named by in erasures (at least 32 bytes). */
    public static final String PRIVACY_KEY = "routing-service-tests-privacy-key-32-bytes";

    private static final Path STATE_DIR = stateDir();

    @DynamicPropertySource
    static void kafka(DynamicPropertyRegistry registry) {
        registry.add("spring.kafka.bootstrap-servers", () -> KafkaBrokers.shared().bootstrapServers());
        registry.add("spring.kafka.properties.schema.registry.url", () -> REGISTRY);
        registry.add("spring.kafka.streams.state-dir", STATE_DIR::toString);
        registry.add("spring.kafka.streams.replication-factor", () -> "1");
        registry.add("leadflow.admin.token", () -> TOKEN);
        registry.add("leadflow.privacy.key", () -> PRIVACY_KEY);
    }

    private static Path stateDir() {
        try {
            Path dir = Files.createTempDirectory("routing-service-tests");
            dir.toFile().deleteOnExit();
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
