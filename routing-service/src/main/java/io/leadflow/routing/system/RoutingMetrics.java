package io.leadflow.routing.system;

import io.leadflow.avro.LeadRouted;
import io.leadflow.routing.topology.DecisionListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;

/**
 * {@code leadflow.routing.decisions{pipeline,plan,owner}} counts first decisions (owner is a rep id
 * from the rules file, so the tag stays small); {@code leadflow.routing.decision.latency} times a lead
 * from lead-intake's acceptance to its decision; {@code leadflow.routing.reemitted} counts leads seen
 * again whose stored decision was re-emitted (tag {@code content}: {@code unchanged}, or {@code updated} for a lead that
 * came again with other content, such as a rescheduled demo).
 */
class RoutingMetrics implements DecisionListener {

    private final MeterRegistry registry;
    private final Timer latency;
    private final Counter reemitted;
    private final Counter updated;

    RoutingMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.latency = Timer.builder("leadflow.routing.decision.latency")
                .description("From the lead's receipt by lead-intake to its routing decision")
                .publishPercentileHistogram()
                .register(registry);
        this.reemitted = Counter.builder("leadflow.routing.reemitted")
                .description("Leads seen again whose first decision was re-emitted")
                .tag("content", "unchanged")
                .register(registry);
        this.updated = Counter.builder("leadflow.routing.reemitted")
                .description("Leads seen again whose first decision was re-emitted")
                .tag("content", "updated")
                .register(registry);
    }

    @Override
    public void decided(LeadRouted decision) {
        Counter.builder("leadflow.routing.decisions")
                .description("Routing decisions by pipeline, recommended plan and owner")
                .tag("pipeline", decision.getPipeline().name())
                .tag("plan", decision.getRecommendedPlan().name())
                .tag("owner", decision.getOwner().getRepId())
                .register(registry)
                .increment();
        Duration sinceReceipt = Duration.between(decision.getLead().getReceivedAt(), decision.getRoutedAt());
        latency.record(sinceReceipt.isNegative() ? Duration.ZERO : sinceReceipt);
    }

    @Override
    public void reemitted(LeadRouted decision) {
        reemitted.increment();
    }

    @Override
    public void updated(LeadRouted before, LeadRouted after) {
        updated.increment();
    }
}
