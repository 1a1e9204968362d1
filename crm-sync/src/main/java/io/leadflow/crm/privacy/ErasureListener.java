package io.leadflow.crm.privacy;

import io.leadflow.platform.privacy.ErasureReports;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.leadflow.avro.ErasureReport;
import io.leadflow.avro.ErasureRequested;
import io.leadflow.avro.ErasureStatus;
import io.leadflow.crm.hubspot.HubSpotException;
import io.leadflow.schemas.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.core.KafkaTemplate;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Carries out each erasure request ({@code privacy.erasures}, a consumer group of its own) and reports on it to
 * {@code privacy.erasure-reports} as the systems {@value #HUBSPOT} and {@value #STATE}: PENDING when it starts, DONE when
 * done, FAILED with the reason (a status and HubSpot's category, never a message that could hold the address) while
 * HubSpot is down or refuses; the record is then tried again after a back-off growing to {@code leadflow.crm.retry.max},
 * for as long as it takes. A request met again (restart, replay) is carried out again, which finds nothing left and
 * reports DONE. A request without its email (the erasure is complete) is skipped.
 */
class ErasureListener {

    static final String LISTENER = "crm-sync-erasures";
    static final String HUBSPOT = "hubspot";
    static final String STATE = "crm-sync state";

    private static final Logger log = LoggerFactory.getLogger(ErasureListener.class);

    private final CrmErasure erasure;
    private final KafkaTemplate<Object, Object> kafka;
    private final Clock clock;
    private final Map<String, Integer> attempts = new ConcurrentHashMap<>();

    ErasureListener(CrmErasure erasure, KafkaTemplate<Object, Object> kafka, Clock clock) {
        this.erasure = erasure;
        this.kafka = kafka;
        this.clock = clock;
    }

    @KafkaListener(id = LISTENER, groupId = "${spring.kafka.consumer.group-id}-erasures",
            topics = "#{T(io.leadflow.schemas.Topics).PRIVACY_ERASURES.name()}", containerFactory = PrivacyConfiguration.ERASURE_FACTORY)
    void onErasure(ConsumerRecord<String, ErasureRequested> record) {
        ErasureRequested request = record.value();
        if (request == null || request.getEmail() == null) {
            return;
        }
        String id = request.getErasureId();
        int attempt = attempts.merge(id, 1, Integer::sum);
        if (attempt == 1) {
            report(id, HUBSPOT, ErasureStatus.PENDING, "started", attempt);
            report(id, STATE, ErasureStatus.PENDING, "started", attempt);
        }
        boolean[] stateDone = {false};
        try {
            CrmErasure.Outcome outcome = erasure.erase(request, leads -> {
                tombstone(leads);
                stateDone[0] = true;
                report(id, STATE, ErasureStatus.DONE, leads.size() + " leads' crm.synced records deleted", attempt);
            });
            report(id, HUBSPOT, ErasureStatus.DONE, outcome.hubSpotDetail(), attempt);
            attempts.remove(id);
            log.info("Erasure {} done in HubSpot and crm-sync after {} attempt(s)", id, attempt);
        } catch (RuntimeException e) {
            String reason = reason(e);
            log.warn("Erasure {} failed (attempt {}): {}; trying again after a back-off", id, attempt, reason);
            report(id, HUBSPOT, ErasureStatus.FAILED, reason + "; trying again", attempt);
            if (!stateDone[0]) {
                report(id, STATE, ErasureStatus.PENDING, "waiting for HubSpot to name the person's leads", attempt);
            }
            throw e;
        }
    }

    /** Why an attempt failed, without anything HubSpot's message might hold about the person. */
    static String reason(Throwable thrown) {
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            if (t instanceof CallNotPermittedException) {
                return "HubSpot unavailable (circuit open)";
            }
            if (t instanceof HubSpotException.AuthFailed failed) {
                return "HubSpot refuses crm-sync's credentials (" + failed.status() + ")";
            }
            if (t instanceof HubSpotException.RateLimited) {
                return "HubSpot rate limit (429)";
            }
            if (t instanceof HubSpotException.Unavailable unavailable) {
                return "HubSpot unavailable (" + (unavailable.status() == 0 ? "no response" : unavailable.status()) + ")";
            }
            if (t instanceof HubSpotException refused) {
                return "HubSpot refused (" + refused.status() + (refused.category() == null ? "" : " " + refused.category()) + ")";
            }
        }
        return "crm-sync could not finish (" + thrown.getClass().getSimpleName() + ")";
    }

    private void tombstone(List<String> leadIds) {
        List<CompletableFuture<?>> sends = new ArrayList<>();
        for (String leadId : leadIds) {
            sends.add(kafka.send(Topics.CRM_SYNCED.name(), leadId, null));
        }
        await(sends);
    }

    private void report(String erasureId, String system, ErasureStatus status, String detail, int attempt) {
        ErasureReport report = ErasureReports.of(erasureId, system, status, detail, attempt, clock.instant());
        await(List.of(kafka.send(Topics.PRIVACY_ERASURE_REPORTS.name(), ErasureReports.key(erasureId, system), report)));
    }

    private static void await(List<CompletableFuture<?>> sends) {
        try {
            CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing to Kafka", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Kafka did not acknowledge an erasure's records", e);
        }
    }
}
