package io.leadflow.routing.privacy;

import io.leadflow.avro.Contact;
import io.leadflow.avro.CrmSynced;
import io.leadflow.avro.ErasureReport;
import io.leadflow.avro.ErasureRequested;
import io.leadflow.avro.ErasureStatus;
import io.leadflow.avro.LeadReceived;
import io.leadflow.avro.LeadRouted;
import io.leadflow.avro.SyncOutcome;
import io.leadflow.platform.privacy.Subjects;
import io.leadflow.routing.Leads;
import io.leadflow.routing.decide.Router;
import io.leadflow.routing.rules.RulesLoader;
import io.leadflow.routing.topology.DecisionListener;
import io.leadflow.routing.topology.RoutingTopology;
import io.leadflow.schemas.Topics;
import io.leadflow.schemas.serde.AvroSerde;
import io.leadflow.testing.MutableClock;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** A person erased from the routing task's stores through the topology, and their old leads never routed again. */
class RoutingErasureTests {

    private static final String KEY = "routing-erasure-tests-privacy-key-32-bytes";
    private static final Subjects SUBJECTS = new Subjects(KEY);

    @TempDir
    Path stateDir;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-05T10:00:00Z"));
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private TopologyTestDriver driver;
    private TestInputTopic<String, LeadReceived> leads;
    private TestInputTopic<String, CrmSynced> synced;
    private TestInputTopic<String, ErasureRequested> erasures;
    private TestOutputTopic<String, LeadRouted> routed;
    private TestOutputTopic<String, ErasureReport> reports;

    @BeforeEach
    void start() {
        Metrics.addRegistry(meters);
        start(SUBJECTS);
    }

    private void start(Subjects subjects) {
        Map<String, Object> serdes = Map.of("schema.registry.url", "mock://routing-erasure-" + UUID.randomUUID());
        RoutingTopology topology = new RoutingTopology(new Router(RulesLoader.loadDefault()), clock, serdes, DecisionListener.NONE,
                RoutingTopology.StoreKind.IN_MEMORY, RoutingTopology.SlaSettings.DEFAULT, new ErasedPeople(subjects));
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "leadflow-routing-erasure-test");
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        config.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        config.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        driver = new TopologyTestDriver(topology.build(new StreamsBuilder()), config);
        leads = driver.createInputTopic(Topics.LEADS_RECEIVED.name(), new StringSerializer(),
                AvroSerde.forValues(LeadReceived.class, serdes).serializer());
        synced = driver.createInputTopic(Topics.CRM_SYNCED.name(), new StringSerializer(),
                AvroSerde.forValues(CrmSynced.class, serdes).serializer());
        erasures = driver.createInputTopic(Topics.PRIVACY_ERASURES.name(), new StringSerializer(),
                AvroSerde.forValues(ErasureRequested.class, serdes).serializer());
        routed = driver.createOutputTopic(Topics.LEADS_ROUTED.name(), new StringDeserializer(),
                AvroSerde.forValues(LeadRouted.class, serdes).deserializer());
        reports = driver.createOutputTopic(Topics.PRIVACY_ERASURE_REPORTS.name(), new StringDeserializer(),
                AvroSerde.forValues(ErasureReport.class, serdes).deserializer());
    }

    @AfterEach
    void stop() {
        driver.close();
        Metrics.removeRegistry(meters);
    }

    @Test
    void thePersonsDecisionsClocksTimersAndHubSpotLinksAreDeletedAndTheReportIsDone() {
        LeadReceived first = of("ada@lovelace.example", Leads.lead().build());
        LeadReceived second = of("  Ada@Lovelace.example ", Leads.lead().build());
        LeadReceived other = Leads.lead().build();
        leads.pipeInput(first.getLeadId(), first);
        leads.pipeInput(second.getLeadId(), second);
        leads.pipeInput(other.getLeadId(), other);
        synced.pipeInput(first.getLeadId(), CrmSynced.newBuilder().setLeadId(first.getLeadId()).setContactId("501").setDealId("9001")
                .setSyncedAt(clock.instant()).setOutcome(SyncOutcome.CREATED).build());
        assertThat(routed.readValuesToList()).hasSize(3);
        assertThat(referencing(first.getLeadId())).as("held before").isNotEmpty();
        int clocks = count(RoutingTopology.SLA_STORE, first.getLeadId()) + count(RoutingTopology.SLA_STORE, second.getLeadId());

        erase("ada@lovelace.example", "erasure-1");

        List<KeyValue<String, ErasureReport>> out = reports.readKeyValuesToList();
        assertThat(out).hasSize(1);
        assertThat(out.get(0).key).isEqualTo("erasure-1:routing-service state");
        assertThat(out.get(0).value.getStatus()).isEqualTo(ErasureStatus.DONE);
        assertThat(out.get(0).value.getDetail()).startsWith("2 decisions, " + clocks + " SLA clocks, ").contains("2 HubSpot links deleted")
                .doesNotContain("ada", first.getLeadId());
        assertThat(referencing(first.getLeadId())).isEmpty();
        assertThat(referencing(second.getLeadId())).isEmpty();
        assertThat(driver.<String, LeadRouted>getKeyValueStore(RoutingTopology.DECISIONS_STORE).get(other.getLeadId()))
                .as("another person's lead stays").isNotNull();
    }

    @Test
    void aReplayOfAnErasedPersonsOldLeadIsDroppedAndCountedWhileTheirNewLeadIsRouted() {
        LeadReceived old = of("grace@hopper.example", Leads.lead().receivedAt(clock.instant().minus(Duration.ofHours(1))).build());
        leads.pipeInput(old.getLeadId(), old);
        routed.readValuesToList();
        erase("grace@hopper.example", "erasure-2");

        leads.pipeInput(old.getLeadId(), old);
        LeadReceived comeBack = of("grace@hopper.example", Leads.lead().receivedAt(clock.instant().plus(Duration.ofMinutes(5))).build());
        leads.pipeInput(comeBack.getLeadId(), comeBack);

        assertThat(routed.readValuesToList()).extracting(LeadRouted::getLeadId).containsExactly(comeBack.getLeadId());
        assertThat(driver.<String, LeadRouted>getKeyValueStore(RoutingTopology.DECISIONS_STORE).get(old.getLeadId())).isNull();
        assertThat(meters.counter("leadflow.privacy.skipped", "service", "routing-service", "topic", "leads.received").count())
                .isEqualTo(1.0);
    }

    @Test
    void anErasureMetAgainFindsNothingLeftAndReportsDoneAgain() {
        LeadReceived lead = of("alan@turing.example", Leads.lead().build());
        leads.pipeInput(lead.getLeadId(), lead);
        erase("alan@turing.example", "erasure-3");
        reports.readKeyValuesToList();

        erase("alan@turing.example", "erasure-3");

        List<ErasureReport> again = reports.readValuesToList();
        assertThat(again).hasSize(1);
        assertThat(again.get(0).getStatus()).isEqualTo(ErasureStatus.DONE);
        assertThat(again.get(0).getDetail()).startsWith("0 decisions");
    }

    @Test
    void withoutAPrivacyKeyTheErasureIsReportedFailedAndKeptPending() {
        driver.close();
        start(null);
        LeadReceived lead = of("edsger@dijkstra.example", Leads.lead().build());
        leads.pipeInput(lead.getLeadId(), lead);

        erase("edsger@dijkstra.example", "erasure-4");

        List<ErasureReport> out = reports.readValuesToList();
        assertThat(out).hasSize(1);
        assertThat(out.get(0).getStatus()).isEqualTo(ErasureStatus.FAILED);
        assertThat(out.get(0).getDetail()).contains("LEADFLOW_PRIVACY_KEY");
        assertThat(driver.<String, String>getKeyValueStore(RoutingErasures.ERASED_STORE).get(SUBJECTS.of("edsger@dijkstra.example")))
                .endsWith("|pending");
    }

    private void erase(String email, String erasureId) {
        String subject = SUBJECTS.of(email);
        erasures.pipeInput(subject, ErasureRequested.newBuilder().setErasureId(erasureId).setSubject(subject).setEmail(email)
                .setRequestedAt(clock.instant()).build());
    }

    private static LeadReceived of(String email, LeadReceived lead) {
        return LeadReceived.newBuilder(lead).setContact(Contact.newBuilder(lead.getContact()).setEmail(email).build()).build();
    }

    /** Every entry of the task's stores that names this lead, as key or value. */
    private List<String> referencing(String leadId) {
        List<String> found = new ArrayList<>();
        for (String name : List.of(RoutingTopology.DECISIONS_STORE, RoutingTopology.SLA_STORE, RoutingTopology.SLA_DUE_STORE,
                RoutingTopology.CRM_LINKS_STORE)) {
            KeyValueStore<String, Object> store = driver.getKeyValueStore(name);
            try (var all = store.all()) {
                all.forEachRemaining(entry -> {
                    if (entry.key.contains(leadId) || String.valueOf(entry.value).contains(leadId)) {
                        found.add(name + ":" + entry.key);
                    }
                });
            }
        }
        return found;
    }

    private int count(String storeName, String key) {
        return driver.<String, Object>getKeyValueStore(storeName).get(key) == null ? 0 : 1;
    }
}
