package io.leadflow.intake.nextstep;

import io.leadflow.intake.system.IntakeProperties;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.web.servlet.config.annotation.CorsRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

import java.util.List;

/**
 * Lets pages of the website's own origins ({@code LEADFLOW_INTAKE_WEBSITE_ORIGINS}) read a next-step link with
 * {@code fetch}: GET only, no credentials, {@code Retry-After} readable. A request from any other origin is refused
 * (403) and carries no {@code Access-Control-Allow-Origin}, so no other site's script can read the answer.
 */
@Configuration(proxyBeanMethods = false)
class NextStepCors implements WebMvcConfigurer {

    private final List<String> origins;

    NextStepCors(IntakeProperties properties) {
        this.origins = properties.nextStep().allowedOrigins();
    }

    @Override
    public void addCorsMappings(CorsRegistry registry) {
        registry.addMapping(NextStepController.PATH + "*")
                .allowedOrigins(origins.toArray(String[]::new))
                .allowedMethods("GET")
                .allowedHeaders()
                .allowCredentials(false)
                .exposedHeaders(HttpHeaders.RETRY_AFTER)
                .maxAge(600);
    }
}
