package io.leadflow.crm.privacy;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.leadflow.avro.ErasureRequested;
import io.leadflow.avro.ErasureStatus;
import io.leadflow.crm.hubspot.HubSpotException;
import io.leadflow.platform.privacy.ErasureAttempts;
import io.leadflow.schemas.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.core.KafkaTemplate;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
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
    private final ErasureAttempts attempts;

    ErasureListener(CrmErasure erasure, KafkaTemplate<Object, Object> kafka, Clock clock) {
        this.erasure = erasure;
        this.kafka = kafka;
        this.attempts = new ErasureAttempts(kafka, clock, HUBSPOT, STATE);
    }

    @KafkaListener(id = LISTENER, groupId = "${spring.kafka.consumer.group-id}-erasures",
            topics = "#{T(io.leadflow.schemas.Topics).PRIVACY_ERASURES.name()}", containerFactory = PrivacyConfiguration.ERASURE_FACTORY)
    void onErasure(ConsumerRecord<String, ErasureRequested> record) {
        attempts.attempt(record.value(), this::carryOut);
    }

    private void carryOut(ErasureAttempts.Attempt attempt) {
        String id = attempt.erasureId();
        boolean[] stateDone = {false};
        try {
            CrmErasure.Outcome outcome = erasure.erase(attempt.request(), leads -> {
                tombstone(leads);
                stateDone[0] = true;
                attempt.report(STATE, ErasureStatus.DONE, leads.size() + " leads' crm.synced records deleted");
            });
            attempt.report(HUBSPOT, ErasureStatus.DONE, outcome.hubSpotDetail());
            log.info("Erasure {} done in HubSpot and crm-sync after {} attempt(s)", id, attempt.number());
        } catch (RuntimeException e) {
            String reason = reason(e);
            log.warn("Erasure {} failed (attempt {}): {}; trying again after a back-off", id, attempt.number(), reason);
            attempt.report(HUBSPOT, ErasureStatus.FAILED, reason + "; trying again");
            if (!stateDone[0]) {
                attempt.report(STATE, ErasureStatus.PENDING, "waiting for HubSpot to name the person's leads");
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
