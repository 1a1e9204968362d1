package io.leadflow.notifier.delivery;

import io.leadflow.notifier.dedupe.KafkaSentLedger;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.listener.ConsumerAwareRebalanceListener;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;

/**
 * Rebalances of {@code rep.alerts}: before taking partitions the consumer reads {@code rep.alerts.sent} to its end, so a
 * record redelivered from another instance's uncommitted work is recognised as posted; before giving partitions up it
 * commits what is safely finished, and alerts of revoked partitions that have not posted yet are dropped for the new
 * owner to deliver.
 */
class AlertPartitions implements ConsumerAwareRebalanceListener {

    private static final Logger log = LoggerFactory.getLogger(AlertPartitions.class);

    private final KafkaSentLedger ledger;
    private final OffsetTracker tracker;
    private final Duration catchUpTimeout;

    AlertPartitions(KafkaSentLedger ledger, OffsetTracker tracker, Duration catchUpTimeout) {
        this.ledger = ledger;
        this.tracker = tracker;
        this.catchUpTimeout = catchUpTimeout;
    }

    @Override
    public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        if (!partitions.isEmpty()) {
            try {
                ledger.awaitCaughtUp(catchUpTimeout);
            } catch (KafkaSentLedger.LedgerUnavailableException e) {
                log.warn("{}; alerts wait for the ledger before anything is posted", e.getMessage());
            }
        }
        tracker.assigned(partitions);
    }

    @Override
    public void onPartitionsRevokedBeforeCommit(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        Map<TopicPartition, OffsetAndMetadata> offsets = tracker.committable(partitions);
        if (!offsets.isEmpty()) {
            try {
                consumer.commitSync(offsets);
            } catch (RuntimeException e) {
                log.warn("Could not commit {} on revocation; the new owner will skip what was already posted", offsets, e);
            }
        }
        tracker.revoked(partitions);
    }

    @Override
    public void onPartitionsLost(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        tracker.revoked(partitions);
    }
}
