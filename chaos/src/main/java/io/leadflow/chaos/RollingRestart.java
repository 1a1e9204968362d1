package io.leadflow.chaos;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Scenario 6: a rolling restart of every service under load, as a deployment does it: one instance at a time is
 * stopped with SIGTERM (the JVM's orderly shutdown, SIGKILL after the grace period, as docker-compose's
 * {@code stop_grace_period}), started again and waited for until it serves, before the next one.
 */
final class RollingRestart implements Scenario {

    private static final Duration GRACE = Duration.ofSeconds(30);

    private final Map<String, Integer> instances = new LinkedHashMap<>();

    RollingRestart() {
        Stack.SERVICES.forEach(s -> instances.put(s, 2));
    }

    @Override
    public String name() {
        return "rolling";
    }

    @Override
    public String description() {
        return "(6) rolling restart of every service: each instance in turn stopped with SIGTERM (SIGKILL after "
                + GRACE.toSeconds() + " s), started again, waited for";
    }

    @Override
    public Map<String, Integer> instances() {
        return instances;
    }

    @Override
    public void inject(Stack stack, Timeline timeline) {
        for (String service : Stack.SERVICES) {
            for (Node node : stack.instances(service)) {
                Instant stopped = Instant.now();
                node.stop(GRACE);
                node.start();
                node.awaitReady(Duration.ofMinutes(4));
                timeline.record("SIGTERM, restart", node.name(), stopped, Duration.between(stopped, Instant.now()));
            }
        }
    }
}
