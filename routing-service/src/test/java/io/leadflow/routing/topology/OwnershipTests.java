package io.leadflow.routing.topology;

import io.leadflow.avro.LeadReceived;
import io.leadflow.avro.LeadRouted;
import io.leadflow.avro.RepAlert;
import io.leadflow.avro.RoutingFlag;
import io.leadflow.avro.RoutingReason;
import io.leadflow.routing.rules.RulesLoader;
import io.leadflow.testing.PooledRules;
import org.apache.kafka.streams.KeyValue;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static io.leadflow.routing.Leads.lead;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Who gets a lead when no handbook profile decides: stickiness, weighted round robin, caps, absences, fallback, duplicates. */
class OwnershipTests {

    @TempDir
    Path stateDir;

    @AutoClose
    private RoutingDriver driver;

    @Test
    void overAThousandLeadsTheRoundRobinSplitMatchesTheWeightsWithin5Percent() {
        given(rep("ana", 3, null, "") + rep("bo", 1, null, ""));

        for (int i = 0; i < 1000; i++) {
            driver.send(lead().build());
        }
        Map<String, Long> byOwner = owners(driver.decisions());

        assertThat(byOwner.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(1000);
        assertThat(byOwner.get("ana") / 1000.0).isCloseTo(0.75, within(0.05));
        assertThat(byOwner.get("bo") / 1000.0).isCloseTo(0.25, within(0.05));
    }

    @Test
    void aRepAtTheirDailyCapGetsNoMoreLeadsThatDay() {
        given(rep("ana", 1, 2, "") + rep("bo", 1, null, ""));

        routeMany(8);
        Map<String, Long> today = owners(driver.decisions());
        driver.clock.advance(Duration.ofDays(1));
        routeMany(2);
        Map<String, Long> tomorrow = owners(driver.decisions());

        assertThat(today).containsEntry("ana", 2L).containsEntry("bo", 6L);
        assertThat(tomorrow).containsEntry("ana", 1L).containsEntry("bo", 1L);
    }

    @Test
    void anOutOfOfficeRepIsSkippedUntilTheyAreBack() {
        given(rep("ana", 1, null, "[{ from: 2026-01-05, to: 2026-01-09, note: holiday }]") + rep("bo", 1, null, ""));

        LeadRouted away = driver.route(lead().build());
        routeMany(3);
        Map<String, Long> whileAway = owners(driver.decisions());
        driver.clock.set(Instant.parse("2026-01-10T09:00:00Z"));
        routeMany(4);
        Map<String, Long> back = owners(driver.decisions());

        assertThat(away.getOwner().getRepId()).isEqualTo("bo");
        assertThat(ownerReason(away).getExplanation()).contains("Skipped: Ana is out of office until 2026-01-09");
        assertThat(whileAway).containsOnlyKeys("bo");
        assertThat(back).containsEntry("ana", 2L).containsEntry("bo", 2L);
    }

    @Test
    void anInactiveRepIsNeverPicked() {
        given(rep("ana", 1, null, "", false) + rep("bo", 1, null, ""));

        routeMany(5);

        assertThat(owners(driver.decisions())).containsOnlyKeys("bo");
    }

    @Test
    void whenEveryRepIsUnavailableTheFallbackOwnerGetsTheLeadAndTheAlertSaysSo() {
        given(rep("ana", 1, null, "[{ from: 2026-01-01, to: 2026-01-31 }]") + rep("bo", 1, 0, ""));

        LeadRouted decision = driver.route(lead().build());
        List<KeyValue<String, RepAlert>> alerts = driver.alerts();

        assertThat(decision.getOwner().getRepId()).isEqualTo("sales");
        assertThat(ownerReason(decision).getRule()).isEqualTo("fallback-owner");
        assertThat(ownerReason(decision).getExplanation()).contains("Nobody in team pool was available", "Sales team",
                "Ana is out of office until 2026-01-31", "Bo is at the daily cap of 0");
        assertThat(decision.getFlags()).extracting(RoutingFlag::getCode).contains("NO_REP_AVAILABLE");
        assertThat(alerts).singleElement().satisfies(alert -> {
            assertThat(alert.key).isEqualTo("sales");
            assertThat(alert.value.getFlags()).anySatisfy(flag -> assertThat(flag).contains("Nobody in team pool was available"));
        });
    }

    @Test
    void aRuleNamingATeamRoundRobinsOverIt() {
        given(rep("ana", 1, null, "") + rep("bo", 1, null, ""));

        LeadRouted first = driver.route(lead().eu().build());
        LeadRouted second = driver.route(lead().eu().build());

        assertThat(List.of(first.getOwner().getRepId(), second.getOwner().getRepId())).containsExactlyInAnyOrder("ana", "bo");
        assertThat(ownerReason(first).getRule()).isEqualTo("eu-team");
        assertThat(ownerReason(first).getExplanation()).contains("Weighted round robin over team pool picked");
    }

    @Test
    void aRuleNamingAnUnavailableRepFallsThroughToTheNextRule() {
        given(rep("ana", 1, null, "[{ from: 2026-01-05, to: 2026-01-05 }]") + rep("bo", 1, null, ""));

        LeadRouted decision = driver.route(lead().yc().build());

        assertThat(decision.getOwner().getRepId()).isEqualTo("bo");
        assertThat(ownerReason(decision).getRule()).isEqualTo("round-robin");
        assertThat(ownerReason(decision).getExplanation()).contains("rule yc names Ana, who is out of office until 2026-01-05");
    }

    @Test
    void anAccountAlreadyOwnedGoesToItsOwner() {
        given(rep("ana", 1, null, "") + rep("bo", 1, null, ""));

        LeadRouted first = driver.route(lead().domain("globex.com").build());
        driver.clock.advance(Duration.ofDays(3));
        LeadRouted second = driver.route(lead().domain("globex.com").build());
        LeadRouted third = driver.route(lead().domain("globex.com").yc().build());

        assertThat(second.getOwner().getRepId()).isEqualTo(first.getOwner().getRepId());
        assertThat(third.getOwner().getRepId()).isEqualTo(first.getOwner().getRepId());
        assertThat(ownerReason(second)).satisfies(reason -> {
            assertThat(reason.getRule()).isEqualTo("account-owner");
            assertThat(reason.getField()).isEqualTo("contact.companyDomain");
            assertThat(reason.getValue()).isEqualTo("globex.com");
            assertThat(reason.getExplanation()).isEqualTo("Account globex.com already owned by "
                    + first.getOwner().getName() + " since 2026-01-05.");
        });
    }

    @Test
    void freeMailDomainsNeverMatchAnAccount() {
        given(rep("ana", 1, null, "") + rep("bo", 1, null, ""));

        LeadRouted first = driver.route(lead().domain("gmail.com").build());
        LeadRouted second = driver.route(lead().domain("gmail.com").build());

        assertThat(first.getOwner().getRepId()).isNotEqualTo(second.getOwner().getRepId());
        assertThat(ownerReason(second).getRule()).isEqualTo("round-robin");
    }

    @Test
    void theSameLeadTwiceGivesOneDecisionReEmittedUnchanged() {
        given(rep("ana", 1, null, "") + rep("bo", 1, null, ""));
        LeadReceived lead = lead().build();

        driver.send(lead);
        driver.clock.advance(Duration.ofHours(2));
        driver.send(lead().build());
        driver.send(lead);
        List<KeyValue<String, LeadRouted>> decisions = driver.decisions();
        List<KeyValue<String, RepAlert>> alerts = driver.alerts();

        List<LeadRouted> forLead = decisions.stream().filter(kv -> kv.key.equals(lead.getLeadId())).map(kv -> kv.value).toList();
        assertThat(forLead).hasSize(2);
        assertThat(forLead.get(1)).isEqualTo(forLead.get(0));
        assertThat(alerts.stream().filter(kv -> kv.value.getLeadId().equals(lead.getLeadId())).map(kv -> kv.value).distinct())
                .singleElement().satisfies(alert -> assertThat(alert.getAlertId()).isEqualTo("NEW_LEAD:" + lead.getLeadId()));
        assertThat(owners(decisions)).as("the repeat counts for nobody").containsEntry("ana", 2L).containsEntry("bo", 1L);
    }

    // ---- helpers ----

    private void given(String reps) {
        driver = new RoutingDriver(RulesLoader.parse(rules(reps), "ownership-rules.yml"), stateDir);
        driver.clock.set(Instant.parse("2026-01-05T09:00:00Z"));
    }

    private void routeMany(int count) {
        for (int i = 0; i < count; i++) {
            driver.send(lead().build());
        }
    }

    private static Map<String, Long> owners(List<KeyValue<String, LeadRouted>> decisions) {
        return decisions.stream().map(kv -> kv.value.getOwner().getRepId()).collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    }

    private static RoutingReason ownerReason(LeadRouted decision) {
        return decision.getReasons().get(decision.getReasons().size() - 1);
    }

    private static String rep(String id, int weight, Integer cap, String outOfOffice) {
        return rep(id, weight, cap, outOfOffice, true);
    }

    private static String rep(String id, int weight, Integer cap, String outOfOffice, boolean active) {
        String name = Character.toUpperCase(id.charAt(0)) + id.substring(1);
        return """
                  - id: %s
                    name: %s
                    email: %s@example.com
                    weight: %d
                    active: %s
                %s%s""".formatted(id, name, id, weight, active,
                cap == null ? "" : "    dailyCap: " + cap + "\n",
                outOfOffice.isEmpty() ? "" : "    outOfOffice: " + outOfOffice + "\n");
    }

    private static String rules(String reps) {
        return PooledRules.version("test-1")
                .reps(reps)
                .team("ana", "bo")
                .ownerRules("""
                            - id: yc
                              when: { yCombinator: true }
                              assign: ana
                              because: "{rep} does YC."
                            - id: eu-team
                              when: { region: EU }
                              assign: pool
                              because: EU leads go to the pool.
                        """)
                .fallbackBecause("Nobody in team {team} was available, so {rep} got it.")
                .handsOnNextStep("Kick off.")
                .yaml();
    }
}
