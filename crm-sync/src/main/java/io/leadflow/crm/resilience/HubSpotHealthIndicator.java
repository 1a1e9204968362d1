package io.leadflow.crm.resilience;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/** {@code hubSpot} health: DOWN while the circuit is open (HubSpot unreachable, listeners paused). */
class HubSpotHealthIndicator extends AbstractHealthIndicator {

    private final CircuitBreaker circuit;

    HubSpotHealthIndicator(CircuitBreaker circuit) {
        super("HubSpot health check failed");
        this.circuit = circuit;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        CircuitBreaker.State state = circuit.getState();
        CircuitBreaker.Metrics metrics = circuit.getMetrics();
        builder.withDetail("circuit", state.name())
                .withDetail("failureRate", metrics.getFailureRate())
                .withDetail("notPermittedCalls", metrics.getNumberOfNotPermittedCalls());
        if (state == CircuitBreaker.State.OPEN || state == CircuitBreaker.State.FORCED_OPEN) {
            builder.down();
        } else {
            builder.up();
        }
    }
}
