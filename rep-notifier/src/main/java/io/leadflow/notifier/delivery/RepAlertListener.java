package io.leadflow.notifier.delivery;

import io.leadflow.avro.RepAlert;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.event.EventListener;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.event.ListenerContainerIdleEvent;
import org.springframework.kafka.listener.MessageListenerContainer;

import java.util.Map;

/**
 * Consumes {@code rep.alerts.by-channel} (every alert of a channel on one partition, {@link ChannelKeying}) and hands
 * each alert to {@link AlertDelivery}, which finishes it later on its channel's
 * lane; the consumer never waits for Slack, so one throttled channel does not hold up the others. Offsets are
 * committed by hand (from this thread, as Kafka requires) up to the lowest alert still in flight per partition.
 * Rebalances are handled by {@link AlertPartitions}.
 * Past {@code maxInFlight} unfinished alerts the container pauses until half of them are done.
 */
class RepAlertListener {

    static final String ID = "rep-notifier-alerts";

    private static final Logger log = LoggerFactory.getLogger(RepAlertListener.class);

    private final AlertDelivery delivery;
    private final OffsetTracker tracker;
    private final ObjectProvider<KafkaListenerEndpointRegistry> registry;
    private final int maxInFlight;
    private volatile boolean paused;

    RepAlertListener(AlertDelivery delivery, OffsetTracker tracker, ObjectProvider<KafkaListenerEndpointRegistry> registry,
                     int maxInFlight) {
        this.delivery = delivery;
        this.tracker = tracker;
        this.registry = registry;
        this.maxInFlight = maxInFlight;
    }

    @KafkaListener(id = ID, idIsGroup = false, topics = "#{T(io.leadflow.schemas.Topics).REP_ALERTS_BY_CHANNEL.name()}",
            containerFactory = "repAlertsContainerFactory")
    void onAlert(ConsumerRecord<String, RepAlert> record, Consumer<?, ?> consumer) {
        OffsetTracker.Ticket ticket = tracker.begin(new TopicPartition(record.topic(), record.partition()), record.offset());
        delivery.submit(record, () -> tracker.owns(ticket), () -> finished(ticket));
        if (!paused && tracker.inFlight() >= maxInFlight) {
            log.warn("{} alerts in flight; pausing consumption until Slack catches up", tracker.inFlight());
            paused = true;
            container().ifPresent(MessageListenerContainer::pause);
        }
        commit(consumer);
    }

    @EventListener(condition = "event.listenerId.startsWith('" + ID + "')")
    void onIdle(ListenerContainerIdleEvent event) {
        commit(event.getConsumer()); // the event is published on the consumer thread
    }

    private void finished(OffsetTracker.Ticket ticket) {
        tracker.done(ticket);
        if (paused && tracker.inFlight() <= maxInFlight / 2) {
            paused = false;
            log.info("Alerts in flight back to {}; resuming consumption", tracker.inFlight());
            container().ifPresent(MessageListenerContainer::resume);
        }
    }

    private void commit(Consumer<?, ?> consumer) {
        Map<TopicPartition, OffsetAndMetadata> offsets = tracker.committable(consumer.assignment());
        log.debug("Committable {} of {}", offsets, consumer.assignment());
        if (!offsets.isEmpty()) {
            consumer.commitAsync(offsets, (committed, error) -> {
                if (error == null) {
                    tracker.committed(committed);
                } else {
                    log.debug("Offset commit failed; it is retried with the next one", error);
                }
            });
        }
    }

    private java.util.Optional<MessageListenerContainer> container() {
        return java.util.Optional.ofNullable(registry.getIfAvailable()).map(r -> r.getListenerContainer(ID));
    }
}
