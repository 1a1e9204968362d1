package io.leadflow.routing.topology;

import io.leadflow.avro.LeadReceived;
import io.leadflow.avro.LeadRouted;
import io.leadflow.avro.RepAlert;
import io.leadflow.routing.decide.Router;
import io.leadflow.schemas.Topics;
import io.leadflow.schemas.serde.AvroSerde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.Stores;

import java.time.Clock;
import java.util.Map;

/**
 * {@code leads.received} → routing → {@code leads.routed} (key leadId) and {@code rep.alerts} (key repId): the
 * {@code NEW_LEAD} alert of a decision, and a "demo rescheduled" alert when a known lead's demo moved.
 * <p>
 * Every lead first passes through a one-partition repartition topic, so a single task sees them
 * all: daily caps, round-robin balance and account ownership are then exact however many instances
 * run, at a throughput (thousands of leads a second) far above any inbound sales volume. The task's
 * stores are changelogged; with exactly-once processing a decision, its store updates and both
 * outputs commit together.
 */
public final class RoutingTopology {

    /** leadId → the decision, re-emitted when the lead is seen again (with the lead's latest content). */
    public static final String DECISIONS_STORE = "routing-decisions";
    /** company domain → {@code repId|sinceEpochMillis}. */
    public static final String ACCOUNTS_STORE = "routing-accounts";
    /** {@code day|rep|date} → leads assigned that day; {@code rr|team|rep} → round-robin weight. */
    public static final String COUNTERS_STORE = "routing-counters";

    static final String DAY_PREFIX = "day|";
    static final String ROUND_ROBIN_PREFIX = "rr|";

    private final Router router;
    private final Clock clock;
    private final Map<String, ?> serdeConfigs;
    private final DecisionListener listener;
    private final StoreKind stores;

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
        builder.addStateStore(Stores.keyValueStoreBuilder(store(COUNTERS_STORE), Serdes.String(), Serdes.Long()));

        KStream<String, Routing> routings = builder
                .stream(Topics.LEADS_RECEIVED.name(), Consumed.with(Serdes.String(), leads).withName("leads-received"))
                .filter((leadId, lead) -> lead != null, Named.as("skip-tombstones"))
                .repartition(Repartitioned.with(Serdes.String(), leads).withName("routing-lane").withNumberOfPartitions(1))
                .process(() -> new RoutingProcessor(router, clock, listener), Named.as("route"),
                        DECISIONS_STORE, ACCOUNTS_STORE, COUNTERS_STORE);

        routings.mapValues(Routing::decision, Named.as("decision"))
                .to(Topics.LEADS_ROUTED.name(), Produced.with(Serdes.String(), routed).withName("leads-routed"));
        routings.flatMap((leadId, routing) -> routing.alerts().stream().map(alert -> KeyValue.pair(alert.getRepId(), alert)).toList(),
                        Named.as("new-lead-alert"))
                .to(Topics.REP_ALERTS.name(), Produced.with(Serdes.String(), alerts).withName("rep-alerts"));
    }

    private KeyValueBytesStoreSupplier store(String name) {
        return stores == StoreKind.PERSISTENT ? Stores.persistentKeyValueStore(name) : Stores.inMemoryKeyValueStore(name);
    }
}
