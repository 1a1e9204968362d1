package io.leadflow.chaos;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Scenario 1, short: crm-sync and rep-notifier run twice, as separate JVMs from their {@code -exec.jar}s, next to one
 * lead-intake and one routing-service, a KRaft broker, the registry and the sandboxes, each a process of its own. While
 * signed webhooks of every source keep coming, one crm-sync and then one rep-notifier are killed with SIGKILL and
 * started again. Every lead lead-intake acknowledged must be in HubSpot and Slack exactly once.
 */
class KillMidBurstTests {

    @Test
    void killingACrmSyncAndARepNotifierMidBurstLosesAndDuplicatesNothing() {
        // given the production shape with two instances of the HubSpot and Slack writers, under a steady load
        Map<String, Integer> instances = new LinkedHashMap<>();
        instances.put(Stack.INTAKE, 1);
        instances.put(Stack.ROUTING, 1);
        instances.put(Stack.CRM, 2);
        instances.put(Stack.NOTIFIER, 2);
        KillMidBurst scenario = new KillMidBurst(instances, List.of(Stack.CRM, Stack.NOTIFIER), Duration.ofSeconds(3));
        Path module = Path.of("").toAbsolutePath();
        ScenarioRun run = new ScenarioRun(module.getParent(), module.resolve("target/chaos-tests"),
                new ScenarioRun.Pace(1, Duration.ofSeconds(3), Duration.ofSeconds(10), Duration.ofMinutes(3), Chaos.DEFAULT_JAVA_OPTIONS));

        // when one instance of each is killed mid-burst and restarted
        ScenarioRun.Result result = run.run(scenario);

        // then every acknowledged lead is in every sink once, and every webhook was acknowledged in the end
        assertThat(result.error()).isNull();
        assertThat(result.events()).extracting(Scenario.Timeline.Event::target).containsExactly("crm-sync-1", "rep-notifier-1");
        assertThat(result.accepted()).isGreaterThanOrEqualTo(25).isEqualTo(result.sent());
        assertThat(result.sinks()).hasSize(Audit.SINKS.size()).allSatisfy(sink -> {
            assertThat(sink.lost()).as(sink.name() + " lost " + sink.lostExamples()).isZero();
            assertThat(sink.duplicated()).as(sink.name() + " duplicated " + sink.duplicatedExamples()).isZero();
            assertThat(sink.found()).as(sink.name()).isEqualTo(result.accepted());
        });
    }
}
