package io.leadflow.benchmarks;

import io.leadflow.localstack.system.EmbeddedService;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.annotation.KafkaStreamsDefaultConfiguration;
import org.springframework.kafka.config.KafkaStreamsConfiguration;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * Starts a Leadflow service in this JVM on a free port. Every service jar carries its own
 * {@code application.yml}, so the service is pointed at its own (local-stack's {@link EmbeddedService}
 * does that); settings go in as command-line arguments, which win over application.yml.
 */
final class Services {

    private Services() {
    }

    static EmbeddedService start(String name, Class<?> application, String bootstrapServers, String registryUrl,
                                 Map<String, String> settings) {
        Map<String, String> all = new LinkedHashMap<>();
        all.put("spring.kafka.bootstrap-servers", bootstrapServers);
        all.put("spring.kafka.properties.schema.registry.url", registryUrl);
        all.put("spring.main.banner-mode", "off");
        all.put("spring.jmx.enabled", "false");
        // Benchmarked services are reached on this machine only.
        all.put("server.address", "127.0.0.1");
        all.putAll(settings);
        return new EmbeddedService(name, application, 0, all).start();
    }

    static int port(EmbeddedService service) {
        return Integer.parseInt(service.context().getEnvironment().getProperty("local.server.port"));
    }

    static ConfigurableApplicationContext context(EmbeddedService service) {
        return service.context();
    }

    /** A Kafka Streams service's threads, commit interval and poll time (its defaults, or what the environment set). */
    static String streamsSettings(EmbeddedService service) {
        Properties streams = context(service).getBean(KafkaStreamsDefaultConfiguration.DEFAULT_STREAMS_CONFIG_BEAN_NAME,
                KafkaStreamsConfiguration.class).asProperties();
        return String.format("%s stream threads, commit.interval.ms %s, poll.ms %s, producer batch.size %s",
                streams.getOrDefault(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1), streams.get(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG),
                streams.getOrDefault(StreamsConfig.POLL_MS_CONFIG, 100),
                streams.getOrDefault(StreamsConfig.producerPrefix(ProducerConfig.BATCH_SIZE_CONFIG), 16_384));
    }
}
