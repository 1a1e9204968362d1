package io.leadflow.chaos;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Scenario 1: one instance of each service is killed with SIGKILL while webhooks keep coming, one service after
 * another; each is started again (same port, same state directory) once it has been gone for {@code downFor}, and
 * the next one is killed when it serves again.
 */
final class KillMidBurst implements Scenario {

    private final Map<String, Integer> instances;
    private final List<String> victims;
    private final Duration downFor;

    /**
     * @param instances instances per service
     * @param victims   the services one instance of which is killed, in this order
     * @param downFor   how long a killed instance stays down
     */
    KillMidBurst(Map<String, Integer> instances, List<String> victims, Duration downFor) {
        this.instances = new LinkedHashMap<>(instances);
        this.victims = List.copyOf(victims);
        this.downFor = downFor;
    }

    /** Every service twice; the first instance of each killed in the pipeline's order. */
    static KillMidBurst full(Duration downFor) {
        Map<String, Integer> twice = new LinkedHashMap<>();
        Stack.SERVICES.forEach(s -> twice.put(s, 2));
        return new KillMidBurst(twice, Stack.SERVICES, downFor);
    }

    @Override
    public String name() {
        return "kill";
    }

    @Override
    public String description() {
        return "(1) SIGKILL one instance of " + String.join(", ", victims) + ", one after another mid-burst; each restarted after "
                + downFor.toSeconds() + " s";
    }

    @Override
    public Map<String, Integer> instances() {
        return instances;
    }

    @Override
    public void inject(Stack stack, Timeline timeline) {
        for (String service : victims) {
            Node victim = stack.instances(service).get(0);
            Instant killed = Instant.now();
            victim.kill();
            org.awaitility.Awaitility.await().pollDelay(downFor).atMost(downFor.plusSeconds(1)).until(() -> true);
            victim.start();
            victim.awaitReady(Duration.ofMinutes(4));
            timeline.record("SIGKILL, restart after " + downFor.toSeconds() + " s", victim.name(), killed, Duration.between(killed, Instant.now()));
        }
    }
}
