package io.leadflow.intake.privacy;

import io.leadflow.avro.ErasureReport;
import io.leadflow.avro.ErasureRequested;
import io.leadflow.intake.system.IntakeProperties;
import io.leadflow.intake.system.RejectedRequest;
import io.leadflow.platform.kafka.CatchUpFollower;
import io.leadflow.platform.privacy.Subjects;
import io.leadflow.schemas.Topics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every instance's view of the erasures: the people erased ({@code privacy.erasures}, by subject) and each system's
 * latest report on each erasure ({@code privacy.erasure-reports}), read from the beginning of every partition and
 * followed. Requests and the receipt wait until it has caught up once after start-up.
 *
 * <p>It also answers the rule every reader of lead records follows: a record about an erased person whose lead is older
 * than the erasure is never acted on again ({@link #skip}).
 *
 * <p>Two requests for the same person racing on two instances both reach the log; the first one there is the erasure,
 * and a later one with another id is ignored (the instance that wrote it writes the first one again, so it stays the
 * latest record of the key after compaction).
 */
@Component
public class Erasures extends CatchUpFollower {

    private static final Logger log = LoggerFactory.getLogger(Erasures.class);
    private static final List<String> TOPICS = List.of(Topics.PRIVACY_ERASURES.name(), Topics.PRIVACY_ERASURE_REPORTS.name());

    /** Told of what the view applies, once it has caught up: the erasures still to do and every new report. */
    interface Listener {

        void requested(ErasureRequested request);

        void reported(String erasureId);

        /** The erasure was recorded complete (without the email); met at every start as well. */
        default void completed(ErasureRequested request) {
        }
    }

    private final IntakeProperties properties;
    private final Subjects subjects;
    private final MeterRegistry meters;
    private final Map<String, ErasureRequested> bySubject = new ConcurrentHashMap<>();
    private final Map<String, String> subjectById = new ConcurrentHashMap<>();
    private final Map<String, Map<String, ErasureReport>> reports = new ConcurrentHashMap<>();
    private volatile Listener listener;

    Erasures(KafkaProperties kafka, IntakeProperties properties, MeterRegistry meters) {
        super("lead-intake-erasures", kafka, TOPICS);
        this.properties = properties;
        this.subjects = properties.privacy().subjects();
        this.meters = meters;
        if (subjects == null) {
            log.warn("LEADFLOW_PRIVACY_KEY is not set: erasure requests are answered 503 and erased people are not recognised");
        }
    }

    void listen(Listener listener) {
        this.listener = listener;
    }

    /** The subject an email names, when the privacy key is configured. */
    Optional<Subjects> subjects() {
        return Optional.ofNullable(subjects);
    }

    Optional<ErasureRequested> bySubject(String subject) {
        return Optional.ofNullable(bySubject.get(subject));
    }

    Optional<ErasureRequested> byId(String erasureId) {
        String subject = subjectById.get(erasureId);
        return subject == null ? Optional.empty() : Optional.ofNullable(bySubject.get(subject));
    }

    /** Each system's latest report on an erasure. */
    Map<String, ErasureReport> reports(String erasureId) {
        return Map.copyOf(reports.getOrDefault(erasureId, Map.of()));
    }

    /**
     * Whether a record about the person with this email, for a lead received at {@code leadTime}, must be dropped because
     * the person was erased after it; when so, it is logged by lead id only and counted in {@code leadflow.privacy.skipped}.
     */
    public boolean skip(String email, Instant leadTime, String leadId, String topic) {
        if (subjects == null || email == null || leadTime == null) {
            return false;
        }
        ErasureRequested erased = bySubject.get(subjects.of(email));
        if (erased == null || !leadTime.isBefore(erased.getRequestedAt())) {
            return false;
        }
        log.info("Dropped lead {} from {}: its person was erased", leadId, topic);
        Counter.builder("leadflow.privacy.skipped")
                .description("Records about an erased person that were met again and dropped")
                .tag("service", "lead-intake")
                .tag("topic", topic)
                .register(meters)
                .increment();
        return true;
    }

    /** As {@link #awaitLoaded(Duration)} for a request: a 503 when Kafka cannot be read in time. */
    void awaitLoaded() {
        if (!awaitLoaded(properties.publishTimeout())) {
            throw RejectedRequest.unavailable("the erasures could not be read from Kafka yet; retry later", properties.retryAfter());
        }
    }

    /** Waits until the record at this offset has been applied; a 503 when it is not in time. */
    void awaitAppliedOr503(String topic, int partition, long offset) {
        if (!awaitApplied(topic, partition, offset, properties.publishTimeout())) {
            throw RejectedRequest.unavailable("the erasures did not catch up with Kafka in time; retry later", properties.retryAfter());
        }
    }

    @Override
    protected void loadedNow() {
        log.info("Erasures loaded: {} people erased", bySubject.size());
        Listener told = listener;
        if (told != null) {
            bySubject.values().stream().filter(r -> r.getEmail() != null).forEach(told::requested);
            bySubject.values().stream().filter(r -> r.getEmail() == null && r.getCompletedAt() != null).forEach(told::completed);
            reports.keySet().forEach(told::reported);
        }
    }

    @Override
    protected void apply(ConsumerRecord<String, Object> record) {
        if (record.key() == null) {
            return;
        }
        Listener told = loaded() ? listener : null;
        if (record.topic().equals(Topics.PRIVACY_ERASURES.name())) {
            if (record.value() instanceof ErasureRequested request) {
                ErasureRequested current = bySubject.get(record.key());
                if (current != null && !current.getErasureId().equals(request.getErasureId())) {
                    return;
                }
                bySubject.put(record.key(), request);
                subjectById.put(request.getErasureId(), record.key());
                if (told != null && request.getEmail() != null) {
                    told.requested(request);
                } else if (told != null && request.getCompletedAt() != null) {
                    told.completed(request);
                }
            } else if (record.value() == null) {
                ErasureRequested removed = bySubject.remove(record.key());
                if (removed != null) {
                    subjectById.remove(removed.getErasureId());
                }
            }
            return;
        }
        int colon = record.key().indexOf(':');
        if (colon <= 0) {
            return;
        }
        String erasureId = record.key().substring(0, colon);
        String system = record.key().substring(colon + 1);
        if (record.value() instanceof ErasureReport report) {
            reports.computeIfAbsent(erasureId, id -> new ConcurrentHashMap<>()).put(system, report);
            if (told != null) {
                told.reported(erasureId);
            }
        } else if (record.value() == null) {
            reports.computeIfPresent(erasureId, (id, bySystem) -> {
                bySystem.remove(system);
                return bySystem.isEmpty() ? null : bySystem;
            });
        }
    }
}
