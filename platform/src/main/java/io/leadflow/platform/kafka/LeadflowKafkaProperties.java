package io.leadflow.platform.kafka;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * Shared Kafka settings ({@code leadflow.kafka.*}).
 *
 * @param declareTopics        create the catalogue's topics on start-up when missing
 * @param replicationFactor    replicas for declared topics; 0 takes the broker's default
 * @param healthTimeout        how long the health check waits for the broker
 * @param retryAttempts        listener retries before a record is dead-lettered
 * @param retryInitialInterval first back-off, doubled on each retry
 */
@ConfigurationProperties("leadflow.kafka")
record LeadflowKafkaProperties(@DefaultValue("true") boolean declareTopics,
                               @DefaultValue("0") short replicationFactor,
                               @DefaultValue("3s") Duration healthTimeout,
                               @DefaultValue("3") int retryAttempts,
                               @DefaultValue("200ms") Duration retryInitialInterval) {
}
