package io.leadflow.intake.system;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;

import java.time.Clock;
import java.util.Arrays;
import java.util.List;

/** Wiring: the settings record, a clock, and a start-up report of which sources are signed. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(IntakeProperties.class)
class IntakeConfiguration {

    private static final Logger log = LoggerFactory.getLogger(IntakeConfiguration.class);

    private final IntakeProperties properties;

    IntakeConfiguration(IntakeProperties properties) {
        this.properties = properties;
    }

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @EventListener(ApplicationReadyEvent.class)
    void reportSources() {
        List<WebhookSource> unsigned = Arrays.stream(WebhookSource.values())
                .filter(s -> !properties.secrets().configured(s))
                .toList();
        if (unsigned.isEmpty()) {
            log.info("Every webhook source has a secret; all requests are signature-checked");
        } else if (properties.allowUnsigned()) {
            log.warn("LEADFLOW_INTAKE_ALLOW_UNSIGNED=true: requests from {} are accepted WITHOUT a signature check. "
                    + "Only the local stack may run like this; never expose this instance.", unsigned);
        } else {
            log.warn("No secret for {}: these sources answer 503 'source not configured' until {} are set", unsigned,
                    unsigned.stream().map(WebhookSource::secretEnv).toList());
        }
    }
}
