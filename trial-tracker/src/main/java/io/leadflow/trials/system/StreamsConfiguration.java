package io.leadflow.trials.system;

import io.leadflow.platform.kafka.DeadLetters;
import io.leadflow.platform.streams.InstanceQueries;
import io.leadflow.platform.web.AdminAccessProperties;
import io.leadflow.trials.topology.TrialObserver;
import io.leadflow.trials.topology.TrialStores;
import io.leadflow.trials.topology.TrialTopology;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.annotation.EnableKafkaStreams;
import org.springframework.kafka.annotation.KafkaStreamsDefaultConfiguration;
import org.springframework.kafka.config.KafkaStreamsConfiguration;
import org.springframework.kafka.config.KafkaStreamsInfrastructureCustomizer;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;
import org.springframework.kafka.config.StreamsBuilderFactoryBeanConfigurer;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaOperations;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.streams.RecoveringDeserializationExceptionHandler;

import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/**
 * The Kafka Streams application {@code leadflow-trials}: {@code exactly_once_v2}, state under
 * {@code spring.kafka.streams.state-dir} ({@code LEADFLOW_TRIALS_STATE_DIR}), undecodable input records to
 * {@code <topic>.dlt}, and a client that shuts down (health DOWN, so the orchestrator restarts it) on an error it
 * cannot handle; the restart resumes from the last commit.
 */
@Configuration(proxyBeanMethods = false)
@EnableKafkaStreams
@EnableConfigurationProperties(TrialsProperties.class)
class StreamsConfiguration {

    private static final Logger log = LoggerFactory.getLogger(StreamsConfiguration.class);
    static final String APPLICATION_ID = "leadflow-trials";

    @Bean(name = KafkaStreamsDefaultConfiguration.DEFAULT_STREAMS_CONFIG_BEAN_NAME)
    KafkaStreamsConfiguration defaultKafkaStreamsConfig(KafkaProperties kafka) {
        Map<String, Object> props = new HashMap<>(kafka.buildStreamsProperties());
        props.putIfAbsent(StreamsConfig.APPLICATION_ID_CONFIG, APPLICATION_ID);
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, RecoveringDeserializationExceptionHandler.class);
        props.put(RecoveringDeserializationExceptionHandler.KSTREAM_DESERIALIZATION_RECOVERER,
                DeadLetters.recoverer(Map.of(byte[].class, deadLetterTemplate(kafka))));
        return new KafkaStreamsConfiguration(props);
    }

    /** Raw key and value bytes to {@code <topic>.dlt}, same partition. */
    private static KafkaOperations<byte[], byte[]> deadLetterTemplate(KafkaProperties kafka) {
        Map<String, Object> props = new HashMap<>(kafka.buildProducerProperties());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        props.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
        return new KafkaTemplate<>(new DefaultKafkaProducerFactory<>(props));
    }

    @Bean
    TrialMetrics trialMetrics(MeterRegistry registry) {
        return new TrialMetrics(registry);
    }

    @Bean
    TrialTopology trialTopology(KafkaStreamsConfiguration defaultKafkaStreamsConfig, TrialsProperties properties,
                                TrialObserver observer) {
        Map<String, Object> serdes = new HashMap<>();
        defaultKafkaStreamsConfig.asProperties().forEach((k, v) -> serdes.put(String.valueOf(k), v));
        if (!properties.privacy().configured()) {
            log.warn("LEADFLOW_PRIVACY_KEY is not set: erasures are reported failed and old leads of erased people are not recognised");
        }
        return new TrialTopology(properties.topologySettings(), serdes, observer).withPrivacy(
                properties.privacy().subjects(), Clock.systemUTC());
    }

    @Bean
    StreamsBuilderFactoryBeanConfigurer trialStreamsConfigurer(TrialTopology topology) {
        return factory -> {
            factory.setInfrastructureCustomizer(new KafkaStreamsInfrastructureCustomizer() {
                @Override
                public void configureBuilder(StreamsBuilder builder) {
                    topology.addTo(builder);
                }

                @Override
                public void configureTopology(Topology built) {
                    topology.complete(built);
                }
            });
            factory.setStreamsUncaughtExceptionHandler(e -> {
                log.error("Kafka Streams failed; shutting the client down so it restarts from the last commit", e);
                return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
            });
            factory.setStateListener((now, before) -> log.info("Kafka Streams {} -> {}", before, now));
        };
    }

    @Bean
    TrialStores trialStores(StreamsBuilderFactoryBean factory) {
        return new TrialStores(factory::getKafkaStreams);
    }

    @Bean
    InstanceQueries instanceQueries(StreamsBuilderFactoryBean factory, AdminAccessProperties admin, TrialsProperties properties) {
        return new InstanceQueries(factory, admin, properties.forwardTimeout());
    }

    @Bean
    Gauge activeTrials(MeterRegistry registry, TrialStores stores) {
        return Gauge.builder("leadflow.trials.active", stores, TrialStores::countActive)
                .description("Running trials on this instance's partitions (-1 while the stores are not ready)")
                .register(registry);
    }

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }
}
