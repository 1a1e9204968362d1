package io.leadflow.notifier.system;

import io.leadflow.notifier.deals.DealLinks;
import io.leadflow.notifier.dedupe.KafkaSentLedger;
import io.leadflow.notifier.slack.SlackClient;
import io.leadflow.notifier.templates.Templates;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.web.client.RestClient;

import java.time.Clock;

/** The Slack client, the sent-alert ledger, the templates and the deal links. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(NotifierProperties.class)
class SystemConfiguration {

    @Bean
    SlackClient slackClient(NotifierProperties properties, RestClient.Builder builder) {
        NotifierProperties.Slack slack = properties.slack();
        return SlackClient.create(builder.clone(), slack.baseUrl(), slack.botToken(), slack.connectTimeout(), slack.readTimeout());
    }

    @Bean
    KafkaSentLedger sentLedger(ConsumerFactory<?, ?> consumers, KafkaTemplate<Object, Object> template, NotifierProperties properties) {
        return new KafkaSentLedger(consumers.getConfigurationProperties(), template, properties.delivery().markerTimeout());
    }

    @Bean
    Templates templates() {
        return new Templates();
    }

    @Bean
    DealLinks dealLinks(NotifierProperties properties) {
        return new DealLinks(properties.deals().cacheSize(), properties.hubspot().portalId(), properties.hubspot().appBaseUrl());
    }

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }
}
