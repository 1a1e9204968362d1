package io.leadflow.routing.topology;

import io.leadflow.avro.AlertKind;
import io.leadflow.avro.LeadRouted;
import io.leadflow.avro.RepAlert;
import io.leadflow.avro.RerouteRequested;
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

import static io.leadflow.routing.Leads.lead;
import static org.assertj.core.api.Assertions.assertThat;

/** A re-route request on routing.commands becomes the lead's next decision version, with its reasons, once. */
class RerouteTests {

    private static final Instant MONDAY = Instant.parse("2026-01-05T09:00:00Z");

    @TempDir
    Path stateDir;

    @AutoClose
    private RoutingDriver driver;

    @Test
    void correctedFactsAreRoutedAgainByTheRulesAsTheNextVersionAndTheClockRestarts() {
        given();
        LeadRouted decision = driver.route(lead().domain("globex.com").build());
        driver.alerts();
        driver.advance(Duration.ofMinutes(3));

        RerouteRequested request = request(decision).setCountry("US").setMonthlyEvents(60_000_000L).setNote("They are in Austin").build();
        driver.reroute(request);
        driver.reroute(request);
        List<LeadRouted> versions = values(driver.decisions());
        List<RepAlert> alerts = values(driver.alerts());

        assertThat(decision.getOwner().getRepId()).isEqualTo("ana");
        assertThat(versions).singleElement().satisfies(v2 -> {
            assertThat(v2.getDecisionVersion()).isEqualTo(2);
            assertThat(v2.getOwner().getRepId()).isEqualTo("cy");
            assertThat(v2.getPreviousOwner().getRepId()).isEqualTo("ana");
            assertThat(v2.getLead().getContact().getCountry()).isEqualTo("US");
            assertThat(v2.getLead().getMonthlyEvents()).isEqualTo(60_000_000L);
            assertThat(v2.getPipeline().name()).isEqualTo("HANDS_ON");
            assertThat(v2.getReasons()).extracting(r -> r.getRule()).containsExactly("big", "plan-default", "us");
            assertThat(v2.getChangeReason()).isEqualTo("Re-routed by admin API: They are in Austin (corrected country US, monthly events 60000000)");
            assertThat(v2.getDecidedAt()).isEqualTo(MONDAY.plus(Duration.ofMinutes(3)));
        });
        assertThat(alerts).extracting(RepAlert::getAlertId).containsExactly("NEW_LEAD:" + decision.getLeadId() + ":v2",
                "LEAD_REASSIGNED:" + decision.getLeadId() + ":v1");
        assertThat(alerts.get(0).getRepId()).isEqualTo("cy");
        SlaState clock = driver.<SlaState>store(RoutingTopology.SLA_STORE).get(decision.getLeadId());
        assertThat(clock.version()).isEqualTo(2);
        assertThat(clock.status()).isEqualTo(SlaState.Status.WAITING);
        assertThat(clock.reassignments()).as("a re-route is not an SLA reassignment").isZero();

        driver.advance(Duration.ofMinutes(5));
        assertThat(values(driver.alerts())).extracting(RepAlert::getAlertId, RepAlert::getRepId)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("SLA_REMINDER:" + decision.getLeadId() + ":v2", "cy"));
    }

    @Test
    void anExplicitOwnerOverridesTheOwnerRulesAndSaysWhoAskedAndWhy() {
        given();
        LeadRouted decision = driver.route(lead().build());
        driver.alerts();

        driver.reroute(request(decision).setOwnerRepId("bo").setNote("Bo knows them").build());
        LeadRouted v2 = values(driver.decisions()).get(0);
        List<RepAlert> alerts = values(driver.alerts());

        assertThat(v2.getOwner().getRepId()).isEqualTo("bo");
        assertThat(v2.getReasons().get(v2.getReasons().size() - 1).getRule()).isEqualTo("owner-override");
        assertThat(v2.getReasons().get(v2.getReasons().size() - 1).getExplanation()).isEqualTo("Re-routed by admin API: Bo knows them, to Bo.");
        assertThat(alerts).extracting(RepAlert::getKind).containsExactly(AlertKind.NEW_LEAD, AlertKind.LEAD_REASSIGNED);
        assertThat(driver.<Long>store(RoutingTopology.COUNTERS_STORE).get("day|bo|2026-01-05")).isEqualTo(1L);
    }

    private void given() {
        String rules = PooledRules.version("reroute-test")
                .rep("{ id: ana, name: Ana, email: ana@example.com, slackUserId: U0ANA }")
                .rep("{ id: bo, name: Bo, email: bo@example.com, slackUserId: U0BO }")
                .rep("{ id: cy, name: Cy, email: cy@example.com, slackUserId: U0CY }")
                .team("ana", "bo")
                .pipelineRules("    - { id: big, when: { monthlyEventsAbove: 50000000 }, pipeline: HANDS_ON, because: Big. }")
                .ownerRules("    - { id: us, when: { region: US }, assign: cy, because: \"{rep} looks after the US.\" }")
                .sla("  - { id: standard, remindAfter: 5m, reassignAfter: 15m }")
                .yaml();
        driver = new RoutingDriver(RulesLoader.parse(rules, "reroute-rules.yml"), stateDir);
        driver.clock.set(MONDAY);
    }

    private RerouteRequested.Builder request(LeadRouted decision) {
        return RerouteRequested.newBuilder().setRequestId("request-" + decision.getLeadId()).setLeadId(decision.getLeadId())
                .setRequestedBy("admin API").setRequestedAt(driver.clock.instant());
    }

    private static <V> List<V> values(List<KeyValue<String, V>> records) {
        return records.stream().map(kv -> kv.value).toList();
    }
}
