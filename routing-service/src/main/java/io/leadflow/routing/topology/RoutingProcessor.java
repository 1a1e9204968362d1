package io.leadflow.routing.topology;

import io.leadflow.avro.LeadReceived;
import io.leadflow.avro.LeadRouted;
import io.leadflow.avro.RulesVersion;
import io.leadflow.platform.logging.Masking;
import io.leadflow.routing.decide.Decision;
import io.leadflow.routing.decide.Router;
import io.leadflow.routing.privacy.ErasedPeople;
import io.leadflow.routing.privacy.RoutingErasures;
import io.leadflow.schemas.Topics;
import io.leadflow.routing.intro.IntroEmails;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;

/**
 * Routes one lead: a new decision from the rules, stored before it is forwarded; for a lead seen before, the stored
 * decision (pipeline, plan, owner, reasons and when it was made never change). When the lead comes again with other
 * content (a rescheduled demo, say), the stored decision is re-emitted with the new content and stored so; the lead
 * keeps the {@code receivedAt} of its first arrival. Keys come out as the leadId.
 * <p>
 * A published rules version ({@link RulesVersion}) in the lane switches the rules from that record on: every lead after
 * it in the lane is decided under it, every lead before it under the previous one, wherever and however often the lane
 * is processed. Each decision carries the version in {@code publishedRulesVersion}.
 */
final class RoutingProcessor implements Processor<String, SpecificRecord, String, Routing> {

    private static final Logger log = LoggerFactory.getLogger(RoutingProcessor.class);

    private final Router initial;
    private final Clock clock;
    private final DecisionListener listener;
    private final ErasedPeople erasedPeople;
    private final IntroEmails intros;
    private ProcessorContext<String, Routing> context;
    private KeyValueStore<String, String> erased;
    private KeyValueStore<String, LeadRouted> decisions;
    private StoreRoutingState state;
    private LeadOwnership ownership;
    private LiveRules rules;

    RoutingProcessor(Router initial, Clock clock, DecisionListener listener, ErasedPeople erasedPeople, IntroEmails intros) {
        this.erasedPeople = erasedPeople;
        this.initial = initial;
        this.intros = intros;
        this.clock = clock;
        this.listener = listener;
    }

    @Override
    public void init(ProcessorContext<String, Routing> context) {
        this.context = context;
        this.decisions = context.getStateStore(RoutingTopology.DECISIONS_STORE);
        this.erased = context.getStateStore(RoutingErasures.ERASED_STORE);
        this.state = new StoreRoutingState(context.getStateStore(RoutingTopology.ACCOUNTS_STORE),
                context.getStateStore(RoutingTopology.COUNTERS_STORE));
        this.rules = RoutingTopology.liveRules(context, initial);
        this.ownership = RoutingTopology.ownership(context, rules, listener);
    }

    @Override
    public void process(Record<String, SpecificRecord> record) {
        if (record.value() instanceof RulesVersion published) {
            if (rules.adopt(published)) {
                ownership = RoutingTopology.ownership(context, rules, listener);
            }
            return;
        }
        if (!(record.value() instanceof LeadReceived lead)) {
            return;
        }
        if (erasedPeople.skip(erased, lead, Topics.LEADS_RECEIVED.name())) {
            return;
        }
        String leadId = lead.getLeadId();
        LeadRouted known = decisions.get(leadId);
        Instant now = clock.instant();
        if (known != null && sameContent(known.getLead(), lead)) {
            log.info("Lead {} seen again: re-emitting its decision of {} (owner {})", leadId, known.getRoutedAt(), known.getOwner().getRepId());
            listener.reemitted(known);
            context.forward(record.withKey(leadId).withValue(new Routing(known, Routing.Kind.REPEATED, null, now)));
            return;
        }
        if (known != null) {
            LeadRouted updated = LeadRouted.newBuilder(known)
                    .setLead(LeadReceived.newBuilder(lead).setReceivedAt(known.getLead().getReceivedAt()).build())
                    .build();
            decisions.put(leadId, updated);
            log.info("Lead {} changed (demo {} -> {}): re-emitting its decision of {} (owner {}) with the new content", leadId,
                    known.getLead().getDemo() == null ? "none" : known.getLead().getDemo().getStartsAt(),
                    lead.getDemo() == null ? "none" : lead.getDemo().getStartsAt(), known.getRoutedAt(), known.getOwner().getRepId());
            listener.updated(known, updated);
            context.forward(record.withKey(leadId).withValue(new Routing(updated, Routing.Kind.UPDATED, known.getLead(), now)));
            return;
        }
        Decision decision = rules.router().decide(lead, now, state);
        LeadRouted routed = decision.toLeadRouted(lead, now);
        routed.setPublishedRulesVersion(rules.version());
        // written once, for the first owner: later versions carry it as it was (the lead gets one introduction)
        routed.setIntroEmail(intros.render(routed));
        decisions.put(leadId, routed);
        ownership.start(routed, now);
        log.info("Lead {} from {} routed {} / {} to {}{}", leadId, Masking.email(lead.getContact() == null ? null : lead.getContact().getEmail()),
                routed.getPipeline(), routed.getRecommendedPlan(), routed.getOwner().getRepId(),
                decision.fallbackOwner() ? " (fallback owner: no rep available)" : "");
        listener.decided(routed);
        context.forward(record.withKey(leadId).withValue(new Routing(routed, Routing.Kind.DECIDED, null, now)));
    }

    /** The same lead as before, but for when lead-intake accepted this delivery of it. */
    static boolean sameContent(LeadReceived stored, LeadReceived incoming) {
        return LeadReceived.newBuilder(incoming).setReceivedAt(stored.getReceivedAt()).build().equals(stored);
    }
}
