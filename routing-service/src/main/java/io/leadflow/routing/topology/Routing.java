package io.leadflow.routing.topology;

import io.leadflow.avro.LeadReceived;
import io.leadflow.avro.LeadRouted;
import io.leadflow.avro.RepAlert;
import io.leadflow.routing.decide.DemoRescheduledAlert;
import io.leadflow.routing.decide.NewLeadAlert;

import java.time.Instant;
import java.util.List;

/**
 * What the routing processor did with one {@code leads.received} record: the decision it emits on {@code leads.routed},
 * and the alerts that go with it.
 *
 * @param decision the decision to emit
 * @param kind     a first decision, the stored one for a lead seen again unchanged, or the stored one with the lead's new content
 * @param previous for {@link Kind#UPDATED}, the lead as it was before
 * @param at       when it was processed
 */
record Routing(LeadRouted decision, Kind kind, LeadReceived previous, Instant at) {

    enum Kind {
        DECIDED, REPEATED, UPDATED
    }

    /**
     * A first decision and an unchanged repeat give the {@code NEW_LEAD} alert (the same alertId and content, so the
     * notifier posts it once); a lead whose demo moved gives its owner a "demo rescheduled" alert; other updates none.
     */
    List<RepAlert> alerts() {
        return switch (kind) {
            case DECIDED, REPEATED -> List.of(NewLeadAlert.from(decision));
            case UPDATED -> DemoRescheduledAlert.moved(previous.getDemo(), decision.getLead().getDemo())
                    ? List.of(DemoRescheduledAlert.from(decision, previous.getDemo(), at)) : List.of();
        };
    }
}
