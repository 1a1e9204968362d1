package io.leadflow.notifier.delivery;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.listener.CommonErrorHandler;
import org.springframework.kafka.listener.ConsumerRecordRecoverer;
import org.springframework.kafka.listener.MessageListenerContainer;

/**
 * For records of {@code rep.alerts} that never reach the listener (they cannot be deserialized): straight to
 * {@code rep.alerts.dlt} through the platform's recoverer, and marked finished in the {@link OffsetTracker} so the
 * hand-managed commits move past them.
 */
class AlertsErrorHandler implements CommonErrorHandler {

    private static final Logger log = LoggerFactory.getLogger(AlertsErrorHandler.class);

    private final ConsumerRecordRecoverer recoverer;
    private final OffsetTracker tracker;

    AlertsErrorHandler(ConsumerRecordRecoverer recoverer, OffsetTracker tracker) {
        this.recoverer = recoverer;
        this.tracker = tracker;
    }

    @Override
    public boolean handleOne(Exception thrownException, ConsumerRecord<?, ?> record, Consumer<?, ?> consumer,
                             MessageListenerContainer container) {
        try {
            recoverer.accept(record, thrownException);
        } catch (RuntimeException e) {
            log.error("Could not dead-letter {}-{}@{}; it will be redelivered", record.topic(), record.partition(), record.offset(), e);
            return false;
        }
        log.warn("Dead-lettered unreadable alert {}-{}@{}: {}", record.topic(), record.partition(), record.offset(),
                thrownException.getMessage());
        tracker.skipped(new TopicPartition(record.topic(), record.partition()), record.offset());
        return true;
    }

    @Override
    public boolean isAckAfterHandle() {
        return false;
    }
}
