package io.leadflow.trials.api;

import io.leadflow.avro.TrialEvent;
import io.leadflow.platform.web.HttpProblem;
import io.leadflow.schemas.Topics;
import io.leadflow.trials.system.TrialsProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.SendResult;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Writes the API's {@link TrialEvent}s to {@code trials.events}, keyed by trialId, and waits for the broker's
 * acknowledgement ({@code acks=all}, idempotent producer) before the caller answers 202; a send that is not
 * acknowledged in time answers 503, so the client retries (a retried start is idempotent; a retried extension or
 * close is when it carries the same {@code Idempotency-Key}).
 */
@Component
class TrialCommands {

    private static final Logger log = LoggerFactory.getLogger(TrialCommands.class);

    private final KafkaTemplate<String, Object> template;
    private final TrialsProperties properties;

    TrialCommands(KafkaTemplate<String, Object> template, TrialsProperties properties) {
        this.template = template;
        this.properties = properties;
    }

    void publish(TrialEvent event) {
        try {
            SendResult<String, Object> result = template.send(Topics.TRIALS_EVENTS.name(), event.getTrialId(), event)
                    .get(properties.publishTimeout().toMillis(), TimeUnit.MILLISECONDS);
            log.info("Trial event {} ({}) for trial {} acknowledged at {}-{}@{}", event.getEventId(),
                    event.getPayload().getClass().getSimpleName(), event.getTrialId(), result.getRecordMetadata().topic(),
                    result.getRecordMetadata().partition(), result.getRecordMetadata().offset());
        } catch (TimeoutException e) {
            throw unavailable("no acknowledgement within " + properties.publishTimeout().toMillis() + " ms");
        } catch (ExecutionException e) {
            throw unavailable(String.valueOf(e.getCause()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable("interrupted while waiting for the acknowledgement");
        }
    }

    private static HttpProblem unavailable(String why) {
        log.warn("Could not publish to {}: {}", Topics.TRIALS_EVENTS.name(), why);
        return HttpProblem.unavailable("Kafka did not acknowledge the event (" + why + "); nothing was recorded, please retry",
                Duration.ofSeconds(5));
    }
}
