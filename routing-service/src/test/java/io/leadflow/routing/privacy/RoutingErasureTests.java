package io.leadflow.routing.privacy;

import io.leadflow.avro.Contact;
import io.leadflow.avro.CrmSynced;
import io.leadflow.avro.ErasureReport;
import io.leadflow.avro.ErasureRequested;
import io.leadflow.avro.ErasureStatus;
import io.leadflow.avro.LeadReceived;
import io.leadflow.avro.SyncOutcome;
import io.leadflow.platform.privacy.Subjects;
import io.leadflow.routing.Leads;
import io.leadflow.routing.rules.RulesLoader;
import io.leadflow.routing.topology.RoutingDriver;
import io.leadflow.routing.topology.RoutingTopology;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A person erased from the routing task's stores through the topology, and their old leads never routed again. */
class RoutingErasureTests {

    private static final String KEY = "routing-erasure-tests-privacy-key-32-bytes";
    private static final Subjects SUBJECTS = new Subjects(KEY);

    @TempDir
    Path stateDir;

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private RoutingDriver routing;

    @BeforeEach
    void start() {
        Metrics.addRegistry(meters);
        start(SUBJECTS);
    }

    private void start(Subjects subjects) {
        routing = new RoutingDriver(RulesLoader.loadDefault(), stateDir, new ErasedPeople(subjects));
    }

    @AfterEach
    void stop() {
        routing.close();
        Metrics.removeRegistry(meters);
    }

    @Test
    void thePersonsDecisionsClocksTimersAndHubSpotLinksAreDeletedAndTheReportIsDone() {
        LeadReceived first = of("ada@lovelace.example", Leads.lead().build());
        LeadReceived second = of("  Ada@Lovelace.example ", Leads.lead().build());
        LeadReceived other = Leads.lead().build();
        routing.send(first);
        routing.send(second);
        routing.send(other);
        routing.synced(CrmSynced.newBuilder().setLeadId(first.getLeadId()).setContactId("501").setDealId("9001")
                .setSyncedAt(routing.clock.instant()).setOutcome(SyncOutcome.CREATED).build());
        assertThat(routing.decisions()).hasSize(3);
        assertThat(referencing(first.getLeadId())).as("held before").isNotEmpty();
        int clocks = count(RoutingTopology.SLA_STORE, first.getLeadId()) + count(RoutingTopology.SLA_STORE, second.getLeadId());

        erase("ada@lovelace.example", "erasure-1");

        List<KeyValue<String, ErasureReport>> out = routing.reports();
        assertThat(out).hasSize(1);
        assertThat(out.get(0).key).isEqualTo("erasure-1:routing-service state");
        assertThat(out.get(0).value.getStatus()).isEqualTo(ErasureStatus.DONE);
        assertThat(out.get(0).value.getDetail()).startsWith("2 decisions, " + clocks + " SLA clocks, ").contains("2 HubSpot links deleted")
                .doesNotContain("ada", first.getLeadId());
        assertThat(referencing(first.getLeadId())).isEmpty();
        assertThat(referencing(second.getLeadId())).isEmpty();
        assertThat(routing.decisionStore().get(other.getLeadId()))
                .as("another person's lead stays").isNotNull();
    }

    @Test
    void aReplayOfAnErasedPersonsOldLeadIsDroppedAndCountedWhileTheirNewLeadIsRouted() {
        LeadReceived old = of("grace@hopper.example", Leads.lead().receivedAt(routing.clock.instant().minus(Duration.ofHours(1))).build());
        routing.send(old);
        routing.decisions();
        erase("grace@hopper.example", "erasure-2");

        routing.send(old);
        LeadReceived comeBack = of("grace@hopper.example", Leads.lead().receivedAt(routing.clock.instant().plus(Duration.ofMinutes(5))).build());
        routing.send(comeBack);

        assertThat(routing.decisions()).extracting(decision -> decision.value.getLeadId()).containsExactly(comeBack.getLeadId());
        assertThat(routing.decisionStore().get(old.getLeadId())).isNull();
        assertThat(meters.counter("leadflow.privacy.skipped", "service", "routing-service", "topic", "leads.received").count())
                .isEqualTo(1.0);
    }

    @Test
    void anErasureMetAgainFindsNothingLeftAndReportsDoneAgain() {
        LeadReceived lead = of("alan@turing.example", Leads.lead().build());
        routing.send(lead);
        erase("alan@turing.example", "erasure-3");
        routing.reports();

        erase("alan@turing.example", "erasure-3");

        List<ErasureReport> again = values(routing.reports());
        assertThat(again).hasSize(1);
        assertThat(again.get(0).getStatus()).isEqualTo(ErasureStatus.DONE);
        assertThat(again.get(0).getDetail()).startsWith("0 decisions");
    }

    @Test
    void withoutAPrivacyKeyTheErasureIsReportedFailedAndKeptPending() {
        routing.close();
        start(null);
        LeadReceived lead = of("edsger@dijkstra.example", Leads.lead().build());
        routing.send(lead);

        erase("edsger@dijkstra.example", "erasure-4");

        List<ErasureReport> out = values(routing.reports());
        assertThat(out).hasSize(1);
        assertThat(out.get(0).getStatus()).isEqualTo(ErasureStatus.FAILED);
        assertThat(out.get(0).getDetail()).contains("LEADFLOW_PRIVACY_KEY");
        assertThat(routing.<String>store(RoutingErasures.ERASED_STORE).get(SUBJECTS.of("edsger@dijkstra.example")))
                .endsWith("|pending");
    }

    private void erase(String email, String erasureId) {
        String subject = SUBJECTS.of(email);
        routing.erase(ErasureRequested.newBuilder().setErasureId(erasureId).setSubject(subject).setEmail(email)
                .setRequestedAt(routing.clock.instant()).build());
    }

    private static List<ErasureReport> values(List<KeyValue<String, ErasureReport>> records) {
        return records.stream().map(record -> record.value).toList();
    }

    private static LeadReceived of(String email, LeadReceived lead) {
        return LeadReceived.newBuilder(lead).setContact(Contact.newBuilder(lead.getContact()).setEmail(email).build()).build();
    }

    /** Every entry of the task's stores that names this lead, as key or value. */
    private List<String> referencing(String leadId) {
        List<String> found = new ArrayList<>();
        for (String name : List.of(RoutingTopology.DECISIONS_STORE, RoutingTopology.SLA_STORE, RoutingTopology.SLA_DUE_STORE,
                RoutingTopology.CRM_LINKS_STORE)) {
            KeyValueStore<String, Object> store = routing.store(name);
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
        return routing.store(storeName).get(key) == null ? 0 : 1;
    }
}
