package io.leadflow.notifier.privacy;

import io.leadflow.notifier.dedupe.KafkaSentLedger;
import io.leadflow.notifier.slack.SlackClient;
import io.leadflow.notifier.system.NotifierProperties;
import io.leadflow.platform.privacy.ErasureAttempts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.kafka.autoconfigure.ConcurrentKafkaListenerContainerFactoryConfigurer;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;

import java.time.Clock;

/** Erasure of a person on request: who an alert is about, who was erased, and the erasure listener with its retries. */
@Configuration(proxyBeanMethods = false)
class PrivacyConfiguration {

    static final String ERASURE_FACTORY = "notifierErasureFactory";

    @Bean
    ErasedPeople erasedPeople(KafkaProperties kafka, AlertSubjects subjects, KafkaSentLedger ledger, MeterRegistry meters) {
        return new ErasedPeople(kafka, subjects, ledger, meters);
    }

    @Bean
    SlackErasure slackErasure(KafkaSentLedger ledger, SlackClient slack, ErasedPeople erased, KafkaTemplate<Object, Object> kafka,
                              Clock clock) {
        return new SlackErasure(ledger, slack, erased, kafka, clock);
    }

    /**
     * One erasure at a time; whatever stops one (Slack down or refusing, Kafka not acknowledging) is retried after a
     * back-off from {@code leadflow.notifier.delivery.retry-initial} doubling up to {@code retry-max}, without end. Only
     * an unreadable record goes to {@code privacy.erasures.dlt}.
     */
    @Bean(ERASURE_FACTORY)
    ConcurrentKafkaListenerContainerFactory<Object, Object> notifierErasureFactory(ConcurrentKafkaListenerContainerFactoryConfigurer configurer,
                                                                                   ConsumerFactory<Object, Object> consumerFactory,
                                                                                   DeadLetterPublishingRecoverer deadLetters,
                                                                                   NotifierProperties properties) {
        return ErasureAttempts.containerFactory(configurer, consumerFactory, deadLetters,
                properties.delivery().retryInitial(), properties.delivery().retryMax());
    }

    private static final Logger log = LoggerFactory.getLogger(PrivacyConfiguration.class);

    @Bean
    AlertSubjects alertSubjects(NotifierProperties properties) {
        if (!properties.privacy().configured()) {
            log.warn("LEADFLOW_PRIVACY_KEY is not set: alerts are recorded without the person they name, so an erasure "
                    + "cannot find their Slack messages");
            return AlertSubjects.none();
        }
        return new AlertSubjects(properties.privacy().subjects());
    }
}
