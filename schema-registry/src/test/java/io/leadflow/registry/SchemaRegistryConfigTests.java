package io.leadflow.registry;

import io.leadflow.schemas.registry.CompatibilityLevel;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SchemaRegistryConfigTests {

    @Test
    void defaultsMatchTheEmbeddedStack() {
        SchemaRegistryConfig config = SchemaRegistryConfig.fromEnvironment(Map.of());

        assertThat(config.bootstrapServers()).isEqualTo("localhost:9092");
        assertThat(config.port()).isEqualTo(8081);
        assertThat(config.host()).isEqualTo("0.0.0.0");
        assertThat(config.topic()).isEqualTo("_schemas");
        assertThat(config.replicationFactor()).isEqualTo((short) 1);
        assertThat(config.defaultCompatibility()).isEqualTo(CompatibilityLevel.BACKWARD);
        assertThat(config.timeout()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void readsEveryEnvironmentVariable() {
        SchemaRegistryConfig config = SchemaRegistryConfig.fromEnvironment(Map.of(
                "LEADFLOW_KAFKA_BOOTSTRAP_SERVERS", "kafka:29092",
                "LEADFLOW_SCHEMA_REGISTRY_HOST", "127.0.0.1",
                "LEADFLOW_SCHEMA_REGISTRY_PORT", "18081",
                "LEADFLOW_SCHEMA_REGISTRY_TOPIC", "_schemas_local",
                "LEADFLOW_SCHEMA_REGISTRY_REPLICATION_FACTOR", "3",
                "LEADFLOW_SCHEMA_REGISTRY_COMPATIBILITY", "full_transitive",
                "LEADFLOW_SCHEMA_REGISTRY_TIMEOUT_MS", "5000"));

        assertThat(config).isEqualTo(new SchemaRegistryConfig("kafka:29092", "127.0.0.1", 18081, "_schemas_local", (short) 3,
                CompatibilityLevel.FULL_TRANSITIVE, Duration.ofSeconds(5), Map.of()));
    }

    @Test
    void rejectsValuesThatCannotWorkNamingTheVariable() {
        assertThatThrownBy(() -> SchemaRegistryConfig.fromEnvironment(Map.of("LEADFLOW_SCHEMA_REGISTRY_PORT", "http")))
                .hasMessageContaining("LEADFLOW_SCHEMA_REGISTRY_PORT");
        assertThatThrownBy(() -> SchemaRegistryConfig.fromEnvironment(Map.of("LEADFLOW_SCHEMA_REGISTRY_COMPATIBILITY", "SIDEWAYS")))
                .hasMessageContaining("LEADFLOW_SCHEMA_REGISTRY_COMPATIBILITY");
        assertThatThrownBy(() -> SchemaRegistryConfig.fromEnvironment(Map.of("LEADFLOW_SCHEMA_REGISTRY_PORT", "70000")))
                .hasMessageContaining("port");
    }
}
