package io.leadflow.notifier.channels;

import io.leadflow.avro.SharedChannel;
import io.leadflow.platform.kafka.CatchUpFollower;
import io.leadflow.schemas.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.kafka.core.KafkaOperations;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * What the notifier has set up, kept in the compacted topic {@code slack.shared-channels} (only this service writes it):
 * every instance reads it whole from the beginning and follows it, so a restart or another instance never sets up a lead's
 * channel a second time. A write waits for the broker's acknowledgement and is known here at once.
 */
class SharedChannelLedger extends CatchUpFollower {

    private final Map<String, SharedChannel> byLead = new ConcurrentHashMap<>();
    private final KafkaOperations<Object, Object> template;
    private final Duration writeTimeout;

    SharedChannelLedger(KafkaProperties kafka, KafkaOperations<Object, Object> template, Duration writeTimeout) {
        super("rep-notifier-shared-channels-ledger", kafka, List.of(Topics.SLACK_SHARED_CHANNELS.name()));
        this.template = template;
        this.writeTimeout = writeTimeout;
    }

    @Override
    protected void apply(ConsumerRecord<String, Object> record) {
        if (record.key() == null) {
            return;
        }
        if (record.value() instanceof SharedChannel channel) {
            byLead.put(record.key(), channel);
        } else if (record.value() == null) {
            byLead.remove(record.key());
        }
    }

    /** The outcome recorded for a lead, if any. */
    Optional<SharedChannel> find(String leadId) {
        return Optional.ofNullable(byLead.get(leadId));
    }

    /** Whether another lead's record names this channel. */
    boolean claimedByAnotherLead(String channelId, String leadId) {
        return byLead.values().stream().anyMatch(c -> channelId.equals(c.getChannelId()) && !leadId.equals(c.getLeadId()));
    }

    /** Writes an outcome and waits for the broker's acknowledgement. */
    void record(SharedChannel outcome) {
        try {
            template.send(Topics.SLACK_SHARED_CHANNELS.name(), outcome.getLeadId(), outcome).get(writeTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while recording the shared channel of lead " + outcome.getLeadId(), e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Could not record the shared channel of lead " + outcome.getLeadId(), e);
        }
        byLead.put(outcome.getLeadId(), outcome);
    }
}
