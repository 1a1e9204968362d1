package io.leadflow.notifier.dedupe;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.stereotype.Component;

/** DOWN while {@code rep.alerts.sent} cannot be read: alerts then wait rather than risk a second post. */
@Component("sentAlertsLedger")
class SentLedgerHealthIndicator extends AbstractHealthIndicator {

    private final KafkaSentLedger ledger;

    SentLedgerHealthIndicator(KafkaSentLedger ledger) {
        super("Sent-alert ledger check failed");
        this.ledger = ledger;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        builder.withDetail("alertsKnown", ledger.size());
        if (ledger.isHealthy()) {
            builder.up();
        } else {
            builder.down();
            if (ledger.lastError() != null) {
                builder.withDetail("error", ledger.lastError());
            }
        }
    }
}
