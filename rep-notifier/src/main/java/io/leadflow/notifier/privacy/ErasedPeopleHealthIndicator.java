package io.leadflow.notifier.privacy;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.stereotype.Component;

/** DOWN until {@code privacy.erasures} has been read to its end: alerts wait rather than reach an erased person's rep. */
@Component("erasures")
class ErasedPeopleHealthIndicator extends AbstractHealthIndicator {

    private final ErasedPeople erased;

    ErasedPeopleHealthIndicator(ErasedPeople erased) {
        super("Erased-people check failed");
        this.erased = erased;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        builder.withDetail("peopleErased", erased.size());
        if (erased.ready()) {
            builder.up();
        } else {
            builder.down().withDetail("reason", "privacy.erasures not read to its end yet");
        }
    }
}
