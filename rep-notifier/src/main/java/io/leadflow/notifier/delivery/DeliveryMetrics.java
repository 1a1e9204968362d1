package io.leadflow.notifier.delivery;

import io.leadflow.avro.AlertKind;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.time.Instant;

/**
 * The notifier's meters. {@code leadflow.notifier.alerts{kind,outcome}} counts alerts by what became of them;
 * {@code leadflow.notifier.latency{kind}} is the time from the alert's {@code createdAt} to Slack's answer and
 * {@code leadflow.notifier.speed.to.lead{kind}} from the lead's arrival to Slack's answer (both histograms);
 * {@code leadflow.notifier.throttled{reason}} is the time alerts waited for the channel's token or a
 * {@code Retry-After}; {@code leadflow.notifier.digest.alerts} is how many alerts each digest message listed.
 */
class DeliveryMetrics {

    /** What became of an alert. */
    enum Outcome {
        SENT, UPDATED, DUPLICATE, RECOVERED, FAILED;

        String tag() {
            return name().toLowerCase();
        }
    }

    /** Why an alert waited. */
    enum Wait {
        RATE_LIMITER, RETRY_AFTER, BACKOFF;

        String tag() {
            return name().toLowerCase();
        }
    }

    private final MeterRegistry registry;

    public DeliveryMetrics(MeterRegistry registry) {
        this.registry = registry;
        // Exported from the start at zero: with pacing, a notifier may never be throttled, and the dashboards and
        // alert rules need "no waits" rather than "no such series".
        for (Wait reason : Wait.values()) {
            throttled(reason);
        }
    }

    void outcome(AlertKind kind, Outcome outcome) {
        Counter.builder("leadflow.notifier.alerts")
                .description("Rep alerts by kind and outcome")
                .tag("kind", kind.name()).tag("outcome", outcome.tag())
                .register(registry).increment();
    }

    void answered(AlertKind kind, Instant createdAt, Instant leadReceivedAt, Instant answeredAt) {
        if (createdAt != null) {
            timer("leadflow.notifier.latency", "From the alert's creation to Slack's answer", kind)
                    .record(nonNegative(Duration.between(createdAt, answeredAt)));
        }
        if (leadReceivedAt != null) {
            timer("leadflow.notifier.speed.to.lead", "From the lead's arrival to Slack's answer", kind)
                    .record(nonNegative(Duration.between(leadReceivedAt, answeredAt)));
        }
    }

    /** A digest message went out listing {@code alerts} alerts. */
    void digest(int alerts) {
        DistributionSummary.builder("leadflow.notifier.digest.alerts")
                .description("Alerts listed in one digest message")
                .register(registry).record(alerts);
    }

    void waited(Wait reason, long nanos) {
        throttled(reason).record(Duration.ofNanos(nanos));
    }

    private Timer throttled(Wait reason) {
        return Timer.builder("leadflow.notifier.throttled")
                .description("Time alerts waited before a Slack call")
                .tag("reason", reason.tag())
                .register(registry);
    }

    private Timer timer(String name, String description, AlertKind kind) {
        return Timer.builder(name).description(description).tag("kind", kind.name())
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(5))
                .maximumExpectedValue(Duration.ofMinutes(10))
                .register(registry);
    }

    private static Duration nonNegative(Duration duration) {
        return duration.isNegative() ? Duration.ZERO : duration;
    }
}
