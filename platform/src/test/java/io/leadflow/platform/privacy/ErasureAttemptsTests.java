package io.leadflow.platform.privacy;

import io.leadflow.avro.ErasureReport;
import io.leadflow.avro.ErasureRequested;
import io.leadflow.avro.ErasureStatus;
import io.leadflow.schemas.Topics;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.Serializer;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.core.ProducerFactory;
import org.springframework.util.backoff.BackOffExecution;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The attempts at an erasure as every listener-based service makes them: counted, reported, retried without end. */
class ErasureAttemptsTests {

    private static final Instant NOW = Instant.parse("2026-03-02T09:00:00Z");
    private static final Serializer<Object> KEYS = (topic, key) -> ((String) key).getBytes(StandardCharsets.UTF_8);
    private static final Serializer<Object> VALUES = (topic, value) -> new byte[0];

    private final MockProducer<Object, Object> producer = new KeptOpen(true);
    private final ErasureAttempts attempts = new ErasureAttempts(new KafkaTemplate<>(factory(producer)),
            Clock.fixed(NOW, ZoneOffset.UTC), "crm", "state");

    @Test
    void theFirstAttemptReportsEverySystemPendingAndLaterOnesCountOn() {
        ErasureRequested request = request("e-1", "ada@example.com");
        List<Integer> numbers = new ArrayList<>();

        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> attempts.attempt(request, attempt -> {
                numbers.add(attempt.number());
                attempt.report("crm", ErasureStatus.FAILED, "down; trying again");
                throw new IllegalStateException("down");
            })).isInstanceOf(IllegalStateException.class).hasMessage("down");
        }
        attempts.attempt(request, attempt -> {
            numbers.add(attempt.number());
            attempt.report("crm", ErasureStatus.DONE, "1 contact deleted");
        });

        assertThat(numbers).containsExactly(1, 2, 3);
        assertThat(reports()).extracting(r -> r.key() + " " + r.value().getStatus() + " " + r.value().getAttempts() + " " + r.value().getDetail())
                .containsExactly(
                        "e-1:crm PENDING 1 started",
                        "e-1:state PENDING 1 started",
                        "e-1:crm FAILED 1 down; trying again",
                        "e-1:crm FAILED 2 down; trying again",
                        "e-1:crm DONE 3 1 contact deleted");
        assertThat(reports()).allSatisfy(r -> {
            assertThat(r.topic()).isEqualTo(Topics.PRIVACY_ERASURE_REPORTS.name());
            assertThat(r.value().getReportedAt()).isEqualTo(NOW);
        });
    }

    @Test
    void aDoneErasureMetAgainStartsFromTheFirstAttempt() {
        ErasureRequested request = request("e-2", "ada@example.com");
        List<Integer> numbers = new ArrayList<>();

        attempts.attempt(request, attempt -> numbers.add(attempt.number()));
        attempts.attempt(request, attempt -> numbers.add(attempt.number()));

        assertThat(numbers).containsExactly(1, 1);
        assertThat(reports()).hasSize(4).allSatisfy(r -> assertThat(r.value().getStatus()).isEqualTo(ErasureStatus.PENDING));
    }

    @Test
    void aRequestWithoutItsEmailIsCompleteAndSkipped() {
        List<Integer> numbers = new ArrayList<>();

        attempts.attempt(request("e-3", null), attempt -> numbers.add(attempt.number()));
        attempts.attempt(null, attempt -> numbers.add(attempt.number()));

        assertThat(numbers).isEmpty();
        assertThat(producer.history()).isEmpty();
    }

    @Test
    void aReportKafkaDoesNotAcknowledgeFailsTheAttempt() {
        MockProducer<Object, Object> failing = new KeptOpen(false);
        ErasureAttempts unacknowledged = new ErasureAttempts(new KafkaTemplate<>(factory(failing)), Clock.systemUTC(), "crm");
        CompletableFuture.runAsync(() -> {
            await().atMost(Duration.ofSeconds(10)).until(() -> !failing.history().isEmpty());
            failing.errorNext(new TimeoutException("broker gone"));
        });

        assertThatThrownBy(() -> unacknowledged.attempt(request("e-4", "ada@example.com"), attempt -> {
        })).isInstanceOf(IllegalStateException.class).hasMessage("Kafka did not acknowledge an erasure report");
    }

    @Test
    void theBackOffDoublesUpToItsMaximumAndNeverGivesUp() {
        BackOffExecution execution = ErasureAttempts.backOff(Duration.ofMillis(100), Duration.ofMillis(1_000)).start();

        List<Long> waits = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            waits.add(execution.nextBackOff());
        }

        assertThat(waits.subList(0, 6)).containsExactly(100L, 200L, 400L, 800L, 1_000L, 1_000L);
        assertThat(waits).doesNotContain(BackOffExecution.STOP).allSatisfy(wait -> assertThat(wait).isLessThanOrEqualTo(1_000L));
    }

    @SuppressWarnings("unchecked")
    private List<ProducerRecord<String, ErasureReport>> reports() {
        return producer.history().stream().map(r -> (ProducerRecord<String, ErasureReport>) (ProducerRecord<?, ?>) r).toList();
    }

    private static ErasureRequested request(String erasureId, String email) {
        return ErasureRequested.newBuilder().setErasureId(erasureId).setSubject("subject-" + erasureId).setEmail(email)
                .setRequestedAt(NOW).build();
    }

    /** A producer the template's close after each send leaves open, like a factory's shared producer. */
    private static final class KeptOpen extends MockProducer<Object, Object> {
        KeptOpen(boolean autoComplete) {
            super(autoComplete, null, KEYS, VALUES);
        }

        @Override
        public void close() {
        }

        @Override
        public void close(Duration timeout) {
        }
    }

    private static ProducerFactory<Object, Object> factory(MockProducer<Object, Object> producer) {
        return () -> producer;
    }
}
