package io.leadflow.testing;

import org.springframework.test.context.DynamicPropertyRegistry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/** What a Kafka Streams service's Spring test needs to run on the shared broker as an application of its own. */
public final class StreamsTestProperties {

    private StreamsTestProperties() {
    }

    /**
     * The shared broker, the schema registry {@code registry}, a fresh application id starting with
     * {@code applicationIdPrefix} and a fresh state directory.
     */
    public static void register(DynamicPropertyRegistry properties, String registry, String applicationIdPrefix) {
        Path stateDir;
        try {
            stateDir = Files.createTempDirectory(applicationIdPrefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        properties.add("spring.kafka.bootstrap-servers", () -> KafkaBrokers.shared().bootstrapServers());
        properties.add("spring.kafka.properties.schema.registry.url", () -> registry);
        properties.add("spring.kafka.streams.application-id", () -> applicationIdPrefix + "-" + UUID.randomUUID());
        properties.add("spring.kafka.streams.state-dir", stateDir::toString);
    }
}
