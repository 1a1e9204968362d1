package io.leadflow.crm.resilience;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * {@code hubSpot} health: DOWN while HubSpot refuses our credentials (with HubSpot's status, category, message, the
 * scopes it requires and what to fix), or while the circuit is open (HubSpot unreachable); the listeners are paused
 * in both cases.
 */
class HubSpotHealthIndicator extends AbstractHealthIndicator {

    private final CircuitBreaker circuit;
    private final HubSpotAuthGuard auth;

    HubSpotHealthIndicator(CircuitBreaker circuit, HubSpotAuthGuard auth) {
        super("HubSpot health check failed");
        this.circuit = circuit;
        this.auth = auth;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        CircuitBreaker.State state = circuit.getState();
        CircuitBreaker.Metrics metrics = circuit.getMetrics();
        builder.withDetail("circuit", state.name())
                .withDetail("failureRate", metrics.getFailureRate())
                .withDetail("notPermittedCalls", metrics.getNumberOfNotPermittedCalls());
        var refusal = auth.refusal();
        if (refusal.isPresent()) {
            var refused = refusal.get();
            builder.down()
                    .withDetail("reason", "HubSpot refuses crm-sync's credentials")
                    .withDetail("status", refused.status())
                    .withDetail("category", refused.category() == null ? "" : refused.category())
                    .withDetail("message", refused.message())
                    .withDetail("requiredScopes", refused.requiredScopes())
                    .withDetail("endpoint", refused.endpoint())
                    .withDetail("since", refused.since().toString())
                    .withDetail("fix", refused.fix());
        } else if (state == CircuitBreaker.State.OPEN || state == CircuitBreaker.State.FORCED_OPEN) {
            builder.down().withDetail("reason", "HubSpot unavailable: circuit open, listeners paused");
        } else {
            builder.up();
        }
    }
}
