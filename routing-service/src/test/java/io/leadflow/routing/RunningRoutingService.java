package io.leadflow.routing;

import io.leadflow.avro.LeadReceived;
import io.leadflow.schemas.Topics;
import io.leadflow.schemas.serde.AvroSerializer;
import io.leadflow.testing.KafkaBrokers;
import io.leadflow.testing.WithKafkaBroker;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

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

    @LocalServerPort
    protected int port;

    protected final HttpClient http = HttpClient.newHttpClient();
    protected final JsonMapper json = JsonMapper.builder().build();

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

    protected URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }

    /** A request with the admin token. */
    protected HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + TOKEN);
    }

    /** A producer to {@code leads.received}, as lead-intake writes it: string keys, Avro values. */
    protected static KafkaProducer<String, LeadReceived> producer() {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBrokers.shared().bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, AvroSerializer.class,
                "schema.registry.url", REGISTRY));
    }

    protected static void publish(LeadReceived lead) {
        try (KafkaProducer<String, LeadReceived> producer = producer()) {
            producer.send(new ProducerRecord<>(Topics.LEADS_RECEIVED.name(), lead.getLeadId(), lead));
        }
    }
}
