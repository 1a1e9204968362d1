package io.leadflow.notifier.delivery;

import io.leadflow.avro.RepAlert;
import io.leadflow.platform.kafka.TopicDeadLetters;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.KStream;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.annotation.EnableKafkaStreams;
import org.springframework.kafka.annotation.KafkaStreamsDefaultConfiguration;
import org.springframework.kafka.config.KafkaStreamsConfiguration;
import org.springframework.kafka.config.StreamsBuilderFactoryBeanConfigurer;

import java.util.HashMap;
import java.util.Map;

/**
 * The Kafka Streams application that puts every alert on its channel's partition ({@link ChannelKeying}). Its
 * application id is the alerts consumer group's with {@code -channels}, so each deployment of rep-notifier keys its
 * own alerts. At least once, read_committed (the producers write {@code rep.alerts} in transactions), and without
 * lingering: this step sits on the path of every alert to Slack.
 */
@Configuration(proxyBeanMethods = false)
@EnableKafkaStreams
class ChannelKeyingConfiguration {

    @Bean(name = KafkaStreamsDefaultConfiguration.DEFAULT_STREAMS_CONFIG_BEAN_NAME)
    KafkaStreamsConfiguration channelKeyingStreamsConfig(KafkaProperties kafka) {
        Map<String, Object> props = new HashMap<>(kafka.buildStreamsProperties());
        String group = kafka.getConsumer().getGroupId();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, (group == null || group.isBlank() ? "rep-notifier" : group) + "-channels");
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.ISOLATION_LEVEL_CONFIG), "read_committed");
        String reset = kafka.getConsumer().getAutoOffsetReset();
        if (reset != null && !reset.isBlank()) {
            // where a new deployment starts reading rep.alerts, as its deliverers do
            props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), reset.trim().toLowerCase(java.util.Locale.ROOT));
        }
        props.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), 0);
        props.put(StreamsConfig.producerPrefix(ProducerConfig.ACKS_CONFIG), "all");
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, TopicDeadLetters.class);
        return new KafkaStreamsConfiguration(props);
    }

    /**
     * A stopping instance leaves the group at once, so its partitions of {@code rep.alerts} move to the others now
     * rather than after the session timeout: alerts do not wait out a rolling restart.
     */
    @Bean
    StreamsBuilderFactoryBeanConfigurer channelKeyingLeavesOnClose() {
        return factory -> factory.setLeaveGroupOnClose(true);
    }

    @Bean
    KStream<String, RepAlert> alertsByChannel(StreamsBuilder builder, ChannelResolver channels, KafkaProperties kafka) {
        return ChannelKeying.define(builder, channels, kafka.buildStreamsProperties());
    }
}
