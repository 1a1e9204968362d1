package io.leadflow.crm.resilience;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.listener.MessageListenerContainer;

import java.util.EnumSet;
import java.util.Set;

/**
 * Pauses every listener container of this service while HubSpot cannot take work, so their partitions stop fetching
 * and no record is read, skipped or dead-lettered meanwhile; resumes them once no reason is left. Two reasons:
 * <ul>
 *   <li>the HubSpot circuit: OPEN (or FORCED_OPEN) pauses; HALF_OPEN and CLOSED resume, so the rewound batch is the
 *       half-open trial, and success closes the circuit;</li>
 *   <li>HubSpot refusing our credentials ({@link HubSpotAuthGuard}), until a probe is accepted again.</li>
 * </ul>
 */
class ListenerPauser {

    private static final Logger log = LoggerFactory.getLogger(ListenerPauser.class);

    /** Why the listeners are paused. */
    enum Reason {
        CIRCUIT_OPEN, CREDENTIALS_REFUSED
    }

    private final KafkaListenerEndpointRegistry listeners;
    private final Set<Reason> reasons = EnumSet.noneOf(Reason.class);

    ListenerPauser(CircuitBreaker circuit, KafkaListenerEndpointRegistry listeners) {
        this.listeners = listeners;
        circuit.getEventPublisher().onStateTransition(event -> {
            CircuitBreaker.State to = event.getStateTransition().getToState();
            switch (to) {
                case OPEN, FORCED_OPEN -> pause(Reason.CIRCUIT_OPEN);
                case HALF_OPEN, CLOSED -> resume(Reason.CIRCUIT_OPEN);
                default -> {
                }
            }
        });
    }

    synchronized void pause(Reason reason) {
        reasons.add(reason);
        for (MessageListenerContainer container : listeners.getListenerContainers()) {
            if (!container.isPauseRequested()) {
                if (reason == Reason.CIRCUIT_OPEN) {
                    log.warn("HubSpot circuit open: pausing listener {}", container.getListenerId());
                } else {
                    log.debug("HubSpot refuses our credentials: pausing listener {}", container.getListenerId());
                }
                container.pause();
            }
        }
    }

    synchronized void resume(Reason reason) {
        reasons.remove(reason);
        if (!reasons.isEmpty()) {
            log.debug("{} no longer holds the listeners, {} still does", reason, reasons);
            return;
        }
        for (MessageListenerContainer container : listeners.getListenerContainers()) {
            if (container.isPauseRequested()) {
                log.info("HubSpot can take work again ({} cleared): resuming listener {}", reason, container.getListenerId());
                container.resume();
            }
        }
    }

    synchronized boolean pausedFor(Reason reason) {
        return reasons.contains(reason);
    }
}
