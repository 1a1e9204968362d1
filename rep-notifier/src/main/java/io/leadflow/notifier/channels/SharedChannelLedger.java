package io.leadflow.notifier.channels;

import io.leadflow.avro.SharedChannel;
import io.leadflow.avro.SharedChannelStatus;
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
 * channel a second time, and a company's later hands-on leads join the channel of its first (keyed by the company's
 * domain; a person already invited to it is not invited again). A write waits for the broker's acknowledgement and is known here at once.
 */
class SharedChannelLedger extends CatchUpFollower {

    /** Keys of the records naming an account's channel ({@code account:<company domain>}) and an invited person. */
    static final String ACCOUNT = "account:";
    static final String INVITED = "invited:";

    /** By key: a lead id, or an account's or an invitation's key. */
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

    /** The open channel of a company's account (its domain), set up for the first of its hands-on leads. */
    Optional<SharedChannel> ofAccount(String domain) {
        return Optional.ofNullable(byLead.get(ACCOUNT + domain)).filter(c -> c.getStatus() == SharedChannelStatus.OPEN && c.getChannelId() != null);
    }

    /** Whether the person of this subject (a keyed hash of their email) was invited to the channel. */
    boolean invited(String channelId, String subject) {
        return subject != null && byLead.containsKey(INVITED + channelId + ":" + subject);
    }

    /** Whether another lead's record names this channel. */
    boolean claimedByAnotherLead(String channelId, String leadId) {
        return byLead.values().stream().anyMatch(c -> channelId.equals(c.getChannelId()) && !leadId.equals(c.getLeadId()));
    }

    /** Writes an outcome and waits for the broker's acknowledgement. */
    void record(SharedChannel outcome) {
        record(outcome.getLeadId(), outcome);
    }

    /** Records the channel as its account's (by company domain), so the account's later leads join it. */
    void recordAccount(String domain, SharedChannel outcome) {
        record(ACCOUNT + domain, outcome);
    }

    /** Records that the person of this subject was invited to the channel (by the lead the outcome names). */
    void recordInvited(String subject, SharedChannel outcome) {
        if (subject != null) {
            record(INVITED + outcome.getChannelId() + ":" + subject, outcome);
        }
    }

    private void record(String key, SharedChannel outcome) {
        try {
            template.send(Topics.SLACK_SHARED_CHANNELS.name(), key, outcome).get(writeTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while recording the shared channel of lead " + outcome.getLeadId(), e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Could not record the shared channel of lead " + outcome.getLeadId(), e);
        }
        byLead.put(key, outcome);
    }
}
