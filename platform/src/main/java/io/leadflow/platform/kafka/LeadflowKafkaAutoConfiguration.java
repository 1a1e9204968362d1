package io.leadflow.platform.kafka;

import io.leadflow.schemas.Topic;
import io.leadflow.schemas.Topics;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaOperations;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.core.ProducerFactory;
import org.springframework.kafka.listener.CommonErrorHandler;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.util.backoff.ExponentialBackOff;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What every Leadflow service shares on Kafka: the catalogue's topics (and dead-letter twins) declared
 * on start-up, a health indicator that asks the broker, and one error handler that retries a bounded
 * number of times and then publishes the record, bytes untouched, to {@code <topic>.dlt} (a record of an erased person,
 * whose data key is deleted, is skipped and counted instead).
 */
@AutoConfiguration(after = KafkaAutoConfiguration.class)
@EnableConfigurationProperties(LeadflowKafkaProperties.class)
public class LeadflowKafkaAutoConfiguration {

    @Bean
    @ConditionalOnProperty(prefix = "leadflow.kafka", name = "declare-topics", havingValue = "true", matchIfMissing = true)
    KafkaAdmin.NewTopics leadflowTopics(LeadflowKafkaProperties properties) {
        Optional<Short> replicas = properties.replicationFactor() > 0 ? Optional.of(properties.replicationFactor()) : Optional.empty();
        return new KafkaAdmin.NewTopics(Topics.all().stream()
                .flatMap(t -> java.util.stream.Stream.of(newTopic(t.name(), t, replicas), newTopic(t.deadLetter(), t, replicas)))
                .toArray(NewTopic[]::new));
    }

    private static NewTopic newTopic(String name, Topic<?> topic, Optional<Short> replicas) {
        NewTopic newTopic = new NewTopic(name, Optional.of(topic.partitions()), replicas);
        return newTopic.configs(name.equals(topic.name()) ? topic.creationConfigs() : topic.deadLetterConfigs());
    }

    @Bean
    @ConditionalOnMissingBean(name = "kafkaHealthIndicator")
    @ConditionalOnBean(KafkaAdmin.class)
    KafkaHealthIndicator kafkaHealthIndicator(KafkaAdmin admin, LeadflowKafkaProperties properties,
                                              ObjectProvider<StreamsBuilderFactoryBean> streams) {
        return new KafkaHealthIndicator(admin, properties.healthTimeout(), streams);
    }

    /**
     * Publishes dead letters: raw bytes (records that failed deserialization) through a byte-array
     * value template, anything else through the application's Avro template. Keys are serialized as the
     * application configured them (plain strings).
     */
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBean(KafkaTemplate.class)
    DeadLetterPublishingRecoverer deadLetterPublishingRecoverer(KafkaTemplate<Object, Object> template,
                                                                ProducerFactory<Object, Object> producerFactory,
                                                                org.springframework.core.env.Environment environment) {
        Map<String, Object> bytes = new HashMap<>(producerFactory.getConfigurationProperties());
        bytes.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        bytes.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
        KafkaTemplate<Object, byte[]> bytesTemplate = new KafkaTemplate<>(new DefaultKafkaProducerFactory<>(bytes));
        Map<Class<?>, KafkaOperations<?, ?>> templates = new LinkedHashMap<>();
        templates.put(byte[].class, bytesTemplate);
        templates.put(Object.class, template);
        return DeadLetters.recoverer(templates, environment.getProperty("spring.application.name"));
    }

    @Bean
    @ConditionalOnMissingBean(CommonErrorHandler.class)
    @ConditionalOnBean(DeadLetterPublishingRecoverer.class)
    DefaultErrorHandler leadflowErrorHandler(DeadLetterPublishingRecoverer recoverer, LeadflowKafkaProperties properties) {
        ExponentialBackOff backOff = new ExponentialBackOff(properties.retryInitialInterval().toMillis(), 2.0);
        backOff.setMaxAttempts(properties.retryAttempts());
        DefaultErrorHandler handler = new DefaultErrorHandler(recoverer, backOff);
        handler.addNotRetryableExceptions(DeadLetters.NOT_RETRYABLE);
        return handler;
    }
}
