package io.leadflow.notifier.delivery;

import io.leadflow.notifier.dedupe.KafkaSentLedger;
import io.leadflow.notifier.privacy.ErasedPeople;
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
 * record redelivered from another instance's uncommitted work is recognised as posted, and waits (as long) for
 * {@code privacy.erasures} to be read once, so an erased person's old alert is recognised; before giving partitions up it
 * commits what is safely finished, and alerts of revoked partitions that have not posted yet are dropped for the new
 * owner to deliver.
 */
class AlertPartitions implements ConsumerAwareRebalanceListener {

    private static final Logger log = LoggerFactory.getLogger(AlertPartitions.class);

    private final KafkaSentLedger ledger;
    private final ErasedPeople erased;
    private final OffsetTracker tracker;
    private final Duration catchUpTimeout;

    AlertPartitions(KafkaSentLedger ledger, ErasedPeople erased, OffsetTracker tracker, Duration catchUpTimeout) {
        this.ledger = ledger;
        this.erased = erased;
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
            if (!erased.awaitLoaded(catchUpTimeout)) {
                log.warn("privacy.erasures not read to its end within {}; alerts wait for it before anything is posted", catchUpTimeout);
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
