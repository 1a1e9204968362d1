package io.leadflow.routing.topology;

import io.leadflow.avro.LeadReceived;
import io.leadflow.avro.LeadRouted;
import io.leadflow.avro.RulesVersion;
import io.leadflow.routing.rules.RulesLoader;
import io.leadflow.testing.PooledRules;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static io.leadflow.routing.Leads.lead;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Published rules versions go through the routing lane with the leads: the switch falls at the version's place among
 * the leads, state (round robin, daily caps) carries over, every decision names its version, and any other run of the
 * same lane — another instance, a replay — switches at the same lead.
 */
class RulesSwitchTests {

    private static final Instant MONDAY = Instant.parse("2026-01-05T09:00:00Z");

    /** Ana and Bo share the fallback round robin, no caps. */
    private static final String V1 = rules("switch-v1", "");
    /** The same, but Ana takes at most 2 leads a day. */
    private static final String V2 = rules("switch-v2", ", dailyCap: 2");

    @TempDir
    Path stateDir;

    @Test
    void leadsBeforeAVersionAreDecidedUnderThePreviousOneAndLeadsAfterItUnderItWithTheStateCarriedOver() {
        List<LeadRouted> decisions = run(stateDir.resolve("one"), lane());

        assertThat(decisions).hasSize(7);
        assertThat(decisions.subList(0, 1)).allSatisfy(d -> {
            assertThat(d.getPublishedRulesVersion()).as("before any published version: the file it started with").isZero();
            assertThat(d.getRulesVersion()).isEqualTo("switch-v1");
        });
        assertThat(decisions.subList(1, 5)).allSatisfy(d -> {
            assertThat(d.getPublishedRulesVersion()).isEqualTo(1);
            assertThat(d.getRulesVersion()).isEqualTo("switch-v1");
        });
        assertThat(decisions.subList(5, 7)).allSatisfy(d -> {
            assertThat(d.getPublishedRulesVersion()).isEqualTo(2);
            assertThat(d.getRulesVersion()).isEqualTo("switch-v2");
        });
        assertThat(decisions.subList(0, 5)).extracting(d -> d.getOwner().getRepId()).containsOnly("ana", "bo").contains("ana", "bo");
        long anasBefore = decisions.subList(0, 5).stream().filter(d -> d.getOwner().getRepId().equals("ana")).count();
        assertThat(anasBefore).as("Ana's count for the day under v0/v1").isGreaterThanOrEqualTo(2);
        assertThat(decisions.subList(5, 7)).as("v2 caps Ana at 2 a day, and she already has %d today: the count carried over", anasBefore)
                .extracting(d -> d.getOwner().getRepId()).containsOnly("bo");
    }

    @Test
    void twoInstancesFedTheSameLaneSwitchAtTheSameLeadAndDecideTheSame() {
        List<LeadRouted> one = run(stateDir.resolve("one"), lane());
        List<LeadRouted> other = run(stateDir.resolve("other"), lane());

        assertThat(view(other)).isEqualTo(view(one));
        assertThat(one).extracting(LeadRouted::getPublishedRulesVersion).containsExactly(0, 1, 1, 1, 1, 2, 2);
    }

    @Test
    void anOlderOrRepeatedVersionMetAgainInTheLaneDoesNotSwitchBack() {
        List<Object> lane = new ArrayList<>(lane());
        lane.add(published(1, V1, null));
        lane.add(published(2, V2, null));
        lane.add(leadNamed("late-1"));

        List<LeadRouted> decisions = run(stateDir.resolve("one"), lane);

        assertThat(decisions.get(decisions.size() - 1)).satisfies(d -> {
            assertThat(d.getPublishedRulesVersion()).isEqualTo(2);
            assertThat(d.getOwner().getRepId()).isEqualTo("bo");
        });
    }

    @Test
    void aRollbackIsANewVersionWithTheOldFileAndLeadsAfterItAreDecidedUnderIt() {
        List<Object> lane = new ArrayList<>(lane());
        lane.add(published(3, V1, 1));
        lane.add(leadNamed("after-rollback-1"));
        lane.add(leadNamed("after-rollback-2"));

        List<LeadRouted> decisions = run(stateDir.resolve("one"), lane);

        List<LeadRouted> after = decisions.subList(decisions.size() - 2, decisions.size());
        assertThat(after).allSatisfy(d -> {
            assertThat(d.getPublishedRulesVersion()).isEqualTo(3);
            assertThat(d.getRulesVersion()).isEqualTo("switch-v1");
        });
        assertThat(after).extracting(d -> d.getOwner().getRepId()).as("no cap for Ana under the old file again").contains("ana");
    }

    /** One lead, v1 (the start-up file published), four leads, v2, two leads. */
    private static List<Object> lane() {
        List<Object> lane = new ArrayList<>();
        lane.add(leadNamed("lead-0"));
        lane.add(published(1, V1, null));
        for (int i = 1; i <= 4; i++) {
            lane.add(leadNamed("lead-" + i));
        }
        lane.add(published(2, V2, null));
        lane.add(leadNamed("lead-5"));
        lane.add(leadNamed("lead-6"));
        return lane;
    }

    private List<LeadRouted> run(Path dir, List<Object> lane) {
        try (RoutingDriver driver = new RoutingDriver(RulesLoader.parse(V1, "start-up.yml"), dir)) {
            driver.clock.set(MONDAY);
            for (Object record : lane) {
                if (record instanceof RulesVersion version) {
                    driver.publish(version);
                } else {
                    driver.send((LeadReceived) record);
                }
            }
            return driver.decisions().stream().map(kv -> kv.value).toList();
        }
    }

    private static List<String> view(List<LeadRouted> decisions) {
        return decisions.stream().map(d -> d.getLeadId() + " v" + d.getPublishedRulesVersion() + " " + d.getOwner().getRepId()).toList();
    }

    private static LeadReceived leadNamed(String id) {
        return lead().id(id).domain(id + ".example").build();
    }

    private static RulesVersion published(int version, String yaml, Integer rolledBackFrom) {
        return RulesVersion.newBuilder().setVersion(version).setYaml(yaml).setSha256("sha-" + version).setPublishedBy("test")
                .setPublishedAt(MONDAY).setNote(null).setRolledBackFrom(rolledBackFrom).build();
    }

    private static String rules(String label, String anaCap) {
        return PooledRules.version(label)
                .rep("{ id: ana, name: Ana, email: ana@example.com, slackUserId: U0ANA" + anaCap + " }")
                .rep("{ id: bo, name: Bo, email: bo@example.com, slackUserId: U0BO }")
                .team("ana", "bo")
                .yaml();
    }
}
