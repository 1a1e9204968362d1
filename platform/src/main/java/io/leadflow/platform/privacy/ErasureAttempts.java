package io.leadflow.platform.privacy;

import io.leadflow.avro.ErasureReport;
import io.leadflow.avro.ErasureRequested;
import io.leadflow.avro.ErasureStatus;
import io.leadflow.schemas.Topics;
import org.springframework.boot.kafka.autoconfigure.ConcurrentKafkaListenerContainerFactoryConfigurer;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.ConsumerRecordRecoverer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.util.backoff.ExponentialBackOff;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * How a service that erases a person from a system of its own (a Kafka listener on {@code privacy.erasures}) carries out a
 * request and reports on it to {@code privacy.erasure-reports}: the attempts at each erasure are counted; the first reports
 * every one of the service's systems PENDING; a request without its email (the erasure is complete) is skipped; an attempt
 * that throws is tried again by the listener container of {@link #containerFactory}, one erasure at a time, after a
 * back-off doubling up to a maximum, without end. Every report waits for Kafka's acknowledgement.
 */
public final class ErasureAttempts {

    private final KafkaTemplate<Object, Object> kafka;
    private final Clock clock;
    private final List<String> systems;
    private final Map<String, Integer> attempts = new ConcurrentHashMap<>();

    /** @param systems the systems the service reports on, each PENDING when an erasure starts */
    public ErasureAttempts(KafkaTemplate<Object, Object> kafka, Clock clock, String... systems) {
        this.kafka = kafka;
        this.clock = clock;
        this.systems = List.of(systems);
    }

    /**
     * Makes one attempt at the request: does nothing for a request without its email; otherwise counts the attempt,
     * reports every system PENDING on the first, and runs the work. When the work returns, the erasure's count is
     * forgotten; what the work throws is thrown on, for the container to try again.
     */
    public void attempt(ErasureRequested request, Work work) {
        if (request == null || request.getEmail() == null) {
            return;
        }
        String id = request.getErasureId();
        Attempt attempt = new Attempt(request, attempts.merge(id, 1, Integer::sum));
        if (attempt.number() == 1) {
            for (String system : systems) {
                attempt.report(system, ErasureStatus.PENDING, "started");
            }
        }
        work.attempt(attempt);
        attempts.remove(id);
    }

    /** One attempt's work on an erasure: the service's own erasing and its reports. */
    @FunctionalInterface
    public interface Work {
        void attempt(Attempt attempt);
    }

    /** One attempt at an erasure, numbered from 1. */
    public final class Attempt {

        private final ErasureRequested request;
        private final int number;

        private Attempt(ErasureRequested request, int number) {
            this.request = request;
            this.number = number;
        }

        public ErasureRequested request() {
            return request;
        }

        public String erasureId() {
            return request.getErasureId();
        }

        public int number() {
            return number;
        }

        /**
         * Writes the system's line on the erasure's receipt and waits for Kafka to acknowledge it.
         *
         * @param detail counts or why it failed; no personal data
         */
        public void report(String system, ErasureStatus status, String detail) {
            ErasureReport report = ErasureReports.of(erasureId(), system, status, detail, number, clock.instant());
            try {
                kafka.send(Topics.PRIVACY_ERASURE_REPORTS.name(), ErasureReports.key(erasureId(), system), report).get(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while reporting an erasure", e);
            } catch (ExecutionException | TimeoutException e) {
                throw new IllegalStateException("Kafka did not acknowledge an erasure report", e);
            }
        }
    }

    /**
     * The container factory of an erasure listener: one erasure at a time; whatever stops one is retried after a back-off
     * from {@code initial}, doubling up to {@code max}, without end (an erasure is never given up). Only what a retry cannot
     * fix (an unreadable record) goes to the dead-letter topic, through {@code deadLetters}.
     */
    public static ConcurrentKafkaListenerContainerFactory<Object, Object> containerFactory(
            ConcurrentKafkaListenerContainerFactoryConfigurer configurer, ConsumerFactory<Object, Object> consumerFactory,
            ConsumerRecordRecoverer deadLetters, Duration initial, Duration max) {
        ConcurrentKafkaListenerContainerFactory<Object, Object> factory = new ConcurrentKafkaListenerContainerFactory<>();
        configurer.configure(factory, consumerFactory);
        factory.setConcurrency(1);
        factory.setCommonErrorHandler(new DefaultErrorHandler(deadLetters, backOff(initial, max)));
        return factory;
    }

    static ExponentialBackOff backOff(Duration initial, Duration max) {
        ExponentialBackOff backOff = new ExponentialBackOff(initial.toMillis(), 2.0);
        backOff.setMaxInterval(max.toMillis());
        backOff.setMaxElapsedTime(Long.MAX_VALUE);
        return backOff;
    }
}
