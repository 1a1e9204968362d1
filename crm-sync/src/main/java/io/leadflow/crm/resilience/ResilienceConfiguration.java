package io.leadflow.crm.resilience;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.core.IntervalBiFunction;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedRateLimiterMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedRetryMetrics;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.RateLimiterRegistry;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.github.resilience4j.retry.RetryRegistry;
import io.leadflow.crm.hubspot.HubSpotException;
import io.leadflow.crm.hubspot.HubSpotGateway;
import io.leadflow.crm.system.CrmProperties;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;

import java.time.Clock;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Resilience4j around HubSpot, sized from {@code leadflow.crm.rate-limit/retry/circuit}:
 * <ul>
 *   <li>RateLimiter {@code hubspot}: {@code limitPerSlice} permits per {@code window / slices}, so no rolling window
 *       ever sees more than {@code maxRequests - reserve} calls;</li>
 *   <li>Retry {@code hubspot}: 429, 5xx and timeouts; exponential back-off with +/-50 % jitter, or the server's
 *       {@code Retry-After} when it sends one; an open circuit is not retried (the listeners pause instead);</li>
 *   <li>CircuitBreaker {@code hubspot}: failure rate over the last calls, 429 and 401/403 ignored; opens → listener
 *       containers paused, half-open → resumed for the trial calls;</li>
 *   <li>{@link HubSpotAuthGuard}: 401/403 (token or scopes) pause the listeners, loudly, until a probe is accepted.</li>
 * </ul>
 */
@Configuration(proxyBeanMethods = false)
class ResilienceConfiguration {

    static final String NAME = "hubspot";

    @Bean
    RateLimiter hubSpotRateLimiter(CrmProperties properties, MeterRegistry meters) {
        CrmProperties.RateLimit limit = properties.rateLimit();
        RateLimiterRegistry registry = RateLimiterRegistry.of(RateLimiterConfig.custom()
                .limitForPeriod(limit.limitPerSlice())
                .limitRefreshPeriod(limit.slice())
                .timeoutDuration(limit.maxWait())
                .build());
        TaggedRateLimiterMetrics.ofRateLimiterRegistry(registry).bindTo(meters);
        return registry.rateLimiter(NAME);
    }

    @Bean
    Retry hubSpotRetry(CrmProperties properties, MeterRegistry meters) {
        CrmProperties.Retry retry = properties.retry();
        RetryRegistry registry = RetryRegistry.of(RetryConfig.custom()
                .maxAttempts(retry.maxAttempts())
                .retryOnException(t -> t instanceof HubSpotException.Unavailable)
                .ignoreExceptions(CallNotPermittedException.class)
                .intervalBiFunction(backOff(retry))
                .build());
        TaggedRetryMetrics.ofRetryRegistry(registry).bindTo(meters);
        return registry.retry(NAME);
    }

    static IntervalBiFunction<Object> backOff(CrmProperties.Retry retry) {
        return (attempt, outcome) -> {
            if (outcome.isLeft() && outcome.getLeft() instanceof HubSpotException.Unavailable unavailable
                    && unavailable.retryAfter() != null) {
                return Math.max(unavailable.retryAfter().toMillis(), 1L);
            }
            double exponential = retry.initial().toMillis() * Math.pow(2, Math.max(0, attempt - 1));
            double capped = Math.min(exponential, retry.max().toMillis());
            return Math.max(1L, (long) (capped * ThreadLocalRandom.current().nextDouble(0.5, 1.5)));
        };
    }

    @Bean
    CircuitBreaker hubSpotCircuitBreaker(CrmProperties properties, MeterRegistry meters) {
        CrmProperties.Circuit circuit = properties.circuit();
        CircuitBreakerRegistry registry = CircuitBreakerRegistry.of(CircuitBreakerConfig.custom()
                .failureRateThreshold(circuit.failureRateThreshold())
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(circuit.slidingWindowSize())
                .minimumNumberOfCalls(circuit.minimumCalls())
                .waitDurationInOpenState(circuit.waitInOpen())
                .automaticTransitionFromOpenToHalfOpenEnabled(true)
                .permittedNumberOfCallsInHalfOpenState(circuit.halfOpenCalls())
                .recordException(t -> t instanceof HubSpotException.Unavailable && !(t instanceof HubSpotException.RateLimited))
                .ignoreExceptions(HubSpotException.AuthFailed.class)
                .build());
        TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(registry).bindTo(meters);
        CircuitBreaker breaker = registry.circuitBreaker(NAME);
        Gauge.builder("leadflow.crm.hubspot.circuit.state", breaker, b -> switch (b.getState()) {
                    case CLOSED -> 0;
                    case OPEN, FORCED_OPEN -> 1;
                    case HALF_OPEN -> 2;
                    default -> 3;
                }).description("HubSpot circuit: 0 closed, 1 open (listeners paused), 2 half-open, 3 disabled/metrics-only")
                .register(meters);
        return breaker;
    }

    @Bean
    ListenerPauser listenerPauser(CircuitBreaker hubSpotCircuitBreaker, KafkaListenerEndpointRegistry listeners) {
        return new ListenerPauser(hubSpotCircuitBreaker, listeners);
    }

    @Bean
    HubSpotAuthGuard hubSpotAuthGuard(HubSpotGateway gateway, ListenerPauser listenerPauser, CrmProperties properties, Clock clock,
                                      MeterRegistry meters) {
        return new HubSpotAuthGuard(gateway, listenerPauser, properties.hubspot().authProbeInterval(), clock, meters);
    }

    @Bean
    HubSpotHealthIndicator hubSpotHealthIndicator(CircuitBreaker hubSpotCircuitBreaker, HubSpotAuthGuard hubSpotAuthGuard) {
        return new HubSpotHealthIndicator(hubSpotCircuitBreaker, hubSpotAuthGuard);
    }
}
