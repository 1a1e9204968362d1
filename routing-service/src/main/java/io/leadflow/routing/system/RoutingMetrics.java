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
 * <p>
 * Speed to lead: {@code leadflow.routing.sla.time.to.accept{pipeline,rep}} (a histogram, from the moment a rep got the
 * lead to their acceptance in Slack or their work in HubSpot), {@code leadflow.routing.sla.reminders{policy}},
 * {@code leadflow.routing.sla.reassignments{policy,cause}} ({@code sla}, {@code passed}, {@code rerouted}),
 * {@code leadflow.routing.sla.breaches{policy}} and {@code leadflow.routing.activity.ignored{kind,reason}}. Reps and
 * policies come from the rules file, so tags stay few.
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
    public void accepted(LeadRouted decision, Duration waited) {
        Timer.builder("leadflow.routing.sla.time.to.accept")
                .description("From a rep getting a lead to their accepting or working it")
                .tag("pipeline", decision.getPipeline().name())
                .tag("rep", decision.getOwner().getRepId())
                .publishPercentileHistogram()
                .register(registry)
                .record(waited);
    }

    @Override
    public void reminded(String policy) {
        Counter.builder("leadflow.routing.sla.reminders").description("SLA reminders sent to owners")
                .tag("policy", policy == null ? "none" : policy).register(registry).increment();
    }

    @Override
    public void reassigned(String policy, String cause) {
        Counter.builder("leadflow.routing.sla.reassignments").description("Leads given to another owner as a new decision version")
                .tag("policy", policy == null ? "none" : policy).tag("cause", cause).register(registry).increment();
    }

    @Override
    public void breached(String policy) {
        Counter.builder("leadflow.routing.sla.breaches").description("Leads no one accepted in time with no one left to reassign them to")
                .tag("policy", policy == null ? "none" : policy).register(registry).increment();
    }

    @Override
    public void ignored(String what, String why) {
        Counter.builder("leadflow.routing.activity.ignored").description("Activities and re-routes that changed nothing, by why")
                .tag("kind", what).tag("reason", why).register(registry).increment();
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
