package io.leadflow.crm.system;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.retry.Retry;
import io.leadflow.crm.hubspot.HubSpotCrm;
import io.leadflow.crm.hubspot.HubSpotGateway;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.json.JsonMapper;

import java.net.http.HttpClient;
import java.time.Clock;

/** The HubSpot client: a RestClient with the private-app token, behind the Resilience4j guards. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(CrmProperties.class)
class SystemConfiguration {

    @Bean
    HubSpotGateway hubSpotGateway(CrmProperties properties, RestClient.Builder builder, RateLimiter hubSpotRateLimiter,
                                  Retry hubSpotRetry, CircuitBreaker hubSpotCircuitBreaker, MeterRegistry meters) {
        CrmProperties.Hubspot hubspot = properties.hubspot();
        HttpClient http = HttpClient.newBuilder().connectTimeout(hubspot.connectTimeout()).build();
        JdkClientHttpRequestFactory requests = new JdkClientHttpRequestFactory(http);
        requests.setReadTimeout(hubspot.readTimeout());
        RestClient rest = builder.clone()
                .baseUrl(hubspot.baseUrl())
                .requestFactory(requests)
                .defaultHeader("Authorization", "Bearer " + hubspot.token())
                .build();
        return new HubSpotGateway(rest, JsonMapper.builder().build(), hubSpotRateLimiter, hubSpotRetry, hubSpotCircuitBreaker,
                meters, properties.rateLimit().minRemaining(), properties.rateLimit().searchesPerSecond());
    }

    @Bean
    HubSpotCrm hubSpotCrm(HubSpotGateway gateway, CrmProperties properties) {
        return new HubSpotCrm(gateway, properties.batch().parallelCalls());
    }

    @Bean
    HubSpotSetup hubSpotSetup(HubSpotCrm crm, CrmProperties properties) {
        return new HubSpotSetup(crm, properties);
    }

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }
}
