package io.leadflow.trials.topology;

import io.leadflow.avro.CrmSynced;
import io.leadflow.avro.DealStageChanged;
import io.leadflow.avro.LeadActivity;
import io.leadflow.avro.LeadRouted;
import io.leadflow.avro.RepAlert;
import io.leadflow.avro.TrialEvent;
import io.leadflow.avro.TrialReminder;
import io.leadflow.schemas.Topics;
import io.leadflow.schemas.serde.AvroSerde;
import io.leadflow.trials.timers.DueIndex;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/** A {@link TopologyTestDriver} around {@link TrialTopology} with typed topics and a wall clock to move. */
final class Driver implements AutoCloseable {

    private static final Map<String, Object> SERDES = Map.of("schema.registry.url", "mock://trial-topology-tests");

    final TopologyTestDriver driver;
    final TestInputTopic<String, LeadRouted> routed;
    final TestInputTopic<String, CrmSynced> synced;
    final TestInputTopic<String, DealStageChanged> stageChanges;
    final TestInputTopic<String, LeadActivity> activities;
    final TestInputTopic<String, TrialEvent> events;
    final TestOutputTopic<String, TrialEvent> eventsOut;
    final TestOutputTopic<String, TrialReminder> reminders;
    final TestOutputTopic<String, RepAlert> alerts;
    private Instant now;

    Driver(Path stateDir, Instant start, TrialSettings settings, TrialObserver observer) {
        this(stateDir, start, new TrialTopology(settings, SERDES, observer));
    }

    Driver(Path stateDir, Instant start, TrialTopology topology) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "leadflow-trials-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        this.driver = new TopologyTestDriver(topology.build(), props, start);
        this.now = start;
        var keys = Serdes.String();
        routed = driver.createInputTopic(Topics.LEADS_ROUTED.name(), keys.serializer(), avro(LeadRouted.class).serializer());
        synced = driver.createInputTopic(Topics.CRM_SYNCED.name(), keys.serializer(), avro(CrmSynced.class).serializer());
        stageChanges = driver.createInputTopic(Topics.DEALS_STAGE_CHANGED.name(), keys.serializer(),
                avro(DealStageChanged.class).serializer());
        activities = driver.createInputTopic(Topics.LEADS_ACTIVITY.name(), keys.serializer(), avro(LeadActivity.class).serializer());
        events = driver.createInputTopic(Topics.TRIALS_EVENTS.name(), keys.serializer(), avro(TrialEvent.class).serializer());
        eventsOut = driver.createOutputTopic(Topics.TRIALS_EVENTS.name(), keys.deserializer(), avro(TrialEvent.class).deserializer());
        reminders = driver.createOutputTopic(Topics.TRIALS_REMINDERS.name(), keys.deserializer(),
                avro(TrialReminder.class).deserializer());
        alerts = driver.createOutputTopic(Topics.REP_ALERTS.name(), keys.deserializer(), avro(RepAlert.class).deserializer());
    }

    Driver(Path stateDir, Instant start) {
        this(stateDir, start, Fixtures.SETTINGS, TrialObserver.NONE);
    }

    /** On in-memory stores: every TopologyTestDriver step commits, and a RocksDB commit costs a flush. */
    static Driver inMemory(Path stateDir, Instant start) {
        return new Driver(stateDir, start, new TrialTopology(Fixtures.SETTINGS, SERDES, TrialObserver.NONE).inMemory());
    }

    void send(TrialEvent event) {
        events.pipeInput(event.getTrialId(), event, now);
    }

    /** Moves the wall clock to {@code instant}; the punctuator runs once for the whole jump. */
    void advanceTo(Instant instant) {
        Duration step = Duration.between(now, instant);
        if (step.isNegative()) {
            throw new IllegalArgumentException("the clock only moves forward: " + instant + " < " + now);
        }
        now = instant;
        driver.advanceWallClockTime(step);
    }

    Instant now() {
        return now;
    }

    /** The trial as the API reads it: with the reminders fired since its last event folded in. */
    TrialState trial(String trialId) {
        KeyValueStore<String, TrialState> trials = driver.getKeyValueStore(TrialState.STORE);
        KeyValueStore<String, List<TrialState.Fired>> fired = driver.getKeyValueStore(FiredReminders.STORE);
        return FiredReminders.read(trials, fired, trialId);
    }

    long pendingTimers() {
        KeyValueStore<String, String> store = driver.getKeyValueStore(DueIndex.STORE);
        long count = 0;
        try (var all = store.all()) {
            while (all.hasNext()) {
                all.next();
                count++;
            }
        }
        return count;
    }

    private static <T extends SpecificRecord> AvroSerde<T> avro(Class<T> type) {
        return AvroSerde.forValues(type, SERDES);
    }

    @Override
    public void close() {
        driver.close();
    }
}
