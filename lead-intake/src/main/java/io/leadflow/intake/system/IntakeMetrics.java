package io.leadflow.intake.system;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.springframework.stereotype.Component;

import java.time.Duration;

/**
 * {@code leadflow.intake.received{source,outcome}} counts every request by how it ended
 * (accepted, duplicate, ignored, rescheduled, canceled, no_show, unknown_booking, invalid, bad_signature, too_large,
 * unsupported_media_type, not_a_lead, not_configured, unavailable); {@code leadflow.intake.time.to.ack{source}} times a
 * request from arrival to Kafka's acknowledgement.
 */
@Component
public class IntakeMetrics {

    private final MeterRegistry registry;

    public IntakeMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void received(WebhookSource source, String outcome) {
        Counter.builder("leadflow.intake.received")
                .description("Webhook requests by source and outcome")
                .tag("source", source == null ? "unknown" : source.tag())
                .tag("outcome", outcome)
                .register(registry)
                .increment();
    }

    public void acknowledged(WebhookSource source, Duration sinceArrival) {
        Timer.builder("leadflow.intake.time.to.ack")
                .description("From a webhook's arrival to Kafka's acknowledgement of its records")
                .tag("source", source.tag())
                .publishPercentileHistogram()
                .register(registry)
                .record(sinceArrival);
    }
}
