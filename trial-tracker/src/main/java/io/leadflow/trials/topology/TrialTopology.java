package io.leadflow.trials.topology;

import io.leadflow.avro.ActivityKind;
import io.leadflow.avro.CrmSynced;
import io.leadflow.avro.DealStageChanged;
import io.leadflow.avro.Demo;
import io.leadflow.avro.ErasureReport;
import io.leadflow.avro.ErasureRequested;
import io.leadflow.avro.KickoffBooked;
import io.leadflow.avro.KickoffCanceled;
import io.leadflow.avro.LeadActivity;
import io.leadflow.avro.LeadRouted;
import io.leadflow.avro.RepAlert;
import io.leadflow.avro.SyncOutcome;
import io.leadflow.avro.TrialEvent;
import io.leadflow.avro.TrialReminder;
import io.leadflow.avro.TrialStarted;
import io.leadflow.platform.privacy.Subjects;
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

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The trial-tracker topology.
 *
 * <pre>
 * leads.routed ──table──┐
 *                       ├─ outer join by leadId ─► re-key by trial id (lead's and deal's) ─► trial-context table
 * crm.synced ───table───┤                                                                        │
 *                       └─ join by leadId: a booking attached to a deal ─► KickoffBooked ─► trials.events
 * leads.activity ─► booking cancelled ─► join crm.synced by leadId: on a deal? ─► KickoffCanceled ─► trials.events
 *                                                                                                │
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
    private final Subjects subjects;
    private final Clock clock;
    private final int erasurePartitions;

    /** The {@code leads} table's store: each routed lead by lead id. */
    static final String LEADS_STORE = "leads";

    /**
     * @param serdeConfig the Avro serde settings ({@code schema.registry.url}, ...)
     */
    public TrialTopology(TrialSettings settings, Map<String, ?> serdeConfig, TrialObserver observer) {
        this(settings, serdeConfig, observer, true, null, Clock.systemUTC(), Topics.LEADS_ROUTED.partitions());
    }

    private TrialTopology(TrialSettings settings, Map<String, ?> serdeConfig, TrialObserver observer, boolean persistent,
                          Subjects subjects, Clock clock, int erasurePartitions) {
        this.settings = settings;
        this.serdeConfig = serdeConfig;
        this.observer = observer;
        this.persistent = persistent;
        this.subjects = subjects;
        this.clock = clock;
        this.erasurePartitions = erasurePartitions;
    }

    /**
     * The same topology recognising people by {@code subjects} (the privacy key's), for erasures; without it an
     * erasure is reported FAILED and old leads of erased people are not recognised.
     */
    public TrialTopology withPrivacy(Subjects subjects, Clock clock) {
        return new TrialTopology(settings, serdeConfig, observer, persistent, subjects, clock, erasurePartitions);
    }

    /**
     * The same topology expecting {@code partitions} partitions of the leads table to report an erasure, for
     * {@code TopologyTestDriver}, which runs every topic on one partition.
     */
    TrialTopology withErasurePartitions(int partitions) {
        return new TrialTopology(settings, serdeConfig, observer, persistent, subjects, clock, partitions);
    }

    /**
     * The same topology on in-memory stores of the trials and timers without changelogs, for tests that drive tens
     * of thousands of steps through {@code TopologyTestDriver}, where every step commits (a RocksDB flush) and every
     * changelog record is captured. Never for production: nothing would survive a restart.
     */
    public TrialTopology inMemory() {
        return new TrialTopology(settings, serdeConfig, observer, false, subjects, clock, erasurePartitions);
    }

    /** The topology on a builder of its own, e.g. for {@code TopologyTestDriver}. */
    public Topology build() {
        StreamsBuilder builder = new StreamsBuilder();
        addTo(builder);
        return complete(builder.build());
    }

    /**
     * Completes the topology {@link #addTo} was built into: the erasure step ahead of the {@code leads} table reads the
     * table's store, which the DSL only creates after it, so it is connected here.
     */
    public Topology complete(Topology built) {
        built.connectProcessorAndStateStores("erase-leads", LEADS_STORE);
        return built;
    }

    /** Adds every node to {@code builder} (the application's, under Spring). */
    public void addTo(StreamsBuilder builder) {
        Serde<String> keys = Serdes.String();
        Serde<TrialContext> contextSerde = StateJson.serde(TrialContext.class);
        int partitions = Topics.TRIALS_EVENTS.partitions();

        KTable<String, LeadRouted> leads = leads(builder, keys);
        KTable<String, CrmSynced> synced = builder.table(Topics.CRM_SYNCED.name(),
                Consumed.with(keys, avro(CrmSynced.class)).withName("crm-synced"),
                Materialized.<String, CrmSynced>as(table("crm-synced"))
                        .withKeySerde(keys).withValueSerde(avro(CrmSynced.class)));
        KTable<String, TrialContext> context = leads
                .outerJoin(synced, TrialContext::of, Named.as("lead-with-deal"),
                        Materialized.<String, TrialContext>as(table("lead-context"))
                                .withKeySerde(keys).withValueSerde(contextSerde))
                .toStream(Named.as("lead-context-changes"))
                .flatMap(TrialTopology::byTrialId, Named.as("context-by-trial-id"))
                .repartition(Repartitioned.with(keys, contextSerde).withName("trial-context-by-trial")
                        .withNumberOfPartitions(partitions))
                .toTable(Named.as("trial-context-table"),
                        Materialized.<String, TrialContext>as(table(TrialContext.STORE))
                                .withKeySerde(keys).withValueSerde(contextSerde));

        leads.join(synced, this::bookingOnDeal, Named.as("booking-on-deal"))
                .toStream(Named.as("bookings-on-deals"))
                .filter((leadId, booked) -> booked != null, Named.as("bookings-only"))
                .selectKey((leadId, booked) -> booked.getTrialId(), Named.as("by-booked-trial-id"))
                .to(Topics.TRIALS_EVENTS.name(), Produced.with(keys, avro(TrialEvent.class)).withName("kickoff-bookings"));

        builder.stream(Topics.LEADS_ACTIVITY.name(), Consumed.with(keys, avro(LeadActivity.class)).withName("lead-activities"))
                .filter((leadId, activity) -> activity != null && activity.getKind() == ActivityKind.BOOKING_CANCELED
                        && activity.getLeadId() != null && activity.getLeadId().equals(leadId), Named.as("booking-cancellations"))
                .join(synced, TrialTopology::cancellationOnDeal, Joined.with(keys, avro(LeadActivity.class), avro(CrmSynced.class))
                        .withName("cancellation-with-deal"))
                .filter((leadId, canceled) -> canceled != null, Named.as("cancellations-on-deals"))
                .selectKey((leadId, canceled) -> canceled.getTrialId(), Named.as("by-canceled-trial-id"))
                .to(Topics.TRIALS_EVENTS.name(), Produced.with(keys, avro(TrialEvent.class)).withName("kickoff-cancellations"));

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

    /**
     * The {@code leads} table: {@code leads.routed} less the old leads of erased people ({@link TrialErasures.Guard}),
     * plus the tombstones of an erasure, which every partition's task writes for its part of the table
     * ({@link TrialErasures.Eraser}); the partitions' progress goes to one collector that reports
     * {@value TrialErasures#SYSTEM} on {@code privacy.erasure-reports}.
     */
    private KTable<String, LeadRouted> leads(StreamsBuilder builder, Serde<String> keys) {
        AvroSerde<ErasureRequested> requests = avro(ErasureRequested.class);
        builder.addStateStore(logged(Stores.keyValueStoreBuilder(store(TrialErasures.ERASED_STORE), keys, Serdes.Long())));
        builder.addStateStore(logged(Stores.keyValueStoreBuilder(store(TrialErasures.PROGRESS_STORE), keys, Serdes.String())));
        builder.addStateStore(logged(Stores.keyValueStoreBuilder(store(TrialErasures.RETRY_STORE), keys, Serdes.String())));
        KStream<String, LeadRouted> routed = builder.stream(Topics.LEADS_ROUTED.name(),
                        Consumed.with(keys, avro(LeadRouted.class)).withName("leads-routed"))
                .process(() -> new TrialErasures.Guard(subjects), Named.as("erased-people-guard"), TrialErasures.ERASED_STORE);
        KStream<String, Object> erasing = builder.stream(Topics.PRIVACY_ERASURES.name(),
                        Consumed.with(keys, requests).withName("privacy-erasures"))
                .filter((subject, request) -> request != null, Named.as("skip-erasure-tombstones"))
                .repartition(Repartitioned.with(keys, requests).withName("erasure-fanout")
                        .withNumberOfPartitions(erasurePartitions)
                        .withStreamPartitioner(TrialErasures.everyPartition()))
                .process(() -> new TrialErasures.Eraser(subjects), Named.as("erase-leads"),
                        TrialErasures.ERASED_STORE, TrialErasures.RETRY_STORE); // and LEADS_STORE, see complete()
        KStream<String, LeadRouted> tombstones = erasing
                .filter((leadId, value) -> value == null, Named.as("lead-tombstones"))
                .mapValues(value -> (LeadRouted) null, Named.as("as-lead-tombstones"));
        erasing.filter((erasureId, value) -> value instanceof String, Named.as("partition-progress"))
                .mapValues(value -> (String) value, Named.as("as-progress"))
                .repartition(Repartitioned.with(keys, Serdes.String()).withName("erasure-progress").withNumberOfPartitions(1))
                .process(() -> new TrialErasures.Collector(erasurePartitions, clock),
                        Named.as("erasure-collector"), TrialErasures.PROGRESS_STORE)
                .to(Topics.PRIVACY_ERASURE_REPORTS.name(), Produced.with(keys, avro(ErasureReport.class)).withName("erasure-reports"));
        return routed.merge(tombstones, Named.as("leads-and-erasures"))
                .toTable(Named.as("leads-table"), Materialized.<String, LeadRouted>as(table(LEADS_STORE))
                        .withKeySerde(keys).withValueSerde(avro(LeadRouted.class)));
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

    /**
     * A calendar booking (a lead with a demo) that crm-sync attached to an open deal of the same person or company, of a
     * kick-off event type when those are configured, as a {@link KickoffBooked} for that deal's trial, or null for
     * anything else. Whether the deal has a running trial
     * whose kick-off this is, the trial processor decides. The event id names the booking's lead and start, so the
     * join's repeats (every later change of the lead or its sync) are one event.
     */
    private TrialEvent bookingOnDeal(LeadRouted routed, CrmSynced synced) {
        Demo demo = routed.getLead() == null ? null : routed.getLead().getDemo();
        if (demo == null || synced.getOutcome() != SyncOutcome.ATTACHED || synced.getDealId() == null
                || !settings.kickoffEventType(demo.getEventType())) {
            return null;
        }
        String leadId = routed.getLeadId();
        return TrialEvent.newBuilder()
                .setEventId("booking:" + leadId + ":" + demo.getStartsAt().toEpochMilli())
                .setTrialId(TrialIds.forDeal(synced.getDealId()))
                .setOccurredAt(routed.getLead().getReceivedAt())
                .setPayload(KickoffBooked.newBuilder()
                        .setBookingLeadId(leadId)
                        .setStartsAt(demo.getStartsAt())
                        .setProvider(demo.getProvider())
                        .build())
                .build();
    }

    /**
     * A booking cancelled (Calendly, Cal.com) whose lead crm-sync attached to a deal, as a {@link KickoffCanceled} for that
     * deal's trial, or null when the booking is on no deal. Whether it was the trial's kick-off, the trial processor
     * decides by the booking's lead. The event id is the activity's, which names the provider's own cancellation, so a
     * repeat of the webhook is one event.
     */
    private static TrialEvent cancellationOnDeal(LeadActivity activity, CrmSynced synced) {
        if (synced == null || synced.getOutcome() != SyncOutcome.ATTACHED || synced.getDealId() == null) {
            return null;
        }
        return TrialEvent.newBuilder()
                .setEventId("booking-canceled:" + activity.getActivityId())
                .setTrialId(TrialIds.forDeal(synced.getDealId()))
                .setOccurredAt(activity.getOccurredAt())
                .setPayload(KickoffCanceled.newBuilder()
                        .setBookingLeadId(activity.getLeadId())
                        .setCanceledAt(activity.getOccurredAt())
                        .setProvider(activity.getSource())
                        .build())
                .build();
    }

    /**
     * The lead's context under the lead's trial id and, once the lead has a deal, under the deal's trial id too. A
     * context deleted (the lead erased, its sync gone) is deleted under the lead's trial id.
     */
    private static List<KeyValue<String, TrialContext>> byTrialId(String leadId, TrialContext known) {
        List<KeyValue<String, TrialContext>> out = new ArrayList<>(2);
        if (known == null) {
            out.add(KeyValue.pair(TrialIds.forLead(leadId), null));
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
