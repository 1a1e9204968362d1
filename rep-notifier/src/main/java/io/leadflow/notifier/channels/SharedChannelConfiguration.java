package io.leadflow.notifier.channels;

import io.leadflow.notifier.dedupe.KafkaSentLedger;
import io.leadflow.notifier.privacy.AlertSubjects;
import io.leadflow.notifier.privacy.ErasedPeople;
import io.leadflow.notifier.slack.SlackClient;
import io.leadflow.notifier.system.NotifierProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaTemplate;

import java.time.Clock;

/** The shared Slack Connect channel of each hands-on lead: its ledger, its set-up and the listener that starts it. */
@Configuration(proxyBeanMethods = false)
class SharedChannelConfiguration {

    @Bean
    SharedChannelLedger sharedChannelLedger(KafkaProperties kafka, KafkaTemplate<Object, Object> template, NotifierProperties properties) {
        return new SharedChannelLedger(kafka, template, properties.delivery().markerTimeout());
    }

    @Bean
    RoutedLeads routedLeads(KafkaProperties kafka, NotifierProperties properties) {
        return new RoutedLeads(kafka, properties.sharedChannels().trigger() == NotifierProperties.Trigger.TRIAL_STARTED);
    }

    @Bean
    SharedChannelSetup sharedChannelSetup(SlackClient slack, SharedChannelLedger ledger, KafkaSentLedger sent, NotifierProperties properties,
                                          AlertSubjects subjects, Clock clock) {
        SharedChannelWording wording = SharedChannelWording.load(properties.sharedChannels().wording());
        return new SharedChannelSetup(slack, ledger, sent, wording, properties, subjects, clock, d -> Thread.sleep(d.toMillis()));
    }

    @Bean
    SharedChannelListener sharedChannelListener(SharedChannelSetup setup, SharedChannelLedger ledger, RoutedLeads routedLeads,
                                                NotifierProperties properties, ErasedPeople erased) {
        return new SharedChannelListener(setup, ledger, routedLeads, properties, erased);
    }
}
