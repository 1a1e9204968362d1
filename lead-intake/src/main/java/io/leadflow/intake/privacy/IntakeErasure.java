package io.leadflow.intake.privacy;

import io.leadflow.platform.privacy.ErasureReports;
import io.leadflow.avro.ErasureReport;
import io.leadflow.avro.ErasureRequested;
import io.leadflow.avro.ErasureStatus;
import io.leadflow.intake.system.IntakeProperties;
import io.leadflow.platform.privacy.PersonalKeys;
import io.leadflow.platform.privacy.Subjects;
import io.leadflow.schemas.Topics;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * lead-intake's part of every erasure, on every instance: finds the person's leads ({@link PersonsLeads}), makes every
 * {@link PersonalMemory} forget them (booking links are deleted with tombstones, in-memory next-step owners dropped), and
 * reports {@code lead-intake state} PENDING, then DONE with counts, or FAILED with the reason and again after a back-off
 * until done. Then, once every system has reported done, it writes the erasure again without the email, with
 * {@code completedAt}, so compaction removes the copy holding the address, and, with {@code LEADFLOW_PRIVACY_KEY} set,
 * deletes the person's data keys made before then ({@link PersonalKeys#shred}): every copy of their personal fields in
 * every topic, changelog and dead-letter topic is unreadable from that moment. The keys are deleted when the completed
 * erasure is read back, so an instance that stopped in between deletes them at its next start.
 *
 * <p>Each instance forgets what it holds in memory itself, so each runs the erasure once after it meets it (a restart
 * runs the unfinished ones again: forgetting twice changes nothing, and the report says DONE again).
 */
@Component
class IntakeErasure implements Erasures.Listener {

    private static final Logger log = LoggerFactory.getLogger(IntakeErasure.class);
    private static final Duration MAX_BACK_OFF = Duration.ofMinutes(1);

    private final Erasures erasures;
    private final PersonsLeads personsLeads;
    private final List<PersonalMemory> memories;
    private final KafkaTemplate<String, Object> template;
    private final IntakeProperties properties;
    private final Clock clock;
    private final Set<String> started = ConcurrentHashMap.newKeySet();
    private final Set<String> completing = ConcurrentHashMap.newKeySet();
    private final Set<String> shredding = ConcurrentHashMap.newKeySet();
    private final PersonalKeys keys;
    private final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "intake-erasure");
        thread.setDaemon(true);
        return thread;
    });

    IntakeErasure(Erasures erasures, PersonsLeads personsLeads, List<PersonalMemory> memories, KafkaTemplate<String, Object> template,
                  IntakeProperties properties, Clock clock, ObjectProvider<PersonalKeys> keys) {
        this.keys = keys.getIfAvailable();
        this.erasures = erasures;
        this.personsLeads = personsLeads;
        this.memories = List.copyOf(memories);
        this.template = template;
        this.properties = properties;
        this.clock = clock;
        erasures.listen(this);
    }

    @PreDestroy
    void shutdown() {
        worker.shutdownNow();
    }

    @Override
    public void requested(ErasureRequested request) {
        if (started.add(request.getErasureId())) {
            worker.execute(() -> attempt(request, 1));
        }
        reported(request.getErasureId());
    }

    @Override
    public void reported(String erasureId) {
        erasures.byId(erasureId).ifPresent(request -> {
            if (request.getEmail() != null && everyServiceDone(erasureId) && completing.add(erasureId)) {
                worker.execute(() -> complete(request));
            }
        });
    }

    @Override
    public void completed(ErasureRequested request) {
        if (keys != null && shredding.add(request.getErasureId())) {
            worker.execute(() -> shred(request, 1));
        }
    }

    /** Deletes the person's data keys made before the erasure completed; a person who came back keeps their new ones. */
    private void shred(ErasureRequested request, int attempt) {
        try {
            int deleted = keys.shred(request.getSubject(), request.getCompletedAt());
            if (deleted > 0) {
                log.info("Erasure {}: {} data {} deleted; every copy of the person's personal fields is unreadable", request.getErasureId(),
                        deleted, deleted == 1 ? "key" : "keys");
            }
        } catch (RuntimeException e) {
            Duration backOff = backOff(attempt);
            log.warn("Erasure {}: data keys not deleted yet ({}); trying again in {} s", request.getErasureId(), e.toString(), backOff.toSeconds());
            worker.schedule(() -> shred(request, attempt + 1), backOff.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private boolean everyServiceDone(String erasureId) {
        Map<String, ErasureReport> reports = erasures.reports(erasureId);
        return ErasureSystems.SERVICES.stream()
                .allMatch(system -> reports.containsKey(system) && reports.get(system).getStatus() == ErasureStatus.DONE);
    }

    private void attempt(ErasureRequested request, int attempt) {
        String erasureId = request.getErasureId();
        try {
            Subjects subjects = erasures.subjects()
                    .orElseThrow(() -> new IllegalStateException("LEADFLOW_PRIVACY_KEY is not set"));
            report(erasureId, ErasureStatus.PENDING, "erasing", attempt);
            Set<String> leadIds = personsLeads.of(request.getSubject(), subjects);
            List<String> counts = new ArrayList<>();
            counts.add(leadIds.size() + (leadIds.size() == 1 ? " lead" : " leads") + " found in leads.received");
            for (PersonalMemory memory : memories) {
                counts.add(memory.forget(leadIds) + " " + memory.what() + " removed");
            }
            report(erasureId, ErasureStatus.DONE, String.join("; ", counts), attempt);
            log.info("Erasure {}: lead-intake state erased ({})", erasureId, String.join("; ", counts));
        } catch (RuntimeException e) {
            Duration backOff = backOff(attempt);
            String reason = e.getClass().getSimpleName() + ": " + (e.getMessage() == null ? "" : e.getMessage());
            log.warn("Erasure {}: lead-intake state not erased yet ({}); trying again in {} s", erasureId, reason, backOff.toSeconds());
            try {
                report(erasureId, ErasureStatus.FAILED, "will retry: " + e.getClass().getSimpleName(), attempt);
            } catch (RuntimeException reportFailed) {
                log.warn("Erasure {}: its failure could not be reported either ({})", erasureId, reportFailed.toString());
            }
            worker.schedule(() -> attempt(request, attempt + 1), backOff.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void complete(ErasureRequested request) {
        ErasureRequested current = erasures.byId(request.getErasureId()).orElse(null);
        if (current == null || current.getEmail() == null) {
            return;
        }
        ErasureRequested completed = ErasureRequested.newBuilder(current).setEmail(null).setCompletedAt(clock.instant()).build();
        try {
            template.send(Topics.PRIVACY_ERASURES.name(), current.getSubject(), completed)
                    .get(properties.publishTimeout().toMillis(), TimeUnit.MILLISECONDS);
            log.info("Erasure {} complete: every system reported done; the email is no longer kept", current.getErasureId());
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
                return;
            }
            log.warn("Erasure {}: could not record it complete ({}); trying again", current.getErasureId(), e.toString());
            worker.schedule(() -> complete(request), properties.retryAfter().toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void report(String erasureId, ErasureStatus status, String detail, int attempts) {
        ErasureReport report = ErasureReports.of(erasureId, ErasureSystems.LEAD_INTAKE, status, detail, attempts, clock.instant());
        try {
            template.send(Topics.PRIVACY_ERASURE_REPORTS.name(), ErasureReports.key(erasureId, ErasureSystems.LEAD_INTAKE), report)
                    .get(properties.publishTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reporting", e);
        } catch (Exception e) {
            throw new IllegalStateException("Kafka did not acknowledge the report", e);
        }
    }

    static Duration backOff(int attempt) {
        long seconds = 1L << Math.min(attempt - 1, 6);
        Duration wanted = Duration.ofSeconds(seconds);
        return wanted.compareTo(MAX_BACK_OFF) > 0 ? MAX_BACK_OFF : wanted;
    }
}
