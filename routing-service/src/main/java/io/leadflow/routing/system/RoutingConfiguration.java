package io.leadflow.routing.system;

import io.leadflow.platform.kafka.TopicDeadLetters;
import io.leadflow.platform.streams.InstanceQueries;
import io.leadflow.platform.web.AdminAccessProperties;
import io.leadflow.routing.decide.Router;
import io.leadflow.routing.privacy.ErasedPeople;
import io.leadflow.routing.intro.IntroEmails;
import io.leadflow.routing.intro.IntroTemplates;
import io.leadflow.routing.rules.RoutingRules;
import io.leadflow.routing.rules.RulesLoader;
import io.leadflow.routing.topology.RoutingTopology;
import io.leadflow.schemas.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.LogAndContinueProcessingExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.annotation.EnableKafkaStreams;
import org.springframework.kafka.config.KafkaStreamsInfrastructureCustomizer;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;
import org.springframework.kafka.config.StreamsBuilderFactoryBeanConfigurer;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Properties;

/**
 * Wires the routing Kafka Streams application: rules loaded (and validated) at start-up, the
 * topology on spring-kafka's {@code StreamsBuilder}, records that cannot be read sent to their topic's {@code .dlt}
 * (and records that cannot be routed to {@code leads.received.dlt}) inside the same transaction instead of stopping the stream.
 */
@Configuration(proxyBeanMethods = false)
@EnableKafkaStreams
@EnableConfigurationProperties(RoutingProperties.class)
class RoutingConfiguration {

    private static final Logger log = LoggerFactory.getLogger(RoutingConfiguration.class);

    @Bean
    RoutingRules routingRules(RoutingProperties properties) {
        RoutingRules rules = properties.rules().isBlank() ? RulesLoader.loadDefault() : RulesLoader.load(Path.of(properties.rules()));
        log.info("Routing rules {} from {}: {} reps, {} owner rules, fallback team {}", rules.version(), rules.source(),
                rules.reps().size(), rules.owners().rules().size(), rules.owners().fallbackTeam());
        return rules;
    }

    @Bean
    Router router(RoutingRules rules) {
        return new Router(rules);
    }

    @Bean
    IntroEmails introEmails(RoutingProperties properties) {
        IntroTemplates templates = properties.introTemplates().isBlank() ? IntroTemplates.loadDefault()
                : IntroTemplates.load(Path.of(properties.introTemplates()));
        log.info("Introduction email templates from {}: {}", templates.source(), String.join(", ", templates.ids()));
        return new IntroEmails(templates);
    }

    @Bean
    @ConditionalOnMissingBean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    RoutingMetrics routingMetrics(MeterRegistry registry, RoutingRules rules) {
        RoutingMetrics metrics = new RoutingMetrics(registry);
        metrics.registerSlaMeters(rules);
        return metrics;
    }

    @Bean
    RoutingTopology routingTopology(Router router, Clock clock, KafkaProperties kafka, RoutingMetrics metrics, RoutingProperties properties,
                                    IntroEmails intros) {
        ErasedPeople erased = new ErasedPeople(properties.privacy().subjects());
        if (!properties.privacy().configured()) {
            log.warn("LEADFLOW_PRIVACY_KEY is not set: erasures are reported failed until it is, and erased people are not recognised");
        }
        return new RoutingTopology(router, clock, kafka.buildStreamsProperties(), metrics, RoutingTopology.StoreKind.PERSISTENT,
                new RoutingTopology.SlaSettings(properties.slaPunctuationInterval(), properties.slaMaxFiresPerTick()), erased, intros);
    }

    @Bean
    InstanceQueries instanceQueries(StreamsBuilderFactoryBean factory, AdminAccessProperties admin, RoutingProperties properties) {
        return new InstanceQueries(factory, admin, properties.forwardTimeout());
    }

    @Bean
    StreamsBuilderFactoryBeanConfigurer routingStreams(RoutingTopology topology) {
        return factory -> {
            factory.setInfrastructureCustomizer(new KafkaStreamsInfrastructureCustomizer() {
                @Override
                public void configureBuilder(StreamsBuilder builder) {
                    topology.define(builder);
                }
            });
            Properties config = factory.getStreamsConfiguration();
            config.putIfAbsent(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, Topics.LEADS_RECEIVED.deadLetter());
            // an unreadable record goes to its own topic's .dlt (leads.activity.dlt, crm.synced.dlt, ...), leads.received.dlt otherwise
            config.putIfAbsent(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, TopicDeadLetters.class.getName());
            config.putIfAbsent(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, LogAndContinueProcessingExceptionHandler.class.getName());
            factory.setStreamsConfiguration(config);
        };
    }
}
