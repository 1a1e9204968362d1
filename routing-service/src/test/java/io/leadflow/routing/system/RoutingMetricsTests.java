package io.leadflow.routing.system;

import io.leadflow.avro.LeadRouted;
import io.leadflow.avro.Owner;
import io.leadflow.avro.Pipeline;
import io.leadflow.avro.Plan;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

import static io.leadflow.routing.Leads.lead;
import static org.assertj.core.api.Assertions.assertThat;

class RoutingMetricsTests {

    @Test
    void timeToAcceptIsAHistogramPerPipelineAndRepAndTheSlaOutcomesAreCountedPerPolicy() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        RoutingMetrics metrics = new RoutingMetrics(registry);
        LeadRouted decision = LeadRouted.newBuilder().setLeadId("lead-1").setRoutedAt(Instant.EPOCH).setLead(lead().build())
                .setPipeline(Pipeline.HANDS_ON).setRecommendedPlan(Plan.ENTERPRISE)
                .setOwner(Owner.newBuilder().setRepId("simon").setName("Simon").setEmail("simon@example.com").build())
                .setRulesVersion("test").build();

        metrics.accepted(decision, Duration.ofMinutes(3));
        metrics.accepted(decision, Duration.ofMinutes(9));
        metrics.reminded("hands-on");
        metrics.reassigned("hands-on", "sla");
        metrics.reassigned("hands-on", "passed");
        metrics.breached("hands-on");
        metrics.ignored("ACCEPTED", "not-the-owner");

        var accept = registry.get("leadflow.routing.sla.time.to.accept").tag("pipeline", "HANDS_ON").tag("rep", "simon").timer();
        assertThat(accept.count()).isEqualTo(2);
        assertThat(accept.max(TimeUnit.MINUTES)).isEqualTo(9.0);
        assertThat(registry.get("leadflow.routing.sla.reminders").tag("policy", "hands-on").counter().count()).isEqualTo(1.0);
        assertThat(registry.get("leadflow.routing.sla.reassignments").tag("cause", "sla").counter().count()).isEqualTo(1.0);
        assertThat(registry.get("leadflow.routing.sla.reassignments").tag("cause", "passed").counter().count()).isEqualTo(1.0);
        assertThat(registry.get("leadflow.routing.sla.breaches").tag("policy", "hands-on").counter().count()).isEqualTo(1.0);
        assertThat(registry.get("leadflow.routing.activity.ignored").tag("reason", "not-the-owner").counter().count()).isEqualTo(1.0);
    }
}
