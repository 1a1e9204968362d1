package io.leadflow.intake.publish;

import io.leadflow.avro.DealStageChanged;
import io.leadflow.avro.LeadActivity;
import io.leadflow.avro.LeadReceived;
import io.leadflow.intake.system.IntakeMetrics;
import io.leadflow.intake.system.IntakeProperties;
import io.leadflow.intake.system.RejectedRequest;
import io.leadflow.intake.system.WebhookSource;
import io.leadflow.platform.logging.Masking;
import io.leadflow.schemas.Topics;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.SendResult;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Publishes and completes when the broker acknowledged ({@code acks=all}, idempotent producer); the caller answers
 * 202 only then. The request thread does not wait: the answer is sent when the acknowledgement arrives.
 *
 * <p>The answer waits for the producer's own verdict rather than cutting it short: {@code delivery.timeout.ms} (and
 * {@code max.block.ms} for metadata) bound how long that takes, so a 503 means the producer gave the record up. Even
 * then the broker may have appended it (an acknowledgement lost on the way back), which is why the 503 says the event
 * may not have been recorded rather than that it was not, and why the provider's retry is answered idempotently.
 * {@code leadflow.intake.publish-timeout} is only a last-resort bound above the producer's. A record Kafka refuses as too
 * large is not an outage: every retry would be refused alike, so it is answered 413 naming the body.
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

    /** Publishes a lead to {@code leads.received}, keyed by its leadId. */
    public CompletableFuture<SendResult<String, Object>> publish(WebhookSource source, LeadReceived lead, long arrivedNanos) {
        return send(source, Topics.LEADS_RECEIVED.name(), lead.getLeadId(), lead, arrivedNanos).whenComplete((result, failure) -> {
            if (failure == null) {
                log.info("Lead {} from {} ({}) acknowledged at {}", lead.getLeadId(), source.tag(),
                        Masking.email(lead.getContact().getEmail()), position(result));
            }
        });
    }

    /** Publishes a deal-stage change to {@code deals.stage-changed}, keyed by dealId. */
    public CompletableFuture<SendResult<String, Object>> publish(WebhookSource source, DealStageChanged change, long arrivedNanos) {
        return send(source, Topics.DEALS_STAGE_CHANGED.name(), change.getDealId(), change, arrivedNanos).whenComplete((result, failure) -> {
            if (failure == null) {
                log.info("Deal {} entered stage {} (HubSpot event {}) acknowledged at {}", Masking.printable(change.getDealId()),
                        Masking.printable(change.getStageId()), change.getEventId(), position(result));
            }
        });
    }

    /**
     * Publishes an activity to {@code leads.activity}, keyed by its leadId, else by the HubSpot record it is about
     * ({@link LeadActivities#key}).
     *
     * @param answerWithin how long after the request's arrival the answer is due: the acknowledgement is awaited until
     *                     then at most (and never longer than {@code publish-timeout}), so a source with a short deadline
     *                     (Slack: 3 s) gets a 503 it can show rather than no answer at all
     */
    public CompletableFuture<SendResult<String, Object>> publish(WebhookSource source, LeadActivity activity, long arrivedNanos,
                                                                 Duration answerWithin) {
        String key = LeadActivities.key(activity);
        Duration left = answerWithin.minus(Duration.ofNanos(System.nanoTime() - arrivedNanos));
        Duration bound = left.compareTo(properties.publishTimeout()) < 0 ? left : properties.publishTimeout();
        return send(source, Topics.LEADS_ACTIVITY.name(), key, activity, arrivedNanos, bound).whenComplete((result, failure) -> {
            if (failure == null) {
                log.info("Activity {} {} for {} from {} acknowledged at {}", activity.getKind(), Masking.printable(activity.getActivityId()),
                        Masking.printable(key), source.tag(), position(result));
            }
        });
    }

    /** Another write a lead depends on (e.g. a booking link): a failure is a 503 like the lead's own. */
    public <T> CompletableFuture<T> acknowledged(CompletableFuture<T> write) {
        return bounded(write, "a record the lead depends on");
    }

    private CompletableFuture<SendResult<String, Object>> send(WebhookSource source, String topic, String key, SpecificRecord value,
                                                               long arrivedNanos) {
        return send(source, topic, key, value, arrivedNanos, properties.publishTimeout());
    }

    private CompletableFuture<SendResult<String, Object>> send(WebhookSource source, String topic, String key, SpecificRecord value,
                                                               long arrivedNanos, Duration bound) {
        if (bound.isNegative() || bound.isZero()) {
            return CompletableFuture.failedFuture(unavailable(topic, "the answer was due before the record could be sent"));
        }
        CompletableFuture<SendResult<String, Object>> future;
        try {
            future = template.send(topic, key, value);
        } catch (SerializationException e) {
            // a value Avro cannot encode is bad input that escaped validation, not an outage: retrying cannot help
            log.warn("A record for {} could not be encoded: {}", topic, Masking.printable(e.getMessage()));
            return CompletableFuture.failedFuture(RejectedRequest.invalid("body", "holds a value that cannot be recorded"));
        } catch (RuntimeException e) {
            if (tooLarge(e)) {
                log.warn("Kafka refused a record for {} as too large: {}", topic, Masking.printable(e.getMessage()));
                return CompletableFuture.failedFuture(RejectedRequest.recordTooLarge());
            }
            // KafkaTemplate may throw synchronously (e.g. metadata not available within max.block.ms).
            return CompletableFuture.failedFuture(unavailable(topic, e.toString()));
        }
        return bounded(future, topic, bound).whenComplete((result, failure) -> {
            if (failure == null) {
                metrics.acknowledged(source, Duration.ofNanos(System.nanoTime() - arrivedNanos));
            }
        });
    }

    private <T> CompletableFuture<T> bounded(CompletableFuture<T> future, String what) {
        return bounded(future, what, properties.publishTimeout());
    }

    private <T> CompletableFuture<T> bounded(CompletableFuture<T> future, String what, Duration bound) {
        return future.orTimeout(Math.max(1, bound.toMillis()), TimeUnit.MILLISECONDS)
                .exceptionallyCompose(failure -> {
                    Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
                    if (cause instanceof RejectedRequest rejected) {
                        return CompletableFuture.failedFuture(rejected);
                    }
                    if (tooLarge(cause)) {
                        // over max.request.size (or the broker's message.max.bytes): the same record fails every retry
                        log.warn("Kafka refused a record for {} as too large: {}", what, Masking.printable(cause.getMessage()));
                        return CompletableFuture.failedFuture(RejectedRequest.recordTooLarge());
                    }
                    String why = cause instanceof TimeoutException
                            ? "no acknowledgement within " + bound.toMillis() + " ms" : String.valueOf(cause);
                    return CompletableFuture.failedFuture(unavailable(what, why));
                });
    }

    /** Whether Kafka refused the record as too large, however the producer and the template wrapped that. */
    private static boolean tooLarge(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof RecordTooLargeException) {
                return true;
            }
        }
        return false;
    }

    private static String position(SendResult<String, Object> result) {
        return result.getRecordMetadata().topic() + "-" + result.getRecordMetadata().partition() + "@" + result.getRecordMetadata().offset();
    }

    private RejectedRequest unavailable(String topic, String why) {
        log.warn("Kafka did not acknowledge a record for {}: {}", topic, Masking.printable(why));
        return RejectedRequest.unavailable("Kafka did not acknowledge the event, so it may not have been recorded; "
                + "retry later (a retry of the same delivery is idempotent)", properties.retryAfter());
    }
}
