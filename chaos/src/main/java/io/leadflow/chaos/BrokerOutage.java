package io.leadflow.chaos;

import org.awaitility.Awaitility;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Scenario 2: the broker is stopped (SIGTERM, its orderly shutdown) for {@code downFor} while webhooks keep coming,
 * then started again on the same port with the same log directory. lead-intake cannot have a webhook acknowledged by
 * Kafka meanwhile, so it answers 503 and the providers retry.
 */
final class BrokerOutage implements Scenario {

    private final Duration downFor;
    private final Map<String, Integer> instances = new LinkedHashMap<>();

    BrokerOutage(Duration downFor) {
        this.downFor = downFor;
        Stack.SERVICES.forEach(s -> instances.put(s, 2));
    }

    @Override
    public String name() {
        return "broker";
    }

    @Override
    public String description() {
        return "(2) the Kafka broker stopped for " + downFor.toSeconds() + " s while webhooks keep coming, then started again with its data";
    }

    @Override
    public Map<String, Integer> instances() {
        return instances;
    }

    @Override
    public void inject(Stack stack, Timeline timeline) {
        Node broker = stack.broker();
        Instant stopped = Instant.now();
        broker.stop(Duration.ofSeconds(60));
        Awaitility.await().pollDelay(downFor).atMost(downFor.plusSeconds(1)).until(() -> true);
        broker.start();
        broker.awaitReady(Duration.ofMinutes(4));
        timeline.record("stopped " + downFor.toSeconds() + " s, started again", broker.name(), stopped, Duration.between(stopped, Instant.now()));
    }
}
