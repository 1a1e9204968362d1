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
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.processor.Punctuator;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;

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

    @Test
    void aPartThatFailsIsTriedAgainOnATimerReportedPendingMeanwhileAndDoneWhenItSucceeds() {
        MockProcessorContext<String, Object> context = eraserContext(2);
        leadsStore(context).put("lead-1", ValueAndTimestamp.make(Fixtures.routed("lead-1", "Acme", Pipeline.HANDS_ON), 0));
        TrialErasures.Eraser eraser = new TrialErasures.Eraser(SUBJECTS);
        eraser.init(context);
        Punctuator timer = context.scheduledPunctuators().get(0).getPunctuator();
        long now = context.currentSystemTimeMs();

        eraser.process(new Record<>(subject("cto@acme.example"), request("e-1", "cto@acme.example"), now));
        assertThat(progress(context)).containsExactly("0|retry|1|InvalidStateStoreException");

        timer.punctuate(now + 999); // not due yet: the first wait is a second
        assertThat(progress(context)).isEmpty();
        context.setCurrentSystemTimeMs(now + 1000);
        timer.punctuate(now + 1000);
        assertThat(progress(context)).containsExactly("0|retry|2|InvalidStateStoreException");
        context.setCurrentSystemTimeMs(now + 3000); // then two seconds
        timer.punctuate(now + 3000);
        assertThat(context.forwarded().stream().map(f -> (String) f.record().key()).toList()).containsExactly("lead-1", "e-1");
        assertThat(context.forwarded().get(0).record().value()).isNull();
        assertThat(progress(context)).containsExactly("0|1");
        assertThat(((KeyValueStore<String, String>) context.getStateStore(TrialErasures.RETRY_STORE)).approximateNumEntries()).isZero();

        assertThat(collect("0|retry|1|InvalidStateStoreException", "0|retry|2|InvalidStateStoreException", "0|1"))
                .extracting(r -> r.getStatus() + " " + r.getAttempts() + " " + r.getDetail())
                .containsExactly(
                        "PENDING 1 partition 0 failed (InvalidStateStoreException), attempt 1 of 6; trying again",
                        "PENDING 2 partition 0 failed (InvalidStateStoreException), attempt 2 of 6; trying again",
                        "DONE 1 1 routed leads deleted from the leads table (1 partitions), their contexts with them");
    }

    @Test
    void aPartThatKeepsFailingIsReportedFailedWithTheReasonAfterTheLastAttemptAndNotTriedAgain() {
        MockProcessorContext<String, Object> context = eraserContext(Integer.MAX_VALUE);
        TrialErasures.Eraser eraser = new TrialErasures.Eraser(SUBJECTS);
        eraser.init(context);
        Punctuator timer = context.scheduledPunctuators().get(0).getPunctuator();
        long now = context.currentSystemTimeMs();
        eraser.process(new Record<>(subject("cto@acme.example"), request("e-1", "cto@acme.example"), now));
        List<String> progress = new ArrayList<>(progress(context));
        for (int attempt = 1; attempt < TrialErasures.MAX_ATTEMPTS; attempt++) {
            now += TrialErasures.backoff(attempt).toMillis();
            context.setCurrentSystemTimeMs(now);
            timer.punctuate(now);
            progress.addAll(progress(context));
        }
        assertThat(progress).hasSize(TrialErasures.MAX_ATTEMPTS).last().isEqualTo("0|failed|6|InvalidStateStoreException");
        context.setCurrentSystemTimeMs(now + TrialErasures.MAX_BACKOFF.toMillis());
        timer.punctuate(now + TrialErasures.MAX_BACKOFF.toMillis());
        assertThat(progress(context)).as("given up: tried again only when the request is met again").isEmpty();

        assertThat(collect(progress.toArray(String[]::new))).last().satisfies(report -> {
            assertThat(report.getStatus()).isEqualTo(ErasureStatus.FAILED);
            assertThat(report.getAttempts()).isEqualTo(6);
            assertThat(report.getDetail()).isEqualTo("partition 0 gave up after 6 attempts (InvalidStateStoreException); "
                    + "tried again when the request is met again");
        });
    }

    /** A task's context with the eraser's stores; reading the leads store fails the first {@code failures} times. */
    @SuppressWarnings("unchecked")
    private MockProcessorContext<String, Object> eraserContext(int failures) {
        Properties config = new Properties();
        config.put("application.id", "trial-erasures-tests");
        config.put("bootstrap.servers", "localhost:0");
        MockProcessorContext<String, Object> context = new MockProcessorContext<>(config, new TaskId(0, 0), stateDir.toFile());
        context.setCurrentSystemTimeMs(START.toEpochMilli());
        KeyValueStore<String, Long> erased = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(TrialErasures.ERASED_STORE),
                Serdes.String(), Serdes.Long()).withLoggingDisabled().build();
        KeyValueStore<String, String> retries = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(TrialErasures.RETRY_STORE),
                Serdes.String(), Serdes.String()).withLoggingDisabled().build();
        TimestampedKeyValueStore<String, LeadRouted> leads = Stores.timestampedKeyValueStoreBuilder(
                Stores.inMemoryKeyValueStore(TrialTopology.LEADS_STORE), Serdes.String(), AvroSerde.forValues(LeadRouted.class, SERDES))
                .withLoggingDisabled().build();
        AtomicInteger failed = new AtomicInteger();
        TimestampedKeyValueStore<String, LeadRouted> failing = (TimestampedKeyValueStore<String, LeadRouted>) Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {TimestampedKeyValueStore.class}, (proxy, method, args) -> {
                    if (method.getName().equals("all") && failed.getAndIncrement() < failures) {
                        throw new InvalidStateStoreException("the store is restoring");
                    }
                    try {
                        return method.invoke(leads, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        for (StateStore store : List.<StateStore>of(erased, retries, leads)) {
            store.init(context.getStateStoreContext(), store);
        }
        context.addStateStore(erased);
        context.addStateStore(retries);
        context.addStateStore(failing);
        return context;
    }

    @SuppressWarnings("unchecked")
    private static KeyValueStore<String, ValueAndTimestamp<LeadRouted>> leadsStore(MockProcessorContext<String, Object> context) {
        return (KeyValueStore<String, ValueAndTimestamp<LeadRouted>>) (Object) context.getStateStore(TrialTopology.LEADS_STORE);
    }

    /** The progress messages the eraser forwarded since the last call. */
    private static List<String> progress(MockProcessorContext<String, Object> context) {
        List<String> progress = context.forwarded().stream().map(f -> f.record().value())
                .filter(String.class::isInstance).map(String.class::cast).toList();
        context.resetForwards();
        return progress;
    }

    /** The reports the collector of a one-partition table writes for these progress messages of erasure e-1. */
    private List<ErasureReport> collect(String... progress) {
        MockProcessorContext<String, ErasureReport> context = new MockProcessorContext<>();
        KeyValueStore<String, String> store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(TrialErasures.PROGRESS_STORE),
                Serdes.String(), Serdes.String()).withLoggingDisabled().build();
        store.init(context.getStateStoreContext(), store);
        context.addStateStore(store);
        TrialErasures.Collector collector = new TrialErasures.Collector(1, Clock.fixed(START, ZoneOffset.UTC));
        collector.init(context);
        for (String message : progress) {
            collector.process(new Record<>("e-1", message, START.toEpochMilli()));
        }
        return context.forwarded().stream().map(f -> (ErasureReport) f.record().value()).toList();
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
