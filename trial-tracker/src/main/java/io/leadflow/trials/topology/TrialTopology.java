package io.leadflow.trials.topology;

import io.leadflow.avro.CrmSynced;
import io.leadflow.avro.DealStageChanged;
import io.leadflow.avro.LeadRouted;
import io.leadflow.avro.RepAlert;
import io.leadflow.avro.TrialEvent;
import io.leadflow.avro.TrialReminder;
import io.leadflow.avro.TrialStarted;
import io.leadflow.platform.streams.StateJson;
import io.leadflow.schemas.Topics;
import io.leadflow.schemas.serde.AvroSerde;
import io.leadflow.trials.timers.DueIndex;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Joined;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.KTable;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The trial-tracker topology.
 *
 * <pre>
 * leads.routed ──table──┐
 *                       ├─ outer join by leadId ─► re-key by trial id (lead's and deal's) ─► trial-context table
 * crm.synced ───table───┘                                                                        │
 * deals.stage-changed ─► stage = evaluation? ─► re-key by deal's trial id ─► left join ─► TrialStarted ─► trials.events
 * trials.events ─► TrialProcessor (stores: trials, trial-fired, trial-due, trial-context; wall-clock punctuator)
 *                    ├─► trials.reminders (key trialId)
 *                    └─► rep.alerts       (key repId)
 * </pre>
 *
 * A trial started in HubSpot is written back to {@code trials.events} as a {@link TrialStarted} (origin HUBSPOT)
 * rather than applied in place: {@code trials.events} stays the complete log of every start, extension and close,
 * whatever started it, and one processor applies them all. Every internal topic has the partition count of
 * {@code trials.events}, so the context of a trial lives in the same task as the trial.
 */
public final class TrialTopology {

    private static final Logger log = LoggerFactory.getLogger(TrialTopology.class);

    private final TrialSettings settings;
    private final Map<String, ?> serdeConfig;
    private final TrialObserver observer;
    private final boolean persistent;

    /**
     * @param serdeConfig the Avro serde settings ({@code schema.registry.url}, ...)
     */
    public TrialTopology(TrialSettings settings, Map<String, ?> serdeConfig, TrialObserver observer) {
        this(settings, serdeConfig, observer, true);
    }

    private TrialTopology(TrialSettings settings, Map<String, ?> serdeConfig, TrialObserver observer, boolean persistent) {
        this.settings = settings;
        this.serdeConfig = serdeConfig;
        this.observer = observer;
        this.persistent = persistent;
    }

    /**
     * The same topology on in-memory stores of the trials and timers without changelogs, for tests that drive tens
     * of thousands of steps through {@code TopologyTestDriver}, where every step commits (a RocksDB flush) and every
     * changelog record is captured. Never for production: nothing would survive a restart.
     */
    public TrialTopology inMemory() {
        return new TrialTopology(settings, serdeConfig, observer, false);
    }

    /** The topology on a builder of its own, e.g. for {@code TopologyTestDriver}. */
    public Topology build() {
        StreamsBuilder builder = new StreamsBuilder();
        addTo(builder);
        return builder.build();
    }

    /** Adds every node to {@code builder} (the application's, under Spring). */
    public void addTo(StreamsBuilder builder) {
        Serde<String> keys = Serdes.String();
        Serde<TrialContext> contextSerde = StateJson.serde(TrialContext.class);
        int partitions = Topics.TRIALS_EVENTS.partitions();

        KTable<String, LeadRouted> leads = builder.table(Topics.LEADS_ROUTED.name(),
                Consumed.with(keys, avro(LeadRouted.class)).withName("leads-routed"),
                Materialized.<String, LeadRouted>as(table("leads"))
                        .withKeySerde(keys).withValueSerde(avro(LeadRouted.class)));
        KTable<String, CrmSynced> synced = builder.table(Topics.CRM_SYNCED.name(),
                Consumed.with(keys, avro(CrmSynced.class)).withName("crm-synced"),
                Materialized.<String, CrmSynced>as(table("crm-synced"))
                        .withKeySerde(keys).withValueSerde(avro(CrmSynced.class)));
        KTable<String, TrialContext> context = leads
                .outerJoin(synced, TrialContext::of, Named.as("lead-with-deal"),
                        Materialized.<String, TrialContext>as(table("lead-context"))
                                .withKeySerde(keys).withValueSerde(contextSerde))
                .toStream(Named.as("lead-context-changes"))
                .flatMap((leadId, known) -> byTrialId(known), Named.as("context-by-trial-id"))
                .repartition(Repartitioned.with(keys, contextSerde).withName("trial-context-by-trial")
                        .withNumberOfPartitions(partitions))
                .toTable(Named.as("trial-context-table"),
                        Materialized.<String, TrialContext>as(table(TrialContext.STORE))
                                .withKeySerde(keys).withValueSerde(contextSerde));

        builder.stream(Topics.DEALS_STAGE_CHANGED.name(),
                        Consumed.with(keys, avro(DealStageChanged.class)).withName("deal-stage-changes"))
                .filter((dealId, change) -> change != null && settings.trialStageId().equals(change.getStageId()),
                        Named.as("into-evaluation-stage"))
                .selectKey((dealId, change) -> TrialIds.forDeal(change.getDealId()), Named.as("by-deal-trial-id"))
                .repartition(Repartitioned.with(keys, avro(DealStageChanged.class)).withName("stage-changes-by-trial")
                        .withNumberOfPartitions(partitions))
                .leftJoin(context, this::startFromHubSpot, Joined.with(keys, avro(DealStageChanged.class), contextSerde)
                        .withName("stage-change-with-context"))
                .filter((trialId, started) -> started != null, Named.as("hands-on-only"))
                .to(Topics.TRIALS_EVENTS.name(), Produced.with(keys, avro(TrialEvent.class)).withName("hubspot-starts"));

        builder.addStateStore(logged(Stores.keyValueStoreBuilder(store(TrialState.STORE), keys,
                StateJson.serde(TrialState.class))));
        builder.addStateStore(logged(Stores.keyValueStoreBuilder(store(FiredReminders.STORE), keys,
                StateJson.serde(FiredReminders.TYPE))));
        builder.addStateStore(logged(Stores.keyValueStoreBuilder(store(DueIndex.STORE), keys, Serdes.String())));
        KStream<String, SpecificRecord> fired = builder
                .stream(Topics.TRIALS_EVENTS.name(), Consumed.with(keys, avro(TrialEvent.class)).withName("trial-events"))
                .process(() -> new TrialProcessor(settings, observer), Named.as("trials"),
                        TrialState.STORE, FiredReminders.STORE, DueIndex.STORE, TrialContext.STORE);
        fired.split(Named.as("fired-"))
                .branch((key, value) -> value instanceof TrialReminder, Branched.withConsumer(reminders -> reminders
                        .mapValues(value -> (TrialReminder) value, Named.as("as-reminder"))
                        .to(Topics.TRIALS_REMINDERS.name(), Produced.with(keys, avro(TrialReminder.class)).withName("reminders")),
                        "reminder"))
                .branch((key, value) -> value instanceof RepAlert, Branched.withConsumer(alerts -> alerts
                        .mapValues(value -> (RepAlert) value, Named.as("as-alert"))
                        .to(Topics.REP_ALERTS.name(), Produced.with(keys, avro(RepAlert.class)).withName("alerts")),
                        "alert"))
                .noDefaultBranch();
    }

    /** A start for a deal that entered the evaluation stage, or null when the deal is known not to be hands-on. */
    private TrialEvent startFromHubSpot(String trialId, DealStageChanged change, TrialContext known) {
        String refusal = settings.refusal(change.getPipelineId(), known);
        if (refusal != null) {
            observer.refused("HUBSPOT", "not-hands-on");
            log.warn("Deal {} entered the evaluation stage but no trial starts: {}", change.getDealId(), refusal);
            return null;
        }
        TrialStarted started = TrialStarted.newBuilder()
                .setDealId(change.getDealId())
                .setLeadId(known == null ? null : known.leadId())
                .setStartsAt(change.getOccurredAt())
                .setOrigin("HUBSPOT")
                .build();
        return TrialEvent.newBuilder()
                .setEventId("hubspot:" + change.getPortalId() + ":" + change.getEventId())
                .setTrialId(trialId)
                .setOccurredAt(change.getOccurredAt())
                .setPayload(started)
                .build();
    }

    /** The lead's context under the lead's trial id and, once the lead has a deal, under the deal's trial id too. */
    private static List<KeyValue<String, TrialContext>> byTrialId(TrialContext known) {
        List<KeyValue<String, TrialContext>> out = new ArrayList<>(2);
        if (known == null) {
            return out;
        }
        out.add(KeyValue.pair(TrialIds.forLead(known.leadId()), known));
        if (known.dealId() != null) {
            out.add(KeyValue.pair(TrialIds.forDeal(known.dealId()), known));
        }
        return out;
    }

    private <S extends StateStore> StoreBuilder<S> logged(StoreBuilder<S> builder) {
        return persistent ? builder : builder.withLoggingDisabled();
    }

    private KeyValueBytesStoreSupplier table(String name) {
        return persistent ? Stores.persistentTimestampedKeyValueStore(name) : Stores.inMemoryKeyValueStore(name);
    }

    private KeyValueBytesStoreSupplier store(String name) {
        return persistent ? Stores.persistentKeyValueStore(name) : Stores.inMemoryKeyValueStore(name);
    }

    private <T extends SpecificRecord> AvroSerde<T> avro(Class<T> type) {
        return AvroSerde.forValues(type, serdeConfig);
    }
}
