package io.leadflow.routing.topology;

import io.leadflow.avro.CrmSynced;
import io.leadflow.avro.ErasureReport;
import io.leadflow.avro.ErasureRequested;
import io.leadflow.avro.LeadActivity;
import io.leadflow.avro.LeadReceived;
import io.leadflow.avro.LeadRouted;
import io.leadflow.avro.RepAlert;
import io.leadflow.avro.RerouteRequested;
import io.leadflow.avro.RulesVersion;
import io.leadflow.routing.decide.Router;
import io.leadflow.routing.intro.IntroEmails;
import io.leadflow.routing.privacy.ErasedPeople;
import io.leadflow.routing.rules.RoutingRules;
import io.leadflow.schemas.Topics;
import io.leadflow.schemas.serde.AvroSerde;
import io.leadflow.testing.MutableClock;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
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
import java.util.UUID;

/**
 * The routing topology in a {@link TopologyTestDriver}, with a clock the test moves and in-memory stores (RocksDB would flush
 * on every record the driver commits). Public for the tests of the erasure steps, which live with their package.
 */
public final class RoutingDriver implements AutoCloseable {

    public final MutableClock clock = new MutableClock(Instant.parse("2026-01-05T10:00:00Z"));
    private final TopologyTestDriver driver;
    private final TestInputTopic<String, LeadReceived> leads;
    private final TestOutputTopic<String, LeadRouted> routed;
    private final TestOutputTopic<String, RepAlert> alerts;
    private final TestInputTopic<String, LeadActivity> activity;
    private final TestInputTopic<String, CrmSynced> synced;
    private final TestInputTopic<String, RerouteRequested> commands;
    private final TestInputTopic<String, RulesVersion> rulesVersions;
    private final TestInputTopic<String, ErasureRequested> erasures;
    private final TestOutputTopic<String, ErasureReport> reports;

    RoutingDriver(RoutingRules rules, Path stateDir) {
        this(rules, stateDir, ErasedPeople.none(), IntroEmails.none());
    }

    RoutingDriver(RoutingRules rules, Path stateDir, IntroEmails intros) {
        this(rules, stateDir, ErasedPeople.none(), intros);
    }

    /** @param erased who is erased, and how a person is named */
    public RoutingDriver(RoutingRules rules, Path stateDir, ErasedPeople erased) {
        this(rules, stateDir, erased, IntroEmails.none());
    }

    private RoutingDriver(RoutingRules rules, Path stateDir, ErasedPeople erased, IntroEmails intros) {
        Map<String, Object> serdes = Map.of("schema.registry.url", "mock://routing-ttd-" + UUID.randomUUID());
        RoutingTopology topology = new RoutingTopology(new Router(rules), clock, serdes, DecisionListener.NONE,
                RoutingTopology.StoreKind.IN_MEMORY, RoutingTopology.SlaSettings.DEFAULT, erased, intros);
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "leadflow-routing-test");
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        config.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        config.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        driver = new TopologyTestDriver(topology.build(new StreamsBuilder()), config);
        leads = driver.createInputTopic(Topics.LEADS_RECEIVED.name(), new StringSerializer(),
                AvroSerde.forValues(LeadReceived.class, serdes).serializer());
        routed = driver.createOutputTopic(Topics.LEADS_ROUTED.name(), new StringDeserializer(),
                AvroSerde.forValues(LeadRouted.class, serdes).deserializer());
        alerts = driver.createOutputTopic(Topics.REP_ALERTS.name(), new StringDeserializer(),
                AvroSerde.forValues(RepAlert.class, serdes).deserializer());
        activity = driver.createInputTopic(Topics.LEADS_ACTIVITY.name(), new StringSerializer(),
                AvroSerde.forValues(LeadActivity.class, serdes).serializer());
        synced = driver.createInputTopic(Topics.CRM_SYNCED.name(), new StringSerializer(),
                AvroSerde.forValues(CrmSynced.class, serdes).serializer());
        commands = driver.createInputTopic(Topics.ROUTING_COMMANDS.name(), new StringSerializer(),
                AvroSerde.forValues(RerouteRequested.class, serdes).serializer());
        rulesVersions = driver.createInputTopic(Topics.ROUTING_RULES.name(), new StringSerializer(),
                AvroSerde.forValues(RulesVersion.class, serdes).serializer());
        erasures = driver.createInputTopic(Topics.PRIVACY_ERASURES.name(), new StringSerializer(),
                AvroSerde.forValues(ErasureRequested.class, serdes).serializer());
        reports = driver.createOutputTopic(Topics.PRIVACY_ERASURE_REPORTS.name(), new StringDeserializer(),
                AvroSerde.forValues(ErasureReport.class, serdes).deserializer());
    }

    /** A published rules version on routing.rules, keyed as routing-service keys it. */
    void publish(RulesVersion value) {
        rulesVersions.pipeInput("%010d".formatted(value.getVersion()), value);
    }

    /** Moves the clock and the driver's wall clock together, so due SLA clocks fire as they would after that long. */
    void advance(Duration duration) {
        clock.advance(duration);
        driver.advanceWallClockTime(duration);
    }

    /** Moves both clocks to {@code instant} (not backwards). */
    void advanceTo(Instant instant) {
        advance(Duration.between(clock.instant(), instant));
    }

    /** An activity on leads.activity, keyed as lead-intake keys it: the leadId, else the HubSpot record. */
    void activity(LeadActivity value) {
        String key = value.getLeadId() != null ? value.getLeadId()
                : value.getHubspotContactId() != null ? "hubspot:contact:" + value.getHubspotContactId() : "hubspot:deal:" + value.getHubspotDealId();
        activity.pipeInput(key, value);
    }

    public void synced(CrmSynced value) {
        synced.pipeInput(value.getLeadId(), value);
    }

    void reroute(RerouteRequested value) {
        commands.pipeInput(value.getLeadId(), value);
    }

    /** An erasure request on privacy.erasures, keyed by the person's subject as lead-intake keys it. */
    public void erase(ErasureRequested value) {
        erasures.pipeInput(value.getSubject(), value);
    }

    /** The erasure reports written since the last call. */
    public List<KeyValue<String, ErasureReport>> reports() {
        return reports.readKeyValuesToList();
    }

    public <V> KeyValueStore<String, V> store(String name) {
        return driver.getKeyValueStore(name);
    }

    /** Sends the lead and returns its decision (the one record it produced on leads.routed). */
    LeadRouted route(LeadReceived lead) {
        send(lead);
        List<KeyValue<String, LeadRouted>> out = routed.readKeyValuesToList();
        if (out.size() != 1) {
            throw new AssertionError("expected one decision, got " + out.size());
        }
        return out.get(0).value;
    }

    public void send(LeadReceived lead) {
        leads.pipeInput(lead.getLeadId(), lead);
    }

    public List<KeyValue<String, LeadRouted>> decisions() {
        return routed.readKeyValuesToList();
    }

    List<KeyValue<String, RepAlert>> alerts() {
        return alerts.readKeyValuesToList();
    }

    /** Every record written so far to the changelog of the SLA due index (key, value; a null value is a tombstone). */
    List<KeyValue<String, String>> dueIndexChangelog() {
        return driver.createOutputTopic("leadflow-routing-test-" + RoutingTopology.SLA_DUE_STORE + "-changelog",
                new StringDeserializer(), new StringDeserializer()).readKeyValuesToList();
    }

    public KeyValueStore<String, LeadRouted> decisionStore() {
        return driver.getKeyValueStore(RoutingTopology.DECISIONS_STORE);
    }

    @Override
    public void close() {
        driver.close();
    }
}
