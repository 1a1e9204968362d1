package io.leadflow.notifier.delivery;

import io.leadflow.notifier.privacy.AlertSubjects;
import io.leadflow.notifier.privacy.ErasedPeople;
import io.leadflow.notifier.deals.DealLinks;
import io.leadflow.notifier.dedupe.KafkaSentLedger;
import io.leadflow.notifier.slack.SlackClient;
import io.leadflow.notifier.system.NotifierProperties;
import io.leadflow.notifier.templates.Templates;
import io.micrometer.core.instrument.MeterRegistry;
import io.leadflow.schemas.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.kafka.autoconfigure.ConcurrentKafkaListenerContainerFactoryConfigurer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.listener.ConsumerRecordRecoverer;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/** The lanes, the delivery protocol and the {@code rep.alerts.by-channel} consumer with hand-managed offsets. */
@Configuration(proxyBeanMethods = false)
class DeliveryConfiguration {

    @Bean(destroyMethod = "shutdownNow")
    ScheduledExecutorService slackLanesExecutor(NotifierProperties properties) {
        AtomicInteger count = new AtomicInteger();
        ThreadFactory threads = runnable -> {
            Thread thread = new Thread(runnable, "slack-lane-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(properties.delivery().threads(), threads);
        executor.setRemoveOnCancelPolicy(true);
        return executor;
    }

    @Bean
    DeliveryMetrics deliveryMetrics(MeterRegistry registry) {
        return new DeliveryMetrics(registry);
    }

    @Bean
    ChannelLanes channelLanes(ScheduledExecutorService slackLanesExecutor, NotifierProperties properties, DeliveryMetrics metrics) {
        return new ChannelLanes(slackLanesExecutor, properties.rateLimit().period(), properties.rateLimit().burst(), metrics);
    }

    @Bean
    ChannelResolver channelResolver(NotifierProperties properties, Environment environment) {
        return new ChannelResolver(properties.channels(), environment);
    }

    @Bean
    AlertDelivery alertDelivery(SlackClient slack, Templates templates, DealLinks deals, KafkaSentLedger ledger,
                                ChannelResolver channels, ChannelLanes lanes, DeadLetterPublishingRecoverer deadLetters,
                                NotifierProperties properties, DeliveryMetrics metrics, Clock clock, AlertSubjects subjects,
                                ErasedPeople erased) {
        deadLetters.addHeadersFunction((record, exception) -> {
            RecordHeaders headers = new RecordHeaders();
            for (Throwable t = exception; t != null; t = t.getCause()) {
                if (t instanceof DeliveryFailure failure && failure.error() != null) {
                    headers.add(DeliveryFailure.HEADER, failure.error().getBytes(StandardCharsets.UTF_8));
                    break;
                }
            }
            return headers;
        });
        return new AlertDelivery(slack, templates, deals, ledger, channels, lanes, asRepAlerts(deadLetters), properties, metrics, clock, subjects, erased);
    }

    /**
     * An alert that cannot be delivered goes to {@code rep.alerts.dlt}, with every other dead alert: the record read
     * from {@code rep.alerts.by-channel} is the {@code rep.alerts} record, only on its channel's partition.
     */
    static ConsumerRecordRecoverer asRepAlerts(ConsumerRecordRecoverer deadLetters) {
        return (record, exception) -> deadLetters.accept(!record.topic().equals(Topics.REP_ALERTS_BY_CHANNEL.name()) ? record
                : new ConsumerRecord<>(Topics.REP_ALERTS.name(), record.partition(), record.offset(), record.timestamp(),
                record.timestampType(), record.serializedKeySize(), record.serializedValueSize(), record.key(), record.value(),
                record.headers(), record.leaderEpoch()), exception);
    }

    @Bean
    OffsetTracker alertOffsets() {
        return new OffsetTracker();
    }

    @Bean
    RepAlertListener repAlertListener(AlertDelivery delivery, OffsetTracker alertOffsets,
                                      ObjectProvider<KafkaListenerEndpointRegistry> registry, NotifierProperties properties) {
        return new RepAlertListener(delivery, alertOffsets, registry, properties.delivery().maxInFlight());
    }

    @Bean
    AlertPartitions alertPartitions(KafkaSentLedger ledger, ErasedPeople erased, OffsetTracker alertOffsets, NotifierProperties properties) {
        return new AlertPartitions(ledger, erased, alertOffsets, properties.recovery().catchUpTimeout());
    }

    @Bean
    ConcurrentKafkaListenerContainerFactory<Object, Object> repAlertsContainerFactory(
            ConcurrentKafkaListenerContainerFactoryConfigurer configurer, ConsumerFactory<Object, Object> consumers,
            AlertPartitions partitions, OffsetTracker alertOffsets, DeadLetterPublishingRecoverer deadLetters) {
        ConcurrentKafkaListenerContainerFactory<Object, Object> factory = new ConcurrentKafkaListenerContainerFactory<>();
        configurer.configure(factory, consumers);
        ContainerProperties container = factory.getContainerProperties();
        container.setAckMode(ContainerProperties.AckMode.MANUAL);
        container.setIdleEventInterval(1000L); // idle events commit finished offsets when no records arrive
        container.setPollTimeout(1000L);
        container.setConsumerRebalanceListener(partitions);
        factory.setCommonErrorHandler(new AlertsErrorHandler(asRepAlerts(deadLetters), alertOffsets));
        return factory;
    }
}
