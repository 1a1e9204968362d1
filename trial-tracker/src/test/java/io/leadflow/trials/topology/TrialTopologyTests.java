package io.leadflow.trials.topology;

import io.leadflow.avro.AlertField;
import io.leadflow.avro.AlertKind;
import io.leadflow.avro.AlertLink;
import io.leadflow.avro.CrmSynced;
import io.leadflow.avro.Deployment;
import io.leadflow.avro.LeadRouted;
import io.leadflow.avro.Owner;
import io.leadflow.avro.Pipeline;
import io.leadflow.avro.ReminderKind;
import io.leadflow.avro.ReminderTask;
import io.leadflow.avro.RepAlert;
import io.leadflow.avro.SyncOutcome;
import io.leadflow.avro.TrialEvent;
import io.leadflow.avro.TrialOutcome;
import io.leadflow.avro.TrialReminder;
import io.leadflow.avro.TrialStarted;
import io.leadflow.trials.timers.DueIndex;
import io.leadflow.trials.timers.DueKey;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static io.leadflow.trials.topology.Fixtures.EVALUATION;
import static io.leadflow.trials.topology.Fixtures.HANDS_ON;
import static io.leadflow.trials.topology.Fixtures.SELF_SERVE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

class TrialTopologyTests {

    private static final Instant CLOCK = Instant.parse("2026-03-02T08:00:00Z");
    private static final Instant START = Instant.parse("2026-03-02T09:00:00Z");
    private static final String LEAD = "lead-acme";
    private static final String DEAL = "9001";
    private static final String TRIAL = TrialIds.forDeal(DEAL);

    @TempDir
    Path stateDir;
    Driver driver;

    @BeforeEach
    void startDriver() {
        driver = new Driver(stateDir, CLOCK);
    }

    @AfterEach
    void closeDriver() {
        driver.close();
    }

    @Test
    void runsTheWholeThirtyDayLifeOfATrial() {
        givenAcmeIsRoutedAndSynced();
        driver.send(Fixtures.started(DEAL, START, Deployment.SELF_HOSTED));

        for (Duration due : List.of(days(0), days(7), days(14), days(21), days(23), days(28), days(29), days(30))) {
            driver.advanceTo(START.plus(due));
        }
        driver.advanceTo(START.plus(days(45)));

        List<TrialReminder> reminders = driver.reminders.readValuesToList();
        assertThat(reminders).extracting(TrialReminder::getKind, TrialReminder::getDueAt, TrialReminder::getDaysLeft)
                .containsExactly(
                        tuple(ReminderKind.KICKOFF, START, 30),
                        tuple(ReminderKind.CHECK_IN, START.plus(days(7)), 23),
                        tuple(ReminderKind.CHECK_IN, START.plus(days(14)), 16),
                        tuple(ReminderKind.CHECK_IN, START.plus(days(21)), 9),
                        tuple(ReminderKind.REVIEW_CALL_DUE, START.plus(days(23)), 7),
                        tuple(ReminderKind.CHECK_IN, START.plus(days(28)), 2),
                        tuple(ReminderKind.EXPIRING, START.plus(days(29)), 1),
                        tuple(ReminderKind.EXPIRED, START.plus(days(30)), 0));
        assertThat(reminders).allSatisfy(reminder -> {
            assertThat(reminder.getFiredAt()).isEqualTo(reminder.getDueAt());
            assertThat(reminder.getLate()).isFalse();
            assertThat(reminder.getReminderId()).isEqualTo(TRIAL + ":" + reminder.getKind() + ":" + reminder.getDueAt());
            assertThat(reminder.getTrialId()).isEqualTo(TRIAL);
            assertThat(reminder.getDealId()).isEqualTo(DEAL);
            assertThat(reminder.getLeadId()).isEqualTo(LEAD);
            assertThat(reminder.getCompanyName()).isEqualTo("Acme");
            assertThat(reminder.getOwner().getRepId()).isEqualTo("simon");
            assertThat(reminder.getDealUrl()).endsWith("/" + DEAL);
            assertThat(reminder.getEndsAt()).isEqualTo(START.plus(days(30)));
        });

        List<org.apache.kafka.streams.KeyValue<String, RepAlert>> alerts = driver.alerts.readKeyValuesToList();
        assertThat(alerts).extracting(kv -> kv.key).containsOnly("simon");
        assertThat(alerts).extracting(kv -> kv.value.getKind()).containsExactly(AlertKind.TRIAL_KICKOFF,
                AlertKind.TRIAL_CHECK_IN, AlertKind.TRIAL_CHECK_IN, AlertKind.TRIAL_CHECK_IN, AlertKind.REVIEW_CALL_DUE,
                AlertKind.TRIAL_CHECK_IN, AlertKind.TRIAL_EXPIRING, AlertKind.TRIAL_EXPIRED);
        assertThat(alerts).extracting(kv -> kv.value.getAlertId())
                .containsExactlyElementsOf(reminders.stream().map(TrialReminder::getReminderId).toList());
        RepAlert kickoff = alerts.get(0).value;
        assertThat(kickoff.getTitle()).isEqualTo("Kick-off call: Acme's evaluation starts (30 days)");
        assertThat(kickoff.getSlackUserId()).isEqualTo("U02QULW4MDZ");
        assertThat(kickoff.getChannel()).isNull();
        assertThat(kickoff.getFields()).extracting(AlertField::getLabel, AlertField::getValue).containsExactly(
                tuple("Company", "Acme"), tuple("Days left", "30"), tuple("Ends", "2026-04-01"),
                tuple("Deployment", "Self-hosted"));
        assertThat(kickoff.getActions()).containsExactly(
                "Schedule the kick-off call to agree the plan for event ingestion (autocapture is preferable)",
                "Agree the action and cohort setup",
                "Agree the required insights and dashboards",
                "Agree the extra features: feature flags, experiments, apps",
                "Pull in the team to help deploy and tune the self-hosted instance");
        assertThat(kickoff.getLinks()).extracting(AlertLink::getLabel, AlertLink::getUrl)
                .containsExactly(tuple("HubSpot deal", "https://app.hubspot.com/contacts/123/record/0-3/" + DEAL));
        assertThat(kickoff.getTrialId()).isEqualTo(TRIAL);
        assertThat(kickoff.getLeadId()).isEqualTo(LEAD);
        assertThat(kickoff.getFlags()).isEmpty();
        RepAlert review = alerts.get(4).value;
        assertThat(review.getTitle()).isEqualTo("Review call due: Acme's evaluation ends in 7 days");
        assertThat(review.getActions()).containsExactly(
                "Schedule a call with the decision makers to review the progress", "Agree the commercial next steps");
        assertThat(review.getFields()).extracting(AlertField::getValue).containsExactly("Acme", "7", "2026-04-01", "Self-hosted");
        assertThat(alerts.get(7).value.getTitle()).isEqualTo("Acme's evaluation has ended");
        assertThat(alerts).extracting(kv -> kv.value.getSummary()).containsExactly("Schedule the kick-off call",
                "Check in with the customer", "Check in with the customer", "Check in with the customer",
                "Time to book the review call", "Check in with the customer", "The evaluation ends soon",
                "The evaluation has ended");
        // the reminder carries the same words as the alert, and the task crm-sync writes
        assertThat(reminders).extracting(TrialReminder::getTitle)
                .containsExactlyElementsOf(alerts.stream().map(kv -> kv.value.getTitle()).toList());
        assertThat(reminders).extracting(TrialReminder::getActions)
                .containsExactlyElementsOf(alerts.stream().map(kv -> kv.value.getActions()).toList());
        assertThat(reminders.get(4).getTask()).isEqualTo(new ReminderTask("Schedule review call with decision makers at Acme",
                "The evaluation ends on 2026-04-01 (7 days left). Schedule a call with the decision makers to review the "
                        + "progress and agree the commercial next steps.", "CALL", "HIGH"));
        assertThat(reminders.get(1).getTask()).isEqualTo(new ReminderTask("Check in with Acme",
                "Check in with Acme to make sure they are getting value out of the evaluation (23 days left); offer a call "
                        + "only if they want or need it.", "TODO", "MEDIUM"));
        assertThat(reminders.get(0).getTask()).isEqualTo(new ReminderTask("Book the kick-off call with Acme",
                "Send Acme your booking link to pick the kick-off time, with the agenda: event ingestion (autocapture is "
                        + "preferable); actions and cohorts; insights and dashboards; extra features (feature flags, "
                        + "experiments, apps). Completed by itself when Acme books the call.", "CALL", "HIGH"));
        assertThat(reminders).filteredOn(r -> r.getKind() == ReminderKind.EXPIRING || r.getKind() == ReminderKind.EXPIRED)
                .extracting(TrialReminder::getTask).containsOnlyNulls();

        TrialState trial = driver.trial(TRIAL);
        assertThat(trial.status()).isEqualTo(TrialStatus.EXPIRED);
        assertThat(trial.pending()).isEmpty();
        assertThat(trial.fired()).hasSize(8);
        assertThat(driver.pendingTimers()).isZero();
    }

    @Test
    void extendingMovesEveryPendingReminder() {
        givenAcmeIsRoutedAndSynced();
        driver.send(Fixtures.started(DEAL, START, Deployment.CLOUD));
        driver.advanceTo(START.plus(days(10)));
        driver.reminders.readValuesToList();

        driver.send(Fixtures.extended(TRIAL, 14));
        driver.advanceTo(START.plus(days(23)));
        driver.advanceTo(START.plus(days(29)));
        driver.advanceTo(START.plus(days(30)));
        for (int day : new int[] {35, 37, 42, 43, 44, 60}) {
            driver.advanceTo(START.plus(days(day)));
        }

        assertThat(driver.reminders.readValuesToList())
                .extracting(TrialReminder::getKind, TrialReminder::getDueAt, TrialReminder::getLate)
                .containsExactly(
                        tuple(ReminderKind.CHECK_IN, START.plus(days(14)), true),
                        tuple(ReminderKind.CHECK_IN, START.plus(days(21)), true),
                        tuple(ReminderKind.CHECK_IN, START.plus(days(28)), true),
                        tuple(ReminderKind.CHECK_IN, START.plus(days(35)), false),
                        tuple(ReminderKind.REVIEW_CALL_DUE, START.plus(days(37)), false),
                        tuple(ReminderKind.CHECK_IN, START.plus(days(42)), false),
                        tuple(ReminderKind.EXPIRING, START.plus(days(43)), false),
                        tuple(ReminderKind.EXPIRED, START.plus(days(44)), false));
        assertThat(driver.trial(TRIAL).endsAt()).isEqualTo(START.plus(days(44)).toEpochMilli());
    }

    @Test
    void closingCancelsEveryPendingReminder() {
        givenAcmeIsRoutedAndSynced();
        driver.send(Fixtures.started(DEAL, START, Deployment.CLOUD));
        driver.advanceTo(START.plus(days(8)));
        assertThat(driver.reminders.readValuesToList()).extracting(TrialReminder::getKind)
                .containsExactly(ReminderKind.KICKOFF, ReminderKind.CHECK_IN);

        driver.send(Fixtures.closed(TRIAL, TrialOutcome.LOST));
        driver.send(Fixtures.extended(TRIAL, 7));
        driver.advanceTo(START.plus(days(60)));

        assertThat(driver.reminders.isEmpty()).isTrue();
        TrialState trial = driver.trial(TRIAL);
        assertThat(trial.status()).isEqualTo(TrialStatus.CLOSED);
        assertThat(trial.outcome()).isEqualTo(TrialOutcome.LOST);
        assertThat(trial.pending()).isEmpty();
        assertThat(trial.history()).extracting(TrialState.HistoryEntry::type, TrialState.HistoryEntry::outcome)
                .containsExactly(tuple("started", "applied"), tuple("closed", "applied"), tuple("extended", "closed"));
        assertThat(driver.pendingTimers()).isZero();
    }

    @Test
    void ignoresADuplicateStart() {
        givenAcmeIsRoutedAndSynced();
        TrialEvent first = Fixtures.started(DEAL, START, Deployment.CLOUD);
        driver.send(first);
        driver.send(first);
        driver.send(Fixtures.started(DEAL, START.plus(days(3)), Deployment.SELF_HOSTED));
        driver.advanceTo(START.plus(days(7)));

        assertThat(driver.reminders.readValuesToList()).extracting(TrialReminder::getKind, TrialReminder::getDueAt)
                .containsExactly(tuple(ReminderKind.KICKOFF, START), tuple(ReminderKind.CHECK_IN, START.plus(days(7))));
        TrialState trial = driver.trial(TRIAL);
        assertThat(trial.startsAt()).isEqualTo(START.toEpochMilli());
        assertThat(trial.deployment()).isEqualTo(Deployment.CLOUD);
        assertThat(trial.history()).extracting(TrialState.HistoryEntry::outcome).containsExactly("applied", "duplicate");
    }

    @Test
    void startsATrialWhenADealEntersTheEvaluationStageOfTheHandsOnPipeline() {
        givenAcmeIsRoutedAndSynced();

        driver.stageChanges.pipeInput(DEAL, Fixtures.stageChanged(DEAL, HANDS_ON, EVALUATION, START), CLOCK);
        driver.advanceTo(START);

        List<TrialEvent> events = driver.eventsOut.readValuesToList();
        assertThat(events).singleElement().satisfies(event -> {
            assertThat(event.getTrialId()).isEqualTo(TRIAL);
            TrialStarted started = (TrialStarted) event.getPayload();
            assertThat(started.getDealId()).isEqualTo(DEAL);
            assertThat(started.getLeadId()).isEqualTo(LEAD);
            assertThat(started.getOrigin()).isEqualTo("HUBSPOT");
            assertThat(started.getStartsAt()).isEqualTo(START);
            assertThat(started.getLengthDays()).isEqualTo(30);
        });
        assertThat(driver.alerts.readKeyValuesToList()).singleElement().satisfies(alert -> {
            assertThat(alert.key).isEqualTo("simon");
            assertThat(alert.value.getKind()).isEqualTo(AlertKind.TRIAL_KICKOFF);
            assertThat(alert.value.getLeadId()).isEqualTo(LEAD);
            assertThat(alert.value.getLinks()).extracting(AlertLink::getLabel).containsExactly("HubSpot deal");
        });
        assertThat(driver.trial(TRIAL).leadId()).isEqualTo(LEAD);
    }

    @Test
    void takesThePipelineFromCrmSyncWhenHubSpotDoesNotSendIt() {
        givenAcmeIsRoutedAndSynced();

        driver.stageChanges.pipeInput(DEAL, Fixtures.stageChanged(DEAL, null, EVALUATION, START), CLOCK);

        assertThat(driver.eventsOut.readValuesToList()).hasSize(1);
    }

    @Test
    void refusesADealOutsideTheHandsOnPipelineAndIgnoresOtherStages() {
        driver.routed.pipeInput(LEAD, Fixtures.routed(LEAD, "Acme", Pipeline.SELF_SERVE), CLOCK);
        driver.synced.pipeInput(LEAD, Fixtures.synced(LEAD, DEAL, SELF_SERVE), CLOCK);

        driver.stageChanges.pipeInput(DEAL, Fixtures.stageChanged(DEAL, SELF_SERVE, EVALUATION, START), CLOCK);
        driver.stageChanges.pipeInput(DEAL, Fixtures.stageChanged(DEAL, null, EVALUATION, START), CLOCK);
        driver.stageChanges.pipeInput("77", Fixtures.stageChanged("77", HANDS_ON, "closedwon", START), CLOCK);
        driver.send(Fixtures.started(DEAL, START, Deployment.CLOUD));
        driver.advanceTo(START.plus(days(1)));

        assertThat(driver.eventsOut.isEmpty()).isTrue();
        assertThat(driver.reminders.isEmpty()).isTrue();
        assertThat(driver.trial(TRIAL)).isNull();
    }

    @Test
    void keepsFiredRemindersInFiringOrderWhenLaterEventsRewriteTheTrial() {
        givenAcmeIsRoutedAndSynced();
        driver.send(Fixtures.started(DEAL, START, Deployment.CLOUD));
        driver.advanceTo(START);
        driver.advanceTo(START.plus(days(7)));

        driver.send(Fixtures.extended(TRIAL, 14));
        driver.advanceTo(START.plus(days(14)));

        TrialState trial = driver.trial(TRIAL);
        assertThat(trial.fired()).extracting(TrialState.Fired::kind, TrialState.Fired::dueAt).containsExactly(
                tuple(ReminderKind.KICKOFF, START.toEpochMilli()),
                tuple(ReminderKind.CHECK_IN, START.plus(days(7)).toEpochMilli()),
                tuple(ReminderKind.CHECK_IN, START.plus(days(14)).toEpochMilli()));
        assertThat(trial.pending()).first().isEqualTo(
                new TrialState.Pending(ReminderKind.CHECK_IN, START.plus(days(21)).toEpochMilli()));
        assertThat(trial.pending()).extracting(TrialState.Pending::dueAt)
                .allSatisfy(due -> assertThat(due).isGreaterThan(START.plus(days(14)).toEpochMilli()));
        assertThat(trial.status()).isEqualTo(TrialStatus.ACTIVE);
        assertThat(trial.endsAt()).isEqualTo(START.plus(days(44)).toEpochMilli());
        assertThat(trial.history()).extracting(TrialState.HistoryEntry::type).containsExactly("started", "extended");
        assertThat(driver.reminders.readValuesToList()).extracting(TrialReminder::getKind)
                .containsExactly(ReminderKind.KICKOFF, ReminderKind.CHECK_IN, ReminderKind.CHECK_IN);
    }

    @Test
    void firesAReminderWhoseIndexRowHoldsOnlyItsKindFromTheTrialItself() {
        givenAcmeIsRoutedAndSynced();
        driver.send(Fixtures.started(DEAL, START, Deployment.SELF_HOSTED));
        KeyValueStore<String, String> index = driver.driver.getKeyValueStore(DueIndex.STORE);
        index.put(new DueKey(START, TRIAL, ReminderKind.KICKOFF).encode(), ReminderKind.KICKOFF.name());

        driver.advanceTo(START);

        assertThat(driver.reminders.readValuesToList()).singleElement().satisfies(reminder -> {
            assertThat(reminder.getKind()).isEqualTo(ReminderKind.KICKOFF);
            assertThat(reminder.getDealId()).isEqualTo(DEAL);
            assertThat(reminder.getEndsAt()).isEqualTo(START.plus(days(30)));
            assertThat(reminder.getDaysLeft()).isEqualTo(30);
            assertThat(reminder.getLate()).isFalse();
        });
        assertThat(driver.alerts.readValuesToList()).singleElement().satisfies(alert -> assertThat(alert.getFields())
                .extracting(AlertField::getValue).containsExactly("Acme", "30", "2026-04-01", "Self-hosted"));
        assertThat(driver.trial(TRIAL).fired()).extracting(TrialState.Fired::kind).containsExactly(ReminderKind.KICKOFF);
        assertThat(driver.pendingTimers()).isEqualTo(driver.trial(TRIAL).pending().size());
    }

    @Test
    void firesRemindersThatFellDueWhileNotRunningOnceMarkedLate() {
        givenAcmeIsRoutedAndSynced();
        driver.send(Fixtures.started(DEAL, START, Deployment.CLOUD));

        driver.advanceTo(START.plus(days(9)));
        driver.advanceTo(START.plus(days(9)).plusSeconds(5));

        List<RepAlert> alerts = driver.alerts.readValuesToList();
        assertThat(alerts).extracting(RepAlert::getKind).containsExactly(AlertKind.TRIAL_KICKOFF, AlertKind.TRIAL_CHECK_IN);
        assertThat(alerts).allSatisfy(alert -> assertThat(alert.getFlags()).singleElement()
                .asString().startsWith("Sent late: this fell due at"));
        assertThat(driver.reminders.readValuesToList()).extracting(TrialReminder::getLate, TrialReminder::getFiredAt)
                .containsExactly(tuple(true, START.plus(days(9))), tuple(true, START.plus(days(9))));
    }

    @Test
    void aBackdatedStartFiresTheKickoffButSkipsCheckInsAlreadyPast() {
        givenAcmeIsRoutedAndSynced();
        driver.send(Fixtures.started(DEAL, CLOCK.minus(days(10)), Deployment.CLOUD));

        driver.advanceTo(CLOCK.plusSeconds(1));
        driver.advanceTo(CLOCK.minus(days(10)).plus(days(14)));

        assertThat(driver.reminders.readValuesToList()).extracting(TrialReminder::getKind, TrialReminder::getLate)
                .containsExactly(tuple(ReminderKind.KICKOFF, true), tuple(ReminderKind.CHECK_IN, false));
    }

    @Test
    void alertsTheUnownedChannelWhenNoOwnerIsKnown() {
        driver.close();
        driver = new Driver(stateDir.resolve("unowned"), CLOCK, new TrialSettings(Fixtures.SETTINGS.schedule(), EVALUATION,
                HANDS_ON, Duration.ofSeconds(1), Duration.ofMinutes(1), 100, "C0SALES"), TrialObserver.NONE);

        driver.send(Fixtures.started("4242", START, Deployment.CLOUD));
        driver.advanceTo(START);

        assertThat(driver.alerts.readKeyValuesToList()).singleElement().satisfies(alert -> {
            assertThat(alert.key).isEqualTo("unassigned");
            assertThat(alert.value.getChannel()).isEqualTo("C0SALES");
            assertThat(alert.value.getTitle()).isEqualTo("Kick-off call: deal 4242's evaluation starts (30 days)");
            assertThat(alert.value.getLinks()).isEmpty();
        });
    }

    @Test
    void remindersSayWhatTheConfiguredWordingSays() {
        driver.close();
        ReminderWording wording = ReminderWording.load(new ByteArrayInputStream(ReminderWordingTests.MINIMAL
                .replace("KICKOFF:\n    title: t", "KICKOFF:\n    title: \"Kick off with {customer}, {days} to go\"")
                .getBytes(StandardCharsets.UTF_8)), "test");
        driver = new Driver(stateDir.resolve("worded"), CLOCK, new TrialSettings(Fixtures.SETTINGS.schedule(), EVALUATION,
                HANDS_ON, Duration.ofSeconds(1), Duration.ofMinutes(1), 100, "", wording), TrialObserver.NONE);
        givenAcmeIsRoutedAndSynced();

        driver.send(Fixtures.started(DEAL, START, Deployment.CLOUD));
        driver.advanceTo(START);

        assertThat(driver.reminders.readValuesToList()).singleElement().satisfies(reminder -> {
            assertThat(reminder.getTitle()).isEqualTo("Kick off with Acme, 30 days to go");
            assertThat(reminder.getActions()).containsExactly("a");
        });
        assertThat(driver.alerts.readValuesToList()).singleElement().satisfies(alert -> {
            assertThat(alert.getTitle()).isEqualTo("Kick off with Acme, 30 days to go");
            assertThat(alert.getSummary()).isEqualTo("s");
            assertThat(alert.getActions()).containsExactly("a");
        });
    }

    @Test
    void aColleagueAttachedToTheDealLaterDoesNotTakeItsTrialFromTheLeadThatOpenedIt() {
        givenAcmeIsRoutedAndSynced();
        String colleague = "lead-acme-colleague";
        driver.routed.pipeInput(colleague, Fixtures.routed(colleague, "Acme", Pipeline.HANDS_ON), CLOCK);
        CrmSynced attached = Fixtures.synced(colleague, DEAL, HANDS_ON);
        attached.setOutcome(SyncOutcome.ATTACHED);
        driver.synced.pipeInput(colleague, attached, CLOCK);

        driver.stageChanges.pipeInput(DEAL, Fixtures.stageChanged(DEAL, HANDS_ON, EVALUATION, START), CLOCK);
        driver.advanceTo(START);

        assertThat(driver.reminders.readValuesToList()).extracting(TrialReminder::getLeadId).containsExactly(LEAD);
    }

    @Test
    void theKickOffReminderAndAlertCarryTheOwnersBookingLinkFromLeadsRouted() {
        LeadRouted routed = Fixtures.routed(LEAD, "Acme", Pipeline.HANDS_ON);
        routed.getOwner().setBookingUrl("https://calendly.com/leadflow-simon/30min");
        driver.routed.pipeInput(LEAD, routed, CLOCK);
        driver.synced.pipeInput(LEAD, Fixtures.synced(LEAD, DEAL, HANDS_ON), CLOCK);
        driver.send(Fixtures.started(DEAL, START, Deployment.CLOUD));

        driver.advanceTo(START);

        TrialReminder kickoff = driver.reminders.readValuesToList().get(0);
        assertThat(kickoff.getKind()).isEqualTo(ReminderKind.KICKOFF);
        assertThat(kickoff.getOwner().getBookingUrl()).isEqualTo("https://calendly.com/leadflow-simon/30min");
        assertThat(kickoff.getActions()).anySatisfy(action -> assertThat(action).endsWith(": https://calendly.com/leadflow-simon/30min"));
        RepAlert alert = driver.alerts.readValuesToList().get(0);
        assertThat(alert.getActions()).anySatisfy(action -> assertThat(action).endsWith(": https://calendly.com/leadflow-simon/30min"));
    }

    @Test
    void aLeadReassignedDuringItsTrialHasItsNextRemindersGoToTheNewOwner() {
        givenAcmeIsRoutedAndSynced();
        driver.send(Fixtures.started(DEAL, START, Deployment.CLOUD));
        driver.advanceTo(START);
        LeadRouted reassigned = Fixtures.routed(LEAD, "Acme", Pipeline.HANDS_ON);
        reassigned.setDecisionVersion(2);
        reassigned.setPreviousOwner(Fixtures.simon());
        reassigned.setOwner(Owner.newBuilder().setRepId("cameron").setName("Cameron").setEmail("cameron@leadflow.example")
                .setSlackUserId("U0CAMERON").setHubspotOwnerId("4712").build());
        reassigned.setChangeReason("Simon did not accept within 15 minutes");

        driver.routed.pipeInput(LEAD, reassigned, CLOCK);
        driver.advanceTo(START.plus(days(7)));

        assertThat(driver.alerts.readKeyValuesToList())
                .extracting(kv -> kv.key, kv -> kv.value.getKind(), kv -> kv.value.getSlackUserId())
                .containsExactly(tuple("simon", AlertKind.TRIAL_KICKOFF, "U02QULW4MDZ"),
                        tuple("cameron", AlertKind.TRIAL_CHECK_IN, "U0CAMERON"));
    }

    private void givenAcmeIsRoutedAndSynced() {
        driver.routed.pipeInput(LEAD, Fixtures.routed(LEAD, "Acme", Pipeline.HANDS_ON), CLOCK);
        driver.synced.pipeInput(LEAD, Fixtures.synced(LEAD, DEAL, HANDS_ON), CLOCK);
    }

    private static Duration days(int days) {
        return Duration.ofDays(days);
    }
}
