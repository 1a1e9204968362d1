package io.leadflow.routing.topology;

import io.leadflow.avro.LeadReceived;
import io.leadflow.avro.LeadRouted;
import io.leadflow.platform.logging.Masking;
import io.leadflow.routing.decide.Decision;
import io.leadflow.routing.decide.Router;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;

/**
 * Routes one lead: the stored decision when the lead was seen before, otherwise a new one from the
 * rules, stored before it is forwarded. Keys come out as the leadId.
 */
final class RoutingProcessor implements Processor<String, LeadReceived, String, LeadRouted> {

    private static final Logger log = LoggerFactory.getLogger(RoutingProcessor.class);

    private final Router router;
    private final Clock clock;
    private final DecisionListener listener;
    private ProcessorContext<String, LeadRouted> context;
    private KeyValueStore<String, LeadRouted> decisions;
    private StoreRoutingState state;

    RoutingProcessor(Router router, Clock clock, DecisionListener listener) {
        this.router = router;
        this.clock = clock;
        this.listener = listener;
    }

    @Override
    public void init(ProcessorContext<String, LeadRouted> context) {
        this.context = context;
        this.decisions = context.getStateStore(RoutingTopology.DECISIONS_STORE);
        this.state = new StoreRoutingState(context.getStateStore(RoutingTopology.ACCOUNTS_STORE),
                context.getStateStore(RoutingTopology.COUNTERS_STORE));
    }

    @Override
    public void process(Record<String, LeadReceived> record) {
        LeadReceived lead = record.value();
        if (lead == null) {
            return;
        }
        String leadId = lead.getLeadId();
        LeadRouted known = decisions.get(leadId);
        if (known != null) {
            log.info("Lead {} seen again: re-emitting its decision of {} (owner {})", leadId, known.getRoutedAt(), known.getOwner().getRepId());
            listener.reemitted(known);
            context.forward(record.withKey(leadId).withValue(known));
            return;
        }
        Instant now = clock.instant();
        Decision decision = router.decide(lead, now, state);
        LeadRouted routed = decision.toLeadRouted(lead, now);
        decisions.put(leadId, routed);
        log.info("Lead {} from {} routed {} / {} to {}{}", leadId, Masking.email(lead.getContact() == null ? null : lead.getContact().getEmail()),
                routed.getPipeline(), routed.getRecommendedPlan(), routed.getOwner().getRepId(),
                decision.fallbackOwner() ? " (fallback owner: no rep available)" : "");
        listener.decided(routed);
        context.forward(record.withKey(leadId).withValue(routed));
    }
}
