package io.leadflow.trials.topology;

import io.leadflow.avro.ErasureReport;
import io.leadflow.avro.ErasureRequested;
import io.leadflow.avro.ErasureStatus;
import io.leadflow.avro.LeadRouted;
import io.leadflow.avro.Pipeline;
import io.leadflow.platform.privacy.Subjects;
import io.leadflow.schemas.Topics;
import io.leadflow.schemas.serde.AvroSerde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class TrialErasuresTests {

    private static final Map<String, Object> SERDES = Map.of("schema.registry.url", "mock://trial-topology-tests");
    private static final Subjects SUBJECTS = new Subjects("a-test-privacy-key-of-at-least-32-bytes!");
    private static final Instant START = Instant.parse("2026-02-21T09:00:00Z");

    @TempDir
    Path stateDir;

    private Driver driver;
    private TestInputTopic<String, ErasureRequested> erasures;
    private TestOutputTopic<String, ErasureReport> reports;

    @BeforeEach
    void start() {
        TrialTopology topology = new TrialTopology(Fixtures.SETTINGS, SERDES, TrialObserver.NONE)
                .withPrivacy(SUBJECTS, Clock.fixed(START, ZoneOffset.UTC)).withErasurePartitions(1);
        driver = new Driver(stateDir, START, topology);
        erasures = driver.driver.createInputTopic(Topics.PRIVACY_ERASURES.name(), Serdes.String().serializer(),
                AvroSerde.forValues(ErasureRequested.class, SERDES).serializer());
        reports = driver.driver.createOutputTopic(Topics.PRIVACY_ERASURE_REPORTS.name(), Serdes.String().deserializer(),
                AvroSerde.forValues(ErasureReport.class, SERDES).deserializer());
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    @Test
    void erasesThePersonsLeadsAndContextsReportsDoneAndKeepsOthers() {
        driver.routed.pipeInput("lead-1", Fixtures.routed("lead-1", "Acme", Pipeline.HANDS_ON));
        driver.routed.pipeInput("lead-2", Fixtures.routed("lead-2", "Globex", Pipeline.HANDS_ON));
        assertThat(context(TrialIds.forLead("lead-1")).company()).isEqualTo("Acme");

        erasures.pipeInput(subject("cto@acme.example"), request("e-1", "cto@acme.example"));

        assertThat(leads().get("lead-1")).isNull();
        assertThat(leads().get("lead-2")).isNotNull();
        assertThat(contexts().get(TrialIds.forLead("lead-1"))).isNull();
        assertThat(context(TrialIds.forLead("lead-2")).company()).isEqualTo("Globex");
        List<ErasureReport> written = reports.readValuesToList();
        assertThat(written).last().satisfies(report -> {
            assertThat(report.getSystem()).isEqualTo("trial-tracker state");
            assertThat(report.getStatus()).isEqualTo(ErasureStatus.DONE);
            assertThat(report.getDetail()).startsWith("1 routed leads deleted").doesNotContain("acme");
        });
    }

    @Test
    void anErasureMetAgainReportsDoneAgainHavingFoundNothing() {
        driver.routed.pipeInput("lead-1", Fixtures.routed("lead-1", "Acme", Pipeline.HANDS_ON));
        erasures.pipeInput(subject("cto@acme.example"), request("e-1", "cto@acme.example"));
        reports.readValuesToList();

        erasures.pipeInput(subject("cto@acme.example"), request("e-1", "cto@acme.example"));

        assertThat(reports.readValuesToList()).last().satisfies(report ->
                assertThat(report.getStatus()).isEqualTo(ErasureStatus.DONE));
        assertThat(leads().get("lead-1")).isNull();
    }

    @Test
    void dropsAnOldLeadOfAnErasedPersonButNotANewOne() {
        erasures.pipeInput(subject("cto@acme.example"), request("e-1", "cto@acme.example"));

        driver.routed.pipeInput("lead-1", Fixtures.routed("lead-1", "Acme", Pipeline.HANDS_ON)); // received before
        assertThat(leads().get("lead-1")).isNull();

        LeadRouted later = Fixtures.routed("lead-3", "Acme", Pipeline.HANDS_ON);
        later.getLead().setReceivedAt(START.plusSeconds(60));
        driver.routed.pipeInput("lead-3", later);
        assertThat(leads().get("lead-3")).isNotNull();
    }

    @Test
    void withoutAPrivacyKeyTheErasureIsReportedFailed() {
        driver.close();
        driver = new Driver(stateDir.resolve("no-key"), START, new TrialTopology(Fixtures.SETTINGS, SERDES, TrialObserver.NONE)
                .withErasurePartitions(1));
        erasures = driver.driver.createInputTopic(Topics.PRIVACY_ERASURES.name(), Serdes.String().serializer(),
                AvroSerde.forValues(ErasureRequested.class, SERDES).serializer());
        reports = driver.driver.createOutputTopic(Topics.PRIVACY_ERASURE_REPORTS.name(), Serdes.String().deserializer(),
                AvroSerde.forValues(ErasureReport.class, SERDES).deserializer());
        driver.routed.pipeInput("lead-1", Fixtures.routed("lead-1", "Acme", Pipeline.HANDS_ON));

        erasures.pipeInput(subject("cto@acme.example"), request("e-1", "cto@acme.example"));

        assertThat(reports.readValuesToList()).singleElement().satisfies(report -> {
            assertThat(report.getStatus()).isEqualTo(ErasureStatus.FAILED);
            assertThat(report.getDetail()).contains("LEADFLOW_PRIVACY_KEY");
        });
        assertThat(leads().get("lead-1")).isNotNull();
    }

    private static String subject(String email) {
        return SUBJECTS.of(email);
    }

    private static ErasureRequested request(String erasureId, String email) {
        return ErasureRequested.newBuilder().setErasureId(erasureId).setSubject(SUBJECTS.of(email)).setEmail(email)
                .setRequestedAt(START).build();
    }

    private KeyValueStore<String, ValueAndTimestamp<LeadRouted>> leads() {
        return driver.driver.getTimestampedKeyValueStore(TrialTopology.LEADS_STORE);
    }

    private KeyValueStore<String, ValueAndTimestamp<TrialContext>> contexts() {
        return driver.driver.getTimestampedKeyValueStore(TrialContext.STORE);
    }

    private TrialContext context(String trialId) {
        return contexts().get(trialId).value();
    }
}
