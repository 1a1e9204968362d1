package io.leadflow.trials.api;

import io.leadflow.trials.system.TrialsProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class ApiConfiguration {

    private static final Logger log = LoggerFactory.getLogger(ApiConfiguration.class);

    @Bean
    FilterRegistrationBean<BearerTokenFilter> bearerTokenFilter(TrialsProperties properties) {
        if (properties.adminToken().isBlank()) {
            log.warn("LEADFLOW_ADMIN_TOKEN is not set: every /trials API call will be refused with 401");
        }
        FilterRegistrationBean<BearerTokenFilter> registration =
                new FilterRegistrationBean<>(new BearerTokenFilter(properties.adminToken()));
        registration.addUrlPatterns("/trials", "/trials/*");
        return registration;
    }
}
