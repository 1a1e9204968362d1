package io.leadflow.registry;

import io.leadflow.schemas.Topics;
import io.leadflow.schemas.registry.CompatibilityLevel;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Settings of the embedded schema registry.
 *
 * @param bootstrapServers     Kafka bootstrap servers holding the store topic
 * @param host                 address the HTTP listener binds to
 * @param port                 HTTP port; 0 picks a free one (see {@link SchemaRegistryServer#port()})
 * @param topic                the compacted store topic, {@code _schemas} like Confluent's {@code kafkastore.topic}
 * @param replicationFactor    replication of the store topic when the registry creates it
 * @param defaultCompatibility global compatibility level until one is set through {@code PUT /config}
 * @param timeout              how long start-up replay and each write's read-back may take
 * @param kafkaProperties      extra Kafka client settings (security, client.id, ...) for the producer, consumer and admin
 */
public record SchemaRegistryConfig(String bootstrapServers, String host, int port, String topic, short replicationFactor,
                                   CompatibilityLevel defaultCompatibility, Duration timeout, Map<String, Object> kafkaProperties) {

    public static final int DEFAULT_PORT = 8081;

    public SchemaRegistryConfig {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        if (bootstrapServers.isBlank()) {
            throw new IllegalArgumentException("bootstrapServers must name at least one Kafka broker");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be between 0 and 65535, was " + port);
        }
        if (topic == null || topic.isBlank()) {
            throw new IllegalArgumentException("topic must not be blank");
        }
        if (replicationFactor < 1) {
            throw new IllegalArgumentException("replicationFactor must be at least 1, was " + replicationFactor);
        }
        host = host == null || host.isBlank() ? "0.0.0.0" : host;
        defaultCompatibility = defaultCompatibility == null ? CompatibilityLevel.BACKWARD : defaultCompatibility;
        timeout = timeout == null ? Duration.ofSeconds(30) : timeout;
        kafkaProperties = kafkaProperties == null ? Map.of() : Map.copyOf(kafkaProperties);
    }

    /** Defaults for the embedded stack: port 8081, topic {@code _schemas} with replication 1, BACKWARD. */
    public static SchemaRegistryConfig defaults(String bootstrapServers) {
        return new SchemaRegistryConfig(bootstrapServers, "0.0.0.0", DEFAULT_PORT, Topics.SCHEMAS, (short) 1,
                CompatibilityLevel.BACKWARD, Duration.ofSeconds(30), Map.of());
    }

    /**
     * From environment variables: {@code LEADFLOW_KAFKA_BOOTSTRAP_SERVERS} (localhost:9092),
     * {@code LEADFLOW_SCHEMA_REGISTRY_HOST} (0.0.0.0), {@code LEADFLOW_SCHEMA_REGISTRY_PORT} (8081),
     * {@code LEADFLOW_SCHEMA_REGISTRY_TOPIC} (_schemas), {@code LEADFLOW_SCHEMA_REGISTRY_REPLICATION_FACTOR} (1),
     * {@code LEADFLOW_SCHEMA_REGISTRY_COMPATIBILITY} (BACKWARD), {@code LEADFLOW_SCHEMA_REGISTRY_TIMEOUT_MS} (30000).
     */
    public static SchemaRegistryConfig fromEnvironment(Map<String, String> env) {
        return new SchemaRegistryConfig(
                env.getOrDefault("LEADFLOW_KAFKA_BOOTSTRAP_SERVERS", "localhost:9092"),
                env.getOrDefault("LEADFLOW_SCHEMA_REGISTRY_HOST", "0.0.0.0"),
                integer(env, "LEADFLOW_SCHEMA_REGISTRY_PORT", DEFAULT_PORT),
                env.getOrDefault("LEADFLOW_SCHEMA_REGISTRY_TOPIC", Topics.SCHEMAS),
                (short) integer(env, "LEADFLOW_SCHEMA_REGISTRY_REPLICATION_FACTOR", 1),
                level(env.getOrDefault("LEADFLOW_SCHEMA_REGISTRY_COMPATIBILITY", "BACKWARD")),
                Duration.ofMillis(integer(env, "LEADFLOW_SCHEMA_REGISTRY_TIMEOUT_MS", 30_000)),
                Map.of());
    }

    public SchemaRegistryConfig withPort(int port) {
        return new SchemaRegistryConfig(bootstrapServers, host, port, topic, replicationFactor, defaultCompatibility, timeout, kafkaProperties);
    }

    public SchemaRegistryConfig withHost(String host) {
        return new SchemaRegistryConfig(bootstrapServers, host, port, topic, replicationFactor, defaultCompatibility, timeout, kafkaProperties);
    }

    public SchemaRegistryConfig withTopic(String topic) {
        return new SchemaRegistryConfig(bootstrapServers, host, port, topic, replicationFactor, defaultCompatibility, timeout, kafkaProperties);
    }

    private static int integer(Map<String, String> env, String name, int fallback) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, was '" + value + "'", e);
        }
    }

    private static CompatibilityLevel level(String value) {
        try {
            return CompatibilityLevel.valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("LEADFLOW_SCHEMA_REGISTRY_COMPATIBILITY must be one of "
                    + java.util.Arrays.toString(CompatibilityLevel.values()) + ", was '" + value + "'", e);
        }
    }
}
