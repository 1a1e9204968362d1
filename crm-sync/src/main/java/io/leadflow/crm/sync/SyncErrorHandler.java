package io.leadflow.crm.sync;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.leadflow.crm.hubspot.HubSpotException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.listener.CommonErrorHandler;
import org.springframework.kafka.listener.ListenerUtils;
import org.springframework.kafka.listener.MessageListenerContainer;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Error handling of the HubSpot listeners. When HubSpot is unavailable (retries exhausted, circuit open), refuses our
 * credentials (401/403), or crm.synced could not be published, the whole batch is rewound to its first offsets: nothing
 * is committed, skipped or dead-lettered, and the batch comes back once HubSpot takes work again (the open circuit, or
 * the refused credentials, pause the containers meanwhile). Anything else goes to the platform's error handler
 * (bounded retries, then the DLT).
 */
class SyncErrorHandler implements CommonErrorHandler {

    private static final Logger log = LoggerFactory.getLogger(SyncErrorHandler.class);

    private final CommonErrorHandler delegate;
    private final CircuitBreaker circuit;
    private final Duration pause;

    SyncErrorHandler(CommonErrorHandler delegate, CircuitBreaker circuit, Duration pause) {
        this.delegate = delegate;
        this.circuit = circuit;
        this.pause = pause;
    }

    static boolean waitsForHubSpot(Throwable thrown) {
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            if (t instanceof HubSpotException.Unavailable || t instanceof HubSpotException.AuthFailed
                    || t instanceof CallNotPermittedException || t instanceof SyncListeners.KafkaPublishFailed
                    || t instanceof SyncListeners.DealNotYetSynced) {
                return true;
            }
        }
        return false;
    }

    @Override
    public boolean seeksAfterHandling() {
        return true;
    }

    @Override
    public void handleBatch(Exception thrown, ConsumerRecords<?, ?> data, Consumer<?, ?> consumer,
                            MessageListenerContainer container, Runnable invokeListener) {
        if (waitsForHubSpot(thrown)) {
            rewind(thrown, data, consumer, container);
        } else {
            delegate.handleBatch(thrown, data, consumer, container, invokeListener);
        }
    }

    @Override
    public <K, V> ConsumerRecords<K, V> handleBatchAndReturnRemaining(Exception thrown, ConsumerRecords<?, ?> data,
                                                                       Consumer<?, ?> consumer, MessageListenerContainer container,
                                                                       Runnable invokeListener) {
        if (waitsForHubSpot(thrown)) {
            rewind(thrown, data, consumer, container);
            return ConsumerRecords.empty();
        }
        return delegate.handleBatchAndReturnRemaining(thrown, data, consumer, container, invokeListener);
    }

    @Override
    public void handleOtherException(Exception thrown, Consumer<?, ?> consumer, MessageListenerContainer container, boolean batchListener) {
        delegate.handleOtherException(thrown, consumer, container, batchListener);
    }

    private void rewind(Exception thrown, ConsumerRecords<?, ?> data, Consumer<?, ?> consumer, MessageListenerContainer container) {
        Map<TopicPartition, Long> first = new HashMap<>();
        for (ConsumerRecord<?, ?> record : data) {
            first.merge(new TopicPartition(record.topic(), record.partition()), record.offset(), Math::min);
        }
        first.forEach(consumer::seek);
        if (refusedCredentials(thrown)) {
            // said once, at ERROR, by the auth guard, which has paused the containers
            log.debug("HubSpot refuses our credentials; {} records rewound until it accepts them", data.count());
            return;
        }
        log.warn("HubSpot unavailable ({}); {} records rewound, circuit {}", rootMessage(thrown), data.count(), circuit.getState());
        if (circuit.getState() == CircuitBreaker.State.CLOSED) {
            // retries were exhausted without opening the circuit (e.g. a long 429 storm): wait before the batch returns
            try {
                ListenerUtils.stoppableSleep(container, pause.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static boolean refusedCredentials(Throwable thrown) {
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            if (t instanceof HubSpotException.AuthFailed) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable thrown) {
        Throwable t = thrown;
        while (t.getCause() != null && !(t instanceof HubSpotException) && !(t instanceof CallNotPermittedException)) {
            t = t.getCause();
        }
        return t.getMessage();
    }
}
