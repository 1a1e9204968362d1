package io.leadflow.routing.topology;

import io.leadflow.avro.CrmSynced;
import io.leadflow.avro.LeadActivity;
import io.leadflow.avro.RerouteRequested;
import io.leadflow.routing.decide.Router;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

import java.time.Clock;
import java.time.Instant;

/**
 * The routing task's second input lane: {@code leads.activity}, {@code crm.synced} and {@code routing.commands}, applied
 * by {@link LeadOwnership} to the same stores the routing processor decides with; and a wall-clock punctuator that fires
 * due SLA clocks. Time is the injected {@link Clock} (tests move it together with the driver's wall clock).
 */
final class OwnershipProcessor implements Processor<String, SpecificRecord, String, Outcome> {

    private final Router router;
    private final Clock clock;
    private final DecisionListener listener;
    private final RoutingTopology.SlaSettings settings;
    private ProcessorContext<String, Outcome> context;
    private LeadOwnership ownership;
    private LiveRules rules;

    OwnershipProcessor(Router router, Clock clock, DecisionListener listener, RoutingTopology.SlaSettings settings) {
        this.router = router;
        this.clock = clock;
        this.listener = listener;
        this.settings = settings;
    }

    @Override
    public void init(ProcessorContext<String, Outcome> context) {
        this.context = context;
        this.rules = RoutingTopology.liveRules(context, router);
        this.ownership = RoutingTopology.ownership(context, rules, listener);
        context.schedule(settings.punctuationInterval(), PunctuationType.WALL_CLOCK_TIME, timestamp -> fire());
    }

    @Override
    public void process(Record<String, SpecificRecord> record) {
        Instant now = clock.instant();
        followRules();
        SpecificRecord value = record.value();
        Outcome out;
        if (value instanceof LeadActivity activity) {
            out = ownership.apply(activity, now);
        } else if (value instanceof CrmSynced synced) {
            ownership.linked(synced);
            return;
        } else if (value instanceof RerouteRequested request) {
            out = ownership.reroute(request, now);
        } else {
            return;
        }
        emit(out, now);
    }

    /** The routing processor switches rules at their place in the lane; reassignments and re-routes after it use them. */
    private void followRules() {
        if (rules.refresh()) {
            ownership = RoutingTopology.ownership(context, rules, listener);
        }
    }

    private void fire() {
        Instant now = clock.instant();
        followRules();
        emit(ownership.fireDue(now, settings.maxFiresPerTick()), now);
    }

    private void emit(Outcome out, Instant now) {
        if (!out.isEmpty()) {
            String key = !out.decisions().isEmpty() ? out.decisions().get(0).getLeadId() : out.alerts().get(0).getLeadId();
            context.forward(new Record<>(key, out, now.toEpochMilli()));
        }
    }
}
