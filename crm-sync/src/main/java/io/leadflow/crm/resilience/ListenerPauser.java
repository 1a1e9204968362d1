package io.leadflow.crm.resilience;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.listener.MessageListenerContainer;

/**
 * Follows the HubSpot circuit: OPEN (or FORCED_OPEN) pauses every listener container of this service, so their
 * partitions stop fetching and no record is read, skipped or dead-lettered while HubSpot is down; HALF_OPEN and CLOSED
 * resume them, so the rewound batch is the half-open trial, and success closes the circuit.
 */
public class ListenerPauser {

    private static final Logger log = LoggerFactory.getLogger(ListenerPauser.class);

    private final KafkaListenerEndpointRegistry listeners;

    ListenerPauser(CircuitBreaker circuit, KafkaListenerEndpointRegistry listeners) {
        this.listeners = listeners;
        circuit.getEventPublisher().onStateTransition(event -> {
            CircuitBreaker.State to = event.getStateTransition().getToState();
            switch (to) {
                case OPEN, FORCED_OPEN -> pauseAll();
                case HALF_OPEN, CLOSED -> resumeAll();
                default -> {
                }
            }
        });
    }

    void pauseAll() {
        for (MessageListenerContainer container : listeners.getListenerContainers()) {
            if (!container.isPauseRequested()) {
                log.warn("HubSpot circuit open: pausing listener {}", container.getListenerId());
                container.pause();
            }
        }
    }

    void resumeAll() {
        for (MessageListenerContainer container : listeners.getListenerContainers()) {
            if (container.isPauseRequested()) {
                log.info("HubSpot circuit {}: resuming listener {}", "half-open/closed", container.getListenerId());
                container.resume();
            }
        }
    }
}
