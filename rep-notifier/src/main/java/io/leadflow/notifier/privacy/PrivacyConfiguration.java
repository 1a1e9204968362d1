package io.leadflow.notifier.privacy;

import io.leadflow.notifier.system.NotifierProperties;
import io.leadflow.platform.privacy.Subjects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** How rep-notifier names the person an alert is about, for erasures ({@code LEADFLOW_PRIVACY_KEY}). */
@Configuration(proxyBeanMethods = false)
class PrivacyConfiguration {

    private static final Logger log = LoggerFactory.getLogger(PrivacyConfiguration.class);

    @Bean
    AlertSubjects alertSubjects(NotifierProperties properties) {
        String key = properties.privacy().key();
        if (key == null || key.isBlank()) {
            log.warn("LEADFLOW_PRIVACY_KEY is not set: alerts are recorded without the person they name, so an erasure "
                    + "cannot find their Slack messages");
            return AlertSubjects.none();
        }
        return new AlertSubjects(new Subjects(key));
    }
}
