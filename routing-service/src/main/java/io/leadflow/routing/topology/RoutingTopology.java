package io.leadflow.routing.topology;

import io.leadflow.avro.CrmSynced;
import io.leadflow.avro.LeadActivity;
import io.leadflow.avro.LeadReceived;
import io.leadflow.avro.LeadRouted;
import io.leadflow.avro.RepAlert;
import io.leadflow.avro.RerouteRequested;
import io.leadflow.avro.RulesVersion;
import io.leadflow.routing.decide.Router;
import io.leadflow.routing.privacy.ErasedPeople;
import io.leadflow.routing.privacy.RoutingErasures;
import io.leadflow.routing.intro.IntroEmails;
import io.leadflow.schemas.Topics;
import io.leadflow.schemas.serde.AvroSerde;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.Stores;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * {@code leads.received} → routing → {@code leads.routed} (key leadId) and {@code rep.alerts} (key repId): the
 * {@code NEW_LEAD} alert of a decision, and a "demo rescheduled" alert when a known lead's demo moved.
 * <p>
 * Every lead first passes through a one-partition repartition topic, so a single task sees them
 * all: daily caps, round-robin balance and account ownership are then exact however many instances
 * run, at a throughput (thousands of leads a second) far above any inbound sales volume. The task's
 * stores are changelogged; with exactly-once processing a decision, its store updates and both
 * outputs commit together. Published versions of the rules ({@code routing.rules}) go through the same lane, so the
 * switch to a new version falls at the same lead for every instance and every replay.
 */
public final class RoutingTopology {

    /** leadId → the decision, re-emitted when the lead is seen again (with the lead's latest content). */
    public static final String DECISIONS_STORE = "routing-decisions";
    /** company domain → {@code repId|sinceEpochMillis}. */
    public static final String ACCOUNTS_STORE = "routing-accounts";
    /** {@code day|rep|date} → leads assigned that day; {@code rr|team|rep} → round-robin weight. */
    public static final String COUNTERS_STORE = "routing-counters";

    /** leadId → the lead's SLA clock and ownership history ({@link SlaState} in {@link SlaStateSerde}'s binary format). */
    public static final String SLA_STORE = "routing-sla";
    /** The SLA clocks' due-time index: {@code <due millis>|<leadId>|v<version>|REMIND or REASSIGN}. */
    public static final String SLA_DUE_STORE = "routing-sla-due";
    /** {@code contact:<id>} or {@code deal:<id>} → leadId, from {@code crm.synced}, for HubSpot signals that name no lead. */
    public static final String CRM_LINKS_STORE = "routing-crm-links";

    /** {@code live} → the published rules version the task decides with ({@link LiveRules}). */
    public static final String RULES_STORE = "routing-rules";
    /** The key of the live version in {@link #RULES_STORE}. */
    public static final String LIVE_RULES = LiveRules.LIVE;

    static final String DAY_PREFIX = "day|";
    static final String ROUND_ROBIN_PREFIX = "rr|";

    private final Router router;
    private final Clock clock;
    private final Map<String, ?> serdeConfigs;
    private final DecisionListener listener;
    private final StoreKind stores;
    private final SlaSettings sla;
    private final ErasedPeople erased;
    private final IntroEmails intros;

    /**
     * How SLA clocks are fired.
     *
     * @param punctuationInterval how often the due index is scanned (wall clock)
     * @param maxFiresPerTick     most clocks fired by one scan; the rest fire at the next
     */
    public record SlaSettings(Duration punctuationInterval, int maxFiresPerTick) {
        public static final SlaSettings DEFAULT = new SlaSettings(Duration.ofMillis(200), 10_000);
    }

    /** RocksDB in production; in memory (still changelogged) where a test wants speed over disk. */
    public enum StoreKind {
        PERSISTENT, IN_MEMORY
    }

    /**
     * @param serdeConfigs Avro serde settings, at least {@code schema.registry.url}
     */
    public RoutingTopology(Router router, Clock clock, Map<String, ?> serdeConfigs, DecisionListener listener) {
        this(router, clock, serdeConfigs, listener, StoreKind.PERSISTENT);
    }

    public RoutingTopology(Router router, Clock clock, Map<String, ?> serdeConfigs, DecisionListener listener, StoreKind stores) {
        this(router, clock, serdeConfigs, listener, stores, SlaSettings.DEFAULT);
    }

    public RoutingTopology(Router router, Clock clock, Map<String, ?> serdeConfigs, DecisionListener listener, StoreKind stores,
                           SlaSettings sla) {
        this(router, clock, serdeConfigs, listener, stores, sla, ErasedPeople.none(), IntroEmails.none());
    }

    public RoutingTopology(Router router, Clock clock, Map<String, ?> serdeConfigs, DecisionListener listener, StoreKind stores,
                           SlaSettings sla, ErasedPeople erased) {
        this(router, clock, serdeConfigs, listener, stores, sla, erased, IntroEmails.none());
    }

    public RoutingTopology(Router router, Clock clock, Map<String, ?> serdeConfigs, DecisionListener listener, StoreKind stores,
                           SlaSettings sla, IntroEmails intros) {
        this(router, clock, serdeConfigs, listener, stores, sla, ErasedPeople.none(), intros);
    }

    /**
     * @param erased who is erased, and how a person is named (see {@link RoutingErasures})
     * @param intros writes the introduction email a first decision carries ({@link IntroEmails#none()}: none)
     */
    public RoutingTopology(Router router, Clock clock, Map<String, ?> serdeConfigs, DecisionListener listener, StoreKind stores,
                           SlaSettings sla, ErasedPeople erased, IntroEmails intros) {
        this.erased = erased;
        this.intros = intros;
        this.sla = sla;
        this.router = router;
        this.clock = clock;
        this.serdeConfigs = serdeConfigs;
        this.listener = listener;
        this.stores = stores;
    }

    public Topology build(StreamsBuilder builder) {
        define(builder);
        return builder.build();
    }

    public void define(StreamsBuilder builder) {
        AvroSerde<LeadReceived> leads = AvroSerde.forValues(LeadReceived.class, serdeConfigs);
        AvroSerde<LeadRouted> routed = AvroSerde.forValues(LeadRouted.class, serdeConfigs);
        AvroSerde<RepAlert> alerts = AvroSerde.forValues(RepAlert.class, serdeConfigs);

        builder.addStateStore(Stores.keyValueStoreBuilder(store(DECISIONS_STORE), Serdes.String(), routed));
        builder.addStateStore(Stores.keyValueStoreBuilder(store(ACCOUNTS_STORE), Serdes.String(), Serdes.String()));
        // Cached: every decision and reassignment rewrites its rep's day count and round-robin weight, so a burst to a
        // few reps writes each key once per commit to the changelog rather than once per lead.
        builder.addStateStore(Stores.keyValueStoreBuilder(store(COUNTERS_STORE), Serdes.String(), Serdes.Long()).withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(store(SLA_STORE), Serdes.String(), new SlaStateSerde()));
        builder.addStateStore(Stores.keyValueStoreBuilder(store(SLA_DUE_STORE), Serdes.String(), Serdes.String()));
        builder.addStateStore(Stores.keyValueStoreBuilder(store(CRM_LINKS_STORE), Serdes.String(), Serdes.String()));
        AvroSerde<RulesVersion> published = AvroSerde.forValues(RulesVersion.class, serdeConfigs);
        builder.addStateStore(Stores.keyValueStoreBuilder(store(RULES_STORE), Serdes.String(), published));
        AvroSerde<LeadActivity> activities = AvroSerde.forValues(LeadActivity.class, serdeConfigs);
        AvroSerde<CrmSynced> synced = AvroSerde.forValues(CrmSynced.class, serdeConfigs);
        AvroSerde<RerouteRequested> commands = AvroSerde.forValues(RerouteRequested.class, serdeConfigs);
        // A person's erasure goes through a lane of its own into the same task and stores (RoutingErasures).
        RoutingErasures.define(builder, serdeConfigs, erased, clock, this::store);

        // Published rules versions join the leads in the same one-partition lane: where a version lands among the leads
        // is then written once, in that topic, and every instance that ever runs the task (or restores it) meets it there
        // and switches at the same lead. The lane keeps the name it had when only leads went through it.
        KStream<String, SpecificRecord> rulesVersions = builder
                .stream(Topics.ROUTING_RULES.name(), Consumed.with(Serdes.String(), published).withName("routing-rules"))
                .filter((version, value) -> value != null, Named.as("skip-rules-tombstones"))
                .mapValues(value -> (SpecificRecord) value, Named.as("rules-input"));
        KStream<String, Routing> routings = builder
                .stream(Topics.LEADS_RECEIVED.name(), Consumed.with(Serdes.String(), leads).withName("leads-received"))
                .filter((leadId, lead) -> lead != null, Named.as("skip-tombstones"))
                .mapValues(value -> (SpecificRecord) value, Named.as("lead-input"))
                .merge(rulesVersions, Named.as("leads-and-rules"))
                .repartition(Repartitioned.with(Serdes.String(), new LaneSerde(serdeConfigs)).withName("routing-lane").withNumberOfPartitions(1))
                .process(() -> new RoutingProcessor(router, clock, listener, erased, intros), Named.as("route"),
                        DECISIONS_STORE, ACCOUNTS_STORE, COUNTERS_STORE, SLA_STORE, SLA_DUE_STORE, CRM_LINKS_STORE, RULES_STORE,
                        RoutingErasures.ERASED_STORE);

        routings.mapValues(Routing::decision, Named.as("decision"))
                .to(Topics.LEADS_ROUTED.name(), Produced.with(Serdes.String(), routed).withName("leads-routed"));
        routings.flatMap((leadId, routing) -> routing.alerts().stream().map(alert -> KeyValue.pair(alert.getRepId(), alert)).toList(),
                        Named.as("new-lead-alert"))
                .to(Topics.REP_ALERTS.name(), Produced.with(Serdes.String(), alerts).withName("rep-alerts"));

        // What happens to a lead after its first decision, in the same single lane (each input through its own
        // one-partition repartition topic, so the routing task sees them all) and on the same stores.
        KStream<String, SpecificRecord> activity = builder
                .stream(Topics.LEADS_ACTIVITY.name(), Consumed.with(Serdes.String(), activities).withName("leads-activity"))
                .filter((key, value) -> value != null, Named.as("skip-activity-tombstones"))
                .repartition(Repartitioned.with(Serdes.String(), activities).withName("activity-lane").withNumberOfPartitions(1))
                .mapValues(value -> (SpecificRecord) value, Named.as("activity-input"));
        KStream<String, SpecificRecord> links = builder
                .stream(Topics.CRM_SYNCED.name(), Consumed.with(Serdes.String(), synced).withName("crm-synced"))
                .filter((key, value) -> value != null, Named.as("skip-crm-tombstones"))
                .repartition(Repartitioned.with(Serdes.String(), synced).withName("crm-lane").withNumberOfPartitions(1))
                .mapValues(value -> (SpecificRecord) value, Named.as("crm-input"));
        KStream<String, SpecificRecord> requests = builder
                .stream(Topics.ROUTING_COMMANDS.name(), Consumed.with(Serdes.String(), commands).withName("routing-commands"))
                .filter((key, value) -> value != null, Named.as("skip-command-tombstones"))
                .repartition(Repartitioned.with(Serdes.String(), commands).withName("commands-lane").withNumberOfPartitions(1))
                .mapValues(value -> (SpecificRecord) value, Named.as("command-input"));
        KStream<String, Outcome> outcomes = activity.merge(links, Named.as("activity-and-links")).merge(requests, Named.as("ownership-inputs"))
                .process(() -> new OwnershipProcessor(router, clock, listener, sla), Named.as("ownership"),
                        DECISIONS_STORE, ACCOUNTS_STORE, COUNTERS_STORE, SLA_STORE, SLA_DUE_STORE, CRM_LINKS_STORE, RULES_STORE);
        outcomes.flatMapValues(Outcome::decisions, Named.as("new-versions"))
                .to(Topics.LEADS_ROUTED.name(), Produced.with(Serdes.String(), routed).withName("leads-routed-versions"));
        outcomes.flatMap((leadId, outcome) -> outcome.alerts().stream().map(alert -> KeyValue.pair(alert.getRepId(), alert)).toList(),
                        Named.as("ownership-alerts"))
                .to(Topics.REP_ALERTS.name(), Produced.with(Serdes.String(), alerts).withName("rep-alerts-ownership"));
    }

    /** The ownership logic over a processor's stores (the routing and the ownership processors share them). */
    static LeadOwnership ownership(ProcessorContext<?, ?> context, LiveRules rules, DecisionListener listener) {
        return new LeadOwnership(rules.router(), rules.version(), listener, context.getStateStore(DECISIONS_STORE), context.getStateStore(SLA_STORE),
                context.getStateStore(SLA_DUE_STORE), context.getStateStore(CRM_LINKS_STORE),
                new StoreRoutingState(context.getStateStore(ACCOUNTS_STORE), context.getStateStore(COUNTERS_STORE)));
    }

    /** The rules a processor of the routing task decides with, as the task's stores hold them. */
    static LiveRules liveRules(ProcessorContext<?, ?> context, Router initial) {
        return new LiveRules(initial, context.getStateStore(RULES_STORE), context.getStateStore(COUNTERS_STORE));
    }

    private KeyValueBytesStoreSupplier store(String name) {
        return stores == StoreKind.PERSISTENT ? Stores.persistentKeyValueStore(name) : Stores.inMemoryKeyValueStore(name);
    }
}
