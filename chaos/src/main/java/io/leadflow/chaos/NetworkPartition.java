package io.leadflow.chaos;

import org.awaitility.Awaitility;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Scenario 7: the first instance of every service runs in a network namespace of its own ({@link Namespaces}); all of
 * them are cut off at once for {@code cutFor} — from the broker, and so from everything else: the registry, the
 * sandboxes, their twins and the webhooks — while the processes keep running, then healed. Unlike a kill, the cut
 * instances hold on to their partitions, transactions and half-done HubSpot and Slack calls until their sessions expire,
 * and come back believing they still own them.
 */
final class NetworkPartition implements Scenario {

    private final Duration cutFor;
    private final Map<String, Integer> instances = new LinkedHashMap<>();

    NetworkPartition(Duration cutFor) {
        this.cutFor = cutFor;
        Stack.SERVICES.forEach(s -> instances.put(s, 2));
    }

    @Override
    public String name() {
        return "partition";
    }

    @Override
    public String description() {
        return "(7) one instance of each service cut off from the broker (its own network namespace, veth link down) for "
                + cutFor.toSeconds() + " s while it keeps running, then healed";
    }

    @Override
    public Map<String, Integer> instances() {
        return instances;
    }

    @Override
    public Set<String> isolated() {
        return Stack.SERVICES.stream().map(s -> s + "-1").collect(Collectors.toCollection(java.util.LinkedHashSet::new));
    }

    @Override
    public void inject(Stack stack, Timeline timeline) {
        List<Node> cut = Stack.SERVICES.stream().map(s -> stack.instances(s).get(0)).toList();
        Namespaces network = stack.network();
        Instant at = Instant.now();
        cut.forEach(n -> network.cut(stack.isolation(n).orElseThrow()));
        Awaitility.await().pollDelay(cutFor).atMost(cutFor.plusSeconds(1)).until(() -> true);
        cut.forEach(n -> network.heal(stack.isolation(n).orElseThrow()));
        Instant healed = Instant.now();
        for (Node node : cut) {
            if (!node.alive()) {
                throw new IllegalStateException(node.name() + " died while cut off; see " + node.dir().resolve("process.log"));
            }
            node.awaitReady(Duration.ofMinutes(4));
            timeline.record("cut off " + cutFor.toSeconds() + " s, healed", node.name(), at,
                    Duration.between(at, Instant.now()));
        }
        ScenarioRun.log("partition: healed after %d s; every cut instance answered again %.1f s later", cutFor.toSeconds(),
                Duration.between(healed, Instant.now()).toMillis() / 1000.0);
    }
}
