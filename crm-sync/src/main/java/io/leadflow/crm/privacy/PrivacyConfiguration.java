package io.leadflow.crm.privacy;

import io.leadflow.crm.hubspot.HubSpotCrm;
import io.leadflow.crm.hubspot.HubSpotGateway;
import io.leadflow.crm.system.CrmProperties;
import io.leadflow.crm.system.HubSpotSetup;
import io.leadflow.platform.privacy.ErasureAttempts;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.springframework.boot.kafka.autoconfigure.ConcurrentKafkaListenerContainerFactoryConfigurer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;

import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/** Erasure of a person on request: the erased people every listener checks, and the erasure listener with its retries. */
@Configuration(proxyBeanMethods = false)
class PrivacyConfiguration {

    static final String ERASURE_FACTORY = "crmErasureFactory";

    @Bean
    ErasedPeople erasedPeople(CrmProperties properties, ConsumerFactory<Object, Object> consumerFactory, MeterRegistry meters) {
        return new ErasedPeople(properties.privacy().subjects(), groupless(consumerFactory, "crm-sync-erased-people"), meters);
    }

    @Bean
    CrmErasure crmErasure(HubSpotGateway gateway, HubSpotCrm crm, ConsumerFactory<Object, Object> consumerFactory, ErasedPeople erased,
                          CrmProperties properties) {
        return new CrmErasure(new HubSpotErasure(gateway, crm), new SyncedLeads(groupless(consumerFactory, "crm-sync-erasure-leads")),
                erased, properties);
    }

    @Bean
    ErasureListener erasureListener(CrmErasure erasure, KafkaTemplate<Object, Object> kafka, Clock clock) {
        return new ErasureListener(erasure, kafka, clock);
    }

    /**
     * One erasure at a time. Whatever stops an erasure (HubSpot down or refusing, Kafka not acknowledging) is retried after
     * a back-off from {@code leadflow.crm.retry.initial}, doubling up to {@code leadflow.crm.retry.max}, without end: an
     * erasure is never given up. Only an unreadable record goes to {@code privacy.erasures.dlt}. Depends on
     * {@link HubSpotSetup}, like the sync's listeners.
     */
    @Bean(ERASURE_FACTORY)
    ConcurrentKafkaListenerContainerFactory<Object, Object> crmErasureFactory(ConcurrentKafkaListenerContainerFactoryConfigurer configurer,
                                                                              ConsumerFactory<Object, Object> consumerFactory,
                                                                              DeadLetterPublishingRecoverer deadLetters,
                                                                              CrmProperties properties, HubSpotSetup setup) {
        return ErasureAttempts.containerFactory(configurer, consumerFactory, deadLetters, properties.retry().initial(), properties.retry().max());
    }

    private static Supplier<Consumer<String, Object>> groupless(ConsumerFactory<Object, Object> consumerFactory, String clientId) {
        Map<String, Object> config = new HashMap<>(consumerFactory.getConfigurationProperties());
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000);
        DefaultKafkaConsumerFactory<String, Object> factory = new DefaultKafkaConsumerFactory<>(config);
        return () -> factory.createConsumer(null, clientId);
    }
}
