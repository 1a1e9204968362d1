package io.leadflow.crm.sync;

import io.leadflow.crm.hubspot.HubSpotCrm;
import io.leadflow.crm.hubspot.HubSpotGateway;
import io.leadflow.crm.hubspot.Rejection;
import io.leadflow.crm.privacy.ErasedPeople;
import io.leadflow.crm.system.CrmProperties;
import io.leadflow.crm.system.HubSpotSetup;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.springframework.boot.kafka.autoconfigure.ConcurrentKafkaListenerContainerFactoryConfigurer;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.util.StringUtils;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.CommonErrorHandler;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;

import io.leadflow.avro.CrmSynced;
import org.apache.kafka.common.TopicPartition;
import org.springframework.kafka.listener.ConsumerAwareRebalanceListener;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** The HubSpot sync and its batch listener containers ({@code max.poll.records} = one HubSpot batch). */
@Configuration(proxyBeanMethods = false)
class SyncConfiguration {

    static final String BATCH_FACTORY = "crmBatchFactory";

    /** Dead-letter headers naming HubSpot's refusal, next to Spring's standard exception headers. */
    static final String HEADER_ERROR = "leadflow_hubspot_error";
    static final String HEADER_CORRELATION_ID = "leadflow_hubspot_correlation_id";
    static final String HEADER_CATEGORY = "leadflow_hubspot_category";
    static final String HEADER_STATUS = "leadflow_hubspot_status";

    /** What crm-sync has synced, read back from {@code crm.synced} with a consumer of no group. */
    @Bean
    SyncLedger syncLedger(ConsumerFactory<Object, Object> consumerFactory) {
        Map<String, Object> config = new HashMap<>(consumerFactory.getConfigurationProperties());
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000);
        DefaultKafkaConsumerFactory<String, CrmSynced> factory = new DefaultKafkaConsumerFactory<>(config);
        return new SyncLedger(() -> factory.createConsumer(null, "crm-sync-ledger"));
    }

    /** Who may get an introduction email: everyone, unless a bean of this type says otherwise (the erasure list). */
    @Bean
    @ConditionalOnMissingBean
    IntroEmailGate introEmailGate() {
        return IntroEmailGate.ALLOW_ALL;
    }

    /** Send mode when an SMTP host is configured ({@code spring.mail.host}, LEADFLOW_MAIL_HOST); draft mode otherwise. */
    @Bean
    IntroEmailSender introEmailSender(ObjectProvider<JavaMailSender> mail, Environment environment, HubSpotCrm crm, IntroEmailGate gate,
                                      Clock clock) {
        boolean send = StringUtils.hasText(environment.getProperty("spring.mail.host"));
        org.slf4j.LoggerFactory.getLogger(IntroEmailSender.class).info("Introduction emails: {}", send ? "sent through SMTP " + environment.getProperty("spring.mail.host") + " and logged on the contact"
                : "drafted as the owner's EMAIL task (no SMTP host configured)");
        return new IntroEmailSender(send ? mail.getIfAvailable() : null, crm, gate, clock);
    }

    @Bean
    LeadSync leadSync(HubSpotCrm crm, CrmProperties properties, Clock clock, SyncLedger ledger, IntroEmailGate gate, IntroEmailSender sender) {
        return new LeadSync(crm, properties, clock, ledger, lead -> !sender.sending() && gate.allows(lead));
    }

    @Bean
    ActivitySync activitySync(HubSpotCrm crm, SyncLedger ledger) {
        return new ActivitySync(crm, ledger);
    }

    @Bean
    ReminderSync reminderSync(HubSpotCrm crm) {
        return new ReminderSync(crm);
    }

    @Bean
    SharedChannelSync sharedChannelSync(HubSpotCrm crm) {
        return new SharedChannelSync(crm);
    }

    @Bean
    SyncListeners syncListeners(LeadSync leads, ReminderSync reminders, ActivitySync activities, SyncLedger ledger, ErasedPeople erased,
                                KafkaTemplate<Object, Object> kafka, DeadLetterPublishingRecoverer deadLetters, MeterRegistry meters,
                                IntroEmailSender intros, SharedChannelSync channels, java.time.Clock clock) {
        deadLetters.addHeadersFunction((record, exception) -> hubSpotHeaders(exception));
        return new SyncListeners(leads, reminders, activities, ledger, erased, kafka, deadLetters, meters, intros, channels, clock);
    }

    /**
     * Batch containers for the HubSpot listeners. Depends on {@link HubSpotSetup}, so no record is consumed before the
     * start-up check has passed.
     */
    @Bean(BATCH_FACTORY)
    ConcurrentKafkaListenerContainerFactory<Object, Object> crmBatchFactory(ConcurrentKafkaListenerContainerFactoryConfigurer configurer,
                                                                            ConsumerFactory<Object, Object> consumerFactory,
                                                                            CommonErrorHandler platformErrorHandler,
                                                                            HubSpotGateway gateway, CrmProperties properties,
                                                                            HubSpotSetup setup, SyncLedger ledger) {
        Map<String, Object> config = new HashMap<>(consumerFactory.getConfigurationProperties());
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, properties.batch().maxRecords());
        // HubSpot's budget is counted in calls, not records: waiting up to fill-wait for a fuller poll turns a
        // burst into batches of ~100 instead of whatever happened to be fetched, at the cost of that wait.
        config.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, properties.batch().fillBytes());
        config.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, (int) properties.batch().fillWait().toMillis());
        ConcurrentKafkaListenerContainerFactory<Object, Object> factory = new ConcurrentKafkaListenerContainerFactory<>();
        configurer.configure(factory, new DefaultKafkaConsumerFactory<>(config));
        factory.setBatchListener(true);
        // a partition that moves to another instance is read back from crm.synced again when it comes back
        factory.getContainerProperties().setConsumerRebalanceListener(new ConsumerAwareRebalanceListener() {
            @Override
            public void onPartitionsRevokedAfterCommit(org.apache.kafka.clients.consumer.Consumer<?, ?> consumer,
                                                       Collection<TopicPartition> partitions) {
                ledger.forget(partitions.stream().map(TopicPartition::partition).toList());
            }

            @Override
            public void onPartitionsLost(org.apache.kafka.clients.consumer.Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
                ledger.forget(partitions.stream().map(TopicPartition::partition).toList());
            }
        });
        factory.setCommonErrorHandler(new SyncErrorHandler(platformErrorHandler, gateway.circuit(),
                properties.retry().max().compareTo(Duration.ofSeconds(5)) < 0 ? properties.retry().max() : Duration.ofSeconds(5)));
        return factory;
    }

    private static Headers hubSpotHeaders(Exception exception) {
        for (Throwable t = exception; t != null; t = t.getCause()) {
            if (t instanceof HubSpotRejectedRecord rejected) {
                Rejection rejection = rejected.rejection();
                RecordHeaders headers = new RecordHeaders();
                add(headers, HEADER_ERROR, rejection.message());
                add(headers, HEADER_CORRELATION_ID, rejection.correlationId());
                add(headers, HEADER_CATEGORY, rejection.category());
                add(headers, HEADER_STATUS, String.valueOf(rejection.status()));
                return headers;
            }
        }
        return null;
    }

    private static void add(Headers headers, String name, String value) {
        if (value != null) {
            headers.add(name, value.getBytes(StandardCharsets.UTF_8));
        }
    }
}
