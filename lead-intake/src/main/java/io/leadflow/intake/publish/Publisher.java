package io.leadflow.intake.publish;

import io.leadflow.avro.DealStageChanged;
import io.leadflow.avro.LeadReceived;
import io.leadflow.intake.system.IntakeMetrics;
import io.leadflow.intake.system.IntakeProperties;
import io.leadflow.intake.system.RejectedRequest;
import io.leadflow.intake.system.WebhookSource;
import io.leadflow.platform.logging.Masking;
import io.leadflow.schemas.Topics;
import org.apache.avro.specific.SpecificRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.SendResult;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Publishes and waits for the broker's acknowledgement ({@code acks=all}, idempotent producer) before
 * the caller answers 202. When the acknowledgement does not come within
 * {@code leadflow.intake.publish-timeout}, or the send fails, the caller gets a 503 with
 * {@code Retry-After}, so the provider delivers again: a lead is never acknowledged and then lost.
 *
 * <p>A record that timed out here may still reach the broker later; the provider's retry then
 * publishes it a second time under the same key (leadId or dealId), which consumers are idempotent on.
 * The producer's {@code delivery.timeout.ms} is set to the same bound to keep that window small.
 */
@Component
public class Publisher {

    private static final Logger log = LoggerFactory.getLogger(Publisher.class);

    private final KafkaTemplate<String, Object> template;
    private final IntakeProperties properties;
    private final IntakeMetrics metrics;

    public Publisher(KafkaTemplate<String, Object> template, IntakeProperties properties, IntakeMetrics metrics) {
        this.template = template;
        this.properties = properties;
        this.metrics = metrics;
    }

    /** Publishes a lead to {@code leads.received}, keyed by its leadId, and waits for the ack. */
    public void publish(WebhookSource source, LeadReceived lead, long arrivedNanos) {
        SendResult<String, Object> result = send(source, Topics.LEADS_RECEIVED.name(), lead.getLeadId(), lead, arrivedNanos);
        log.info("Lead {} from {} ({}) acknowledged at {}-{}@{}", lead.getLeadId(), source.tag(),
                Masking.email(lead.getContact().getEmail()), result.getRecordMetadata().topic(),
                result.getRecordMetadata().partition(), result.getRecordMetadata().offset());
    }

    /** Publishes a deal-stage change to {@code deals.stage-changed}, keyed by dealId, and waits for the ack. */
    public void publish(WebhookSource source, DealStageChanged change, long arrivedNanos) {
        SendResult<String, Object> result = send(source, Topics.DEALS_STAGE_CHANGED.name(), change.getDealId(), change, arrivedNanos);
        log.info("Deal {} entered stage {} (HubSpot event {}) acknowledged at {}-{}@{}", change.getDealId(),
                change.getStageId(), change.getEventId(), result.getRecordMetadata().topic(),
                result.getRecordMetadata().partition(), result.getRecordMetadata().offset());
    }

    private SendResult<String, Object> send(WebhookSource source, String topic, String key, SpecificRecord value,
                                            long arrivedNanos) {
        long deadline = arrivedNanos + properties.publishTimeout().toNanos();
        try {
            CompletableFuture<SendResult<String, Object>> future = template.send(topic, key, value);
            long remaining = Math.max(1, deadline - System.nanoTime());
            SendResult<String, Object> result = future.get(remaining, TimeUnit.NANOSECONDS);
            metrics.acknowledged(source, Duration.ofNanos(System.nanoTime() - arrivedNanos));
            return result;
        } catch (TimeoutException e) {
            throw unavailable(topic, "no acknowledgement within " + properties.publishTimeout().toMillis() + " ms");
        } catch (ExecutionException e) {
            throw unavailable(topic, String.valueOf(e.getCause()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable(topic, "interrupted while waiting for the acknowledgement");
        } catch (RuntimeException e) {
            // KafkaTemplate may throw synchronously (e.g. metadata not available within max.block.ms).
            throw unavailable(topic, e.toString());
        }
    }

    private RejectedRequest unavailable(String topic, String why) {
        log.warn("Kafka did not acknowledge a record for {}: {}", topic, why);
        return RejectedRequest.unavailable("Kafka did not acknowledge the event; nothing was accepted, retry later",
                properties.retryAfter());
    }
}
