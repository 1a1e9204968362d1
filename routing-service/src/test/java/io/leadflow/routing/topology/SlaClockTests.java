package io.leadflow.routing.topology;

import io.leadflow.avro.ActivityKind;
import io.leadflow.avro.AlertButton;
import io.leadflow.avro.AlertKind;
import io.leadflow.avro.CrmSynced;
import io.leadflow.avro.LeadActivity;
import io.leadflow.avro.LeadRouted;
import io.leadflow.avro.RepAlert;
import io.leadflow.avro.SyncOutcome;
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
import java.util.concurrent.atomic.AtomicInteger;

import static io.leadflow.routing.Leads.lead;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The speed-to-lead loop on a virtual clock: the Accept and Pass buttons, SLA reminders, reassignments and escalations,
 * working hours and absences, HubSpot signals and cancelled demos, each as the contract between services has it.
 */
class SlaClockTests {

    /** A Monday, 09:00 UTC. */
    private static final Instant MONDAY = Instant.parse("2026-01-05T09:00:00Z");
    private static final AtomicInteger ACTIVITIES = new AtomicInteger();

    @TempDir
    Path stateDir;

    @AutoClose
    private RoutingDriver driver;

    @Test
    void theNewLeadAlertCarriesAcceptAndPassAndTheOwnersAcceptStopsTheClock() {
        given(POLICY, "");
        LeadRouted decision = driver.route(lead().build());
        RepAlert newLead = only(driver.alerts());

        assertThat(newLead.getAlertId()).isEqualTo("NEW_LEAD:" + decision.getLeadId());
        assertThat(newLead.getButtons()).extracting(AlertButton::getActionId, AlertButton::getLabel, AlertButton::getValue, AlertButton::getStyle)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("lead.accept", "Accept", decision.getLeadId() + ":1", "primary"),
                        org.assertj.core.groups.Tuple.tuple("lead.pass", "Pass", decision.getLeadId() + ":1", null));

        driver.advance(Duration.ofMinutes(2));
        driver.activity(click(decision, ActivityKind.ACCEPTED, "U0ANA", 1));
        RepAlert accepted = only(driver.alerts());
        driver.advance(Duration.ofHours(3));

        assertThat(accepted.getKind()).isEqualTo(AlertKind.LEAD_ACCEPTED);
        assertThat(accepted.getAlertId()).isEqualTo("LEAD_ACCEPTED:" + decision.getLeadId() + ":v1");
        assertThat(accepted.getUpdatesAlertId()).isEqualTo("NEW_LEAD:" + decision.getLeadId());
        assertThat(accepted.getTitle()).isEqualTo("Accepted by Ana at 09:02 UTC");
        assertThat(accepted.getButtons()).isEmpty();
        assertThat(driver.alerts()).as("no reminder, reassignment or escalation once accepted").isEmpty();
        assertThat(driver.decisions()).isEmpty();
        assertThat(clock(decision).status()).isEqualTo(SlaState.Status.ACCEPTED);
        assertThat(clock(decision).acceptedBy()).isEqualTo("ana");
        assertThat(dueRows()).isEmpty();
    }

    @Test
    void aPassByTheOwnerReassignsAtOnceAsTheNextDecisionVersion() {
        given(POLICY, "");
        LeadRouted decision = driver.route(lead().build());
        driver.alerts();

        driver.advance(Duration.ofMinutes(1));
        driver.activity(click(decision, ActivityKind.PASSED, "U0ANA", 1));
        LeadRouted v2 = only(driver.decisions().stream().map(kv -> kv.value).toList());
        List<RepAlert> alerts = values(driver.alerts());

        assertThat(v2.getLeadId()).isEqualTo(decision.getLeadId());
        assertThat(v2.getDecisionVersion()).isEqualTo(2);
        assertThat(v2.getOwner().getRepId()).isEqualTo("bo");
        assertThat(v2.getPreviousOwner().getRepId()).isEqualTo("ana");
        assertThat(v2.getDecidedAt()).isEqualTo(MONDAY.plus(Duration.ofMinutes(1)));
        assertThat(v2.getRoutedAt()).isEqualTo(decision.getRoutedAt());
        assertThat(v2.getChangeReason()).isEqualTo("Ana passed the lead");
        assertThat(v2.getReasons().get(v2.getReasons().size() - 1).getRule()).isEqualTo("passed");
        assertThat(v2).as("everything but the ownership fields as in version 1").isEqualTo(LeadRouted.newBuilder(decision)
                .setDecisionVersion(2).setPreviousOwner(decision.getOwner()).setOwner(v2.getOwner()).setReasons(v2.getReasons())
                .setDecidedAt(v2.getDecidedAt()).setChangeReason(v2.getChangeReason()).build());
        assertThat(alerts).extracting(RepAlert::getAlertId).containsExactly("NEW_LEAD:" + decision.getLeadId() + ":v2",
                "LEAD_REASSIGNED:" + decision.getLeadId() + ":v1", "SLA_ESCALATION:" + decision.getLeadId() + ":v1");
        assertThat(alerts.get(0).getRepId()).isEqualTo("bo");
        assertThat(alerts.get(0).getButtons()).extracting(AlertButton::getValue).containsOnly(decision.getLeadId() + ":2");
        assertThat(alerts.get(0).getReasons()).first().isEqualTo("Ana passed the lead");
        assertThat(alerts.get(1).getRepId()).isEqualTo("ana");
        assertThat(alerts.get(1).getUpdatesAlertId()).isEqualTo("NEW_LEAD:" + decision.getLeadId());
        assertThat(alerts.get(1).getButtons()).isEmpty();
        assertThat(alerts.get(1).getTitle()).isEqualTo("Reassigned to Bo: Ana passed the lead");
        assertThat(alerts.get(2).getChannel()).isEqualTo("C0SALESMGR");
        assertThat(driver.decisionStore().get(decision.getLeadId())).isEqualTo(v2);
    }

    @Test
    void withoutAnAnswerTheOwnerIsRemindedThenTheLeadIsReassignedThenEscalated() {
        given(POLICY, "");
        LeadRouted decision = driver.route(lead().build());
        String id = decision.getLeadId();
        driver.alerts();

        driver.advance(Duration.ofMinutes(4));
        List<RepAlert> beforeReminder = values(driver.alerts());
        driver.advance(Duration.ofMinutes(1));
        List<RepAlert> reminder = values(driver.alerts());
        driver.advance(Duration.ofMinutes(10));
        List<LeadRouted> reassigned = values(driver.decisions());
        List<RepAlert> reassignment = values(driver.alerts());
        driver.advance(Duration.ofMinutes(15));
        List<LeadRouted> afterSecondWait = values(driver.decisions());
        List<RepAlert> breach = values(driver.alerts());
        driver.advance(Duration.ofHours(5));

        assertThat(beforeReminder).isEmpty();
        assertThat(reminder).singleElement().satisfies(alert -> {
            assertThat(alert.getKind()).isEqualTo(AlertKind.SLA_REMINDER);
            assertThat(alert.getAlertId()).isEqualTo("SLA_REMINDER:" + id + ":v1");
            assertThat(alert.getRepId()).isEqualTo("ana");
            assertThat(alert.getSlackUserId()).isEqualTo("U0ANA");
        });
        assertThat(reassigned).singleElement().satisfies(v2 -> {
            assertThat(v2.getDecisionVersion()).isEqualTo(2);
            assertThat(v2.getOwner().getRepId()).isEqualTo("bo");
            assertThat(v2.getChangeReason()).isEqualTo("Ana did not accept within 15 minutes");
            assertThat(v2.getDecidedAt()).isEqualTo(MONDAY.plus(Duration.ofMinutes(15)));
        });
        assertThat(reassignment).extracting(RepAlert::getAlertId)
                .containsExactly("NEW_LEAD:" + id + ":v2", "LEAD_REASSIGNED:" + id + ":v1", "SLA_ESCALATION:" + id + ":v1");
        assertThat(reassignment.get(2).getTitle()).contains("from Ana to Bo: Ana did not accept within 15 minutes");
        assertThat(afterSecondWait).as("maxReassignments: 1").isEmpty();
        assertThat(breach).extracting(RepAlert::getAlertId).containsExactly("SLA_REMINDER:" + id + ":v2", "SLA_ESCALATION:" + id + ":v2");
        assertThat(breach.get(1).getChannel()).isEqualTo("C0SALESMGR");
        assertThat(breach.get(1).getTitle()).contains("Nobody has accepted", "Bo did not accept within 15 minutes",
                "already reassigned once", "Bo still owns it");
        assertThat(driver.alerts()).isEmpty();
        assertThat(clock(decision).status()).isEqualTo(SlaState.Status.BREACHED);
        assertThat(clock(decision).heldBy()).containsExactly("ana", "bo");
    }

    /**
     * Each due row is written once and deleted once: a delete is a changelog tombstone whether or not the row is still
     * there, so the reassignment of a clock that just fired must not delete that row (or its reminder's) a second time.
     */
    @Test
    void everyDueRowOfARemindedReassignedAndBreachedClockIsWrittenOnceAndDeletedOnce() {
        given(POLICY, "");
        driver.route(lead().build());
        for (int i = 0; i < 8; i++) {
            driver.advance(Duration.ofMinutes(5));
        }

        List<KeyValue<String, String>> changelog = driver.dueIndexChangelog();

        java.util.Map<String, List<Boolean>> writesPerRow = new java.util.TreeMap<>();
        changelog.forEach(record -> writesPerRow.computeIfAbsent(record.key, k -> new java.util.ArrayList<>()).add(record.value == null));
        assertThat(writesPerRow).as("v1 and v2, each a reminder and a reassignment row").hasSize(4);
        assertThat(writesPerRow.values()).allSatisfy(writes -> assertThat(writes).as("a put, then one tombstone").containsExactly(false, true));
        try (var rows = driver.<String>store(RoutingTopology.SLA_DUE_STORE).all()) {
            assertThat(rows.hasNext()).as("no timer left after the breach").isFalse();
        }
    }

    @Test
    void reassignmentsStopAtTheMaximumAndNeverGoBackToSomeoneWhoHeldTheLead() {
        given(POLICY.replace("maxReassignments: 1", "maxReassignments: 5"), "");
        LeadRouted decision = driver.route(lead().build());
        driver.alerts();

        for (int i = 0; i < 4; i++) {
            driver.advance(Duration.ofMinutes(15));
        }
        List<LeadRouted> versions = values(driver.decisions());
        List<RepAlert> escalations = values(driver.alerts()).stream().filter(a -> a.getKind() == AlertKind.SLA_ESCALATION).toList();

        assertThat(versions).extracting(v -> v.getOwner().getRepId()).containsExactly("bo", "cy");
        assertThat(versions).extracting(LeadRouted::getDecisionVersion).containsExactly(2, 3);
        assertThat(escalations).extracting(RepAlert::getAlertId).containsExactly("SLA_ESCALATION:" + decision.getLeadId() + ":v1",
                "SLA_ESCALATION:" + decision.getLeadId() + ":v2", "SLA_ESCALATION:" + decision.getLeadId() + ":v3");
        assertThat(escalations.get(2).getTitle()).contains("no rep who has not held it is available");
        assertThat(clock(decision).reassignments()).isEqualTo(2);
        assertThat(clock(decision).status()).isEqualTo(SlaState.Status.BREACHED);
    }

    @Test
    void workingHoursOnlyCountsTheOwnersWorkingTimeAndAnAbsentRepIsSkipped() {
        given(POLICY.replace("workingHoursOnly: false", "workingHoursOnly: true"),
                "    timeZone: Europe/Berlin\n    workingHours: \"09:00-17:30 Mon-Fri\"\n");
        driver.clock.set(Instant.parse("2026-01-09T16:20:00Z")); // Friday 17:20 in Berlin: 10 minutes before closing
        LeadRouted decision = driver.route(lead().build());
        driver.alerts();

        driver.advance(Duration.ofMinutes(5));
        List<RepAlert> reminder = values(driver.alerts());
        driver.advanceTo(Instant.parse("2026-01-12T08:04:00Z")); // Monday 09:04 in Berlin
        List<LeadRouted> beforeDue = values(driver.decisions());
        driver.advance(Duration.ofMinutes(1));
        List<LeadRouted> due = values(driver.decisions());

        assertThat(reminder).extracting(RepAlert::getKind).containsExactly(AlertKind.SLA_REMINDER);
        assertThat(beforeDue).as("the weekend does not count").isEmpty();
        assertThat(due).singleElement().satisfies(v2 -> {
            assertThat(v2.getOwner().getRepId()).as("Bo is out of office on Monday").isEqualTo("cy");
            assertThat(v2.getChangeReason()).isEqualTo("Ana did not accept within 15 minutes of working time");
            assertThat(v2.getReasons().get(v2.getReasons().size() - 1).getExplanation()).contains("Skipped: Bo is out of office until 2026-01-12");
        });
    }

    @Test
    void aHubSpotSignalThatTheOwnerWorkedTheLeadStopsTheClock() {
        given(POLICY, "");
        LeadRouted decision = driver.route(lead().build());
        driver.alerts();
        driver.synced(CrmSynced.newBuilder().setLeadId(decision.getLeadId()).setContactId("501").setDealId("9001")
                .setSyncedAt(MONDAY).setOutcome(SyncOutcome.CREATED).build());

        driver.advance(Duration.ofMinutes(3));
        driver.activity(LeadActivity.newBuilder().setActivityId("hubspot:1").setKind(ActivityKind.WORKED).setSource("hubspot")
                .setHubspotContactId("501").setDetail("hs_lead_status=CONNECTED").setOccurredAt(driver.clock.instant()).build());
        List<RepAlert> stopped = values(driver.alerts());
        driver.advance(Duration.ofHours(2));

        assertThat(stopped).extracting(RepAlert::getAlertId).containsExactly("LEAD_ACCEPTED:" + decision.getLeadId() + ":v1");
        assertThat(driver.alerts()).isEmpty();
        assertThat(driver.decisions()).isEmpty();
        assertThat(clock(decision).status()).isEqualTo(SlaState.Status.ACCEPTED);
        assertThat(clock(decision).acceptedVia()).isEqualTo("hubspot");
    }

    @Test
    void aCancelledDemoCreditsTheRepsShareAndDailyCountBackOnceAndTellsThem() {
        given(POLICY, "");
        LeadRouted first = driver.route(lead().build());
        LeadRouted second = driver.route(lead().build());
        driver.alerts();
        LeadActivity cancelled = LeadActivity.newBuilder().setActivityId("calendly:cancel-1").setLeadId(first.getLeadId())
                .setKind(ActivityKind.BOOKING_CANCELED).setSource("calendly").setDetail("Found another tool")
                .setOccurredAt(driver.clock.instant()).build();

        driver.activity(cancelled);
        driver.activity(cancelled);
        LeadActivity noShow = LeadActivity.newBuilder(cancelled).setActivityId("calendly:no-show-1").setKind(ActivityKind.NO_SHOW).build();
        driver.activity(noShow);
        List<RepAlert> alerts = values(driver.alerts());
        LeadRouted third = driver.route(lead().build());
        LeadRouted fourth = driver.route(lead().build());

        assertThat(List.of(first.getOwner().getRepId(), second.getOwner().getRepId())).containsExactly("ana", "bo");
        assertThat(alerts).extracting(RepAlert::getAlertId).containsExactly(
                "BOOKING_CANCELED:" + first.getLeadId() + ":calendly:cancel-1", "NO_SHOW:" + first.getLeadId() + ":calendly:no-show-1");
        assertThat(alerts).extracting(RepAlert::getRepId).containsOnly("ana");
        assertThat(alerts.get(0).getTitle()).contains("Demo cancelled", "no longer counts against your round-robin share");
        assertThat(alerts.get(1).getTitle()).as("credited once per lead").doesNotContain("no longer counts");
        assertThat(List.of(third.getOwner().getRepId(), fourth.getOwner().getRepId()))
                .as("Ana has her turn back before the rotation goes on").containsExactly("ana", "cy");
        assertThat(driver.<Long>store(RoutingTopology.COUNTERS_STORE).get("day|ana|2026-01-05")).isEqualTo(1L);
    }

    @Test
    void aClickOnAnOutOfDateAlertOrBySomeoneElseIsAnsweredOnlyToTheClicker() {
        given(POLICY, "");
        LeadRouted decision = driver.route(lead().build());
        String id = decision.getLeadId();
        driver.activity(click(decision, ActivityKind.PASSED, "U0ANA", 1));
        driver.alerts();
        driver.decisions();

        LeadActivity staleByAna = click(decision, ActivityKind.ACCEPTED, "U0ANA", 1);
        driver.activity(staleByAna);
        driver.activity(click(decision, ActivityKind.ACCEPTED, "U0BO", 1));
        driver.activity(click(decision, ActivityKind.ACCEPTED, "U0CY", 2));
        List<RepAlert> refused = values(driver.alerts());
        driver.activity(click(decision, ActivityKind.ACCEPTED, "U0BO", 2));
        List<RepAlert> accepted = values(driver.alerts());

        assertThat(refused).extracting(RepAlert::getKind).containsOnly(AlertKind.NOT_THE_OWNER);
        assertThat(refused).allSatisfy(alert -> {
            assertThat(alert.getEphemeral()).isTrue();
            assertThat(alert.getChannel()).isEqualTo("D0CLICKED");
        });
        assertThat(refused).extracting(RepAlert::getSlackUserId).containsExactly("U0ANA", "U0BO", "U0CY");
        assertThat(refused).extracting(RepAlert::getRepId).containsExactly("ana", "bo", "cy");
        assertThat(refused.get(0).getAlertId()).isEqualTo("NOT_THE_OWNER:" + staleByAna.getActivityId());
        assertThat(refused.get(0).getTitle()).contains("out of date", "Bo owns this lead now");
        assertThat(refused.get(1).getTitle()).contains("still yours", "newest alert");
        assertThat(refused.get(2).getTitle()).isEqualTo("Only Bo, who owns this lead, can accept it.");
        assertThat(accepted).singleElement().satisfies(alert -> {
            assertThat(alert.getAlertId()).isEqualTo("LEAD_ACCEPTED:" + id + ":v2");
            assertThat(alert.getUpdatesAlertId()).isEqualTo("NEW_LEAD:" + id + ":v2");
            assertThat(alert.getRepId()).isEqualTo("bo");
        });
        assertThat(driver.decisions()).isEmpty();
    }

    // ---- helpers ----

    private void given(String sla, String repExtras) {
        driver = new RoutingDriver(RulesLoader.parse(rules(sla, repExtras), "sla-rules.yml"), stateDir);
        driver.clock.set(MONDAY);
    }

    private LeadActivity click(LeadRouted decision, ActivityKind kind, String slackUser, int version) {
        return LeadActivity.newBuilder()
                .setActivityId("slack:" + ACTIVITIES.incrementAndGet())
                .setLeadId(decision.getLeadId())
                .setKind(kind)
                .setSource("slack")
                .setActorSlackUserId(slackUser)
                .setSlackChannel("D0CLICKED")
                .setSlackMessageTs("1767600000.000100")
                .setDetail("decisionVersion=" + version)
                .setOccurredAt(driver.clock.instant())
                .build();
    }

    private SlaState clock(LeadRouted decision) {
        return driver.<SlaState>store(RoutingTopology.SLA_STORE).get(decision.getLeadId());
    }

    private List<String> dueRows() {
        List<String> rows = new java.util.ArrayList<>();
        driver.<String>store(RoutingTopology.SLA_DUE_STORE).all().forEachRemaining(kv -> rows.add(kv.key));
        return rows;
    }

    private static <V> List<V> values(List<KeyValue<String, V>> records) {
        return records.stream().map(kv -> kv.value).toList();
    }

    private static <V> V only(List<?> records) {
        assertThat(records).hasSize(1);
        Object only = records.get(0);
        @SuppressWarnings("unchecked")
        V value = (V) (only instanceof KeyValue<?, ?> kv ? kv.value : only);
        return value;
    }

    private static final String POLICY = """
              - id: standard
                remindAfter: 5m
                reassignAfter: 15m
                escalateTo: C0SALESMGR
                maxReassignments: 1
                workingHoursOnly: false
            """;

    private static String rules(String sla, String repExtras) {
        return PooledRules.version("sla-test")
                .reps("""
                          - id: ana
                            name: Ana
                            email: ana@example.com
                            slackUserId: U0ANA
                        %s  - id: bo
                            name: Bo
                            email: bo@example.com
                            slackUserId: U0BO
                            outOfOffice: [{ from: 2026-01-12, to: 2026-01-12 }]
                        %s  - id: cy
                            name: Cy
                            email: cy@example.com
                            slackUserId: U0CY
                        %s""".formatted(repExtras, repExtras, repExtras))
                .team("ana", "bo", "cy")
                .sla(sla)
                .yaml();
    }
}
