package io.leadflow.trials.topology;

import io.leadflow.avro.ActivityKind;
import io.leadflow.avro.AlertField;
import io.leadflow.avro.AlertKind;
import io.leadflow.avro.CrmSynced;
import io.leadflow.avro.Demo;
import io.leadflow.avro.Deployment;
import io.leadflow.avro.KickoffBooked;
import io.leadflow.avro.LeadActivity;
import io.leadflow.avro.LeadRouted;
import io.leadflow.avro.LeadSource;
import io.leadflow.avro.Pipeline;
import io.leadflow.avro.ReminderKind;
import io.leadflow.avro.RepAlert;
import io.leadflow.avro.SyncOutcome;
import io.leadflow.avro.TrialReminder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static io.leadflow.trials.topology.Fixtures.HANDS_ON;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * The customer's booking of the kick-off call, on a virtual clock: a calendar booking that crm-sync attached to the
 * trial's deal marks the kick-off reminder done, before or after it fired, once however often it arrives.
 */
class KickoffBookingTests {

    private static final Instant CLOCK = Instant.parse("2026-03-02T08:00:00Z");
    private static final Instant START = Instant.parse("2026-03-02T09:00:00Z");
    private static final Instant KICKOFF_CALL = Instant.parse("2026-03-04T15:30:00Z");
    private static final String LEAD = "lead-acme";
    private static final String BOOKING = "lead-acme-kickoff-booking";
    private static final String DEAL = "9001";
    private static final String TRIAL = TrialIds.forDeal(DEAL);
    private static final String KICKOFF_REMINDER = TRIAL + ":KICKOFF:" + START;
    private static final String KICKOFF_TYPE = "https://api.calendly.com/event_types/KICKOFF";

    @TempDir
    Path stateDir;
    Driver driver;

    @BeforeEach
    void startTrial() {
        driver = new Driver(stateDir, CLOCK);
        driver.routed.pipeInput(LEAD, Fixtures.routed(LEAD, "Acme", Pipeline.HANDS_ON), CLOCK);
        driver.synced.pipeInput(LEAD, Fixtures.synced(LEAD, DEAL, HANDS_ON), CLOCK);
        driver.send(Fixtures.started(DEAL, START, Deployment.CLOUD));
    }

    @AfterEach
    void closeDriver() {
        driver.close();
    }

    @Test
    void aBookingBeforeTheKickoffFallsDueMeansItsReminderNeverFires() {
        givenTheCustomerBooks(BOOKING, KICKOFF_CALL, CLOCK);

        driver.advanceTo(START.plus(Duration.ofDays(1)));

        assertThat(driver.reminders.readValuesToList()).isEmpty();
        assertThat(driver.alerts.readValuesToList()).isEmpty();
        TrialState trial = driver.trial(TRIAL);
        assertThat(trial.kickoff()).isEqualTo(new TrialState.Kickoff(BOOKING, "calendly", KICKOFF_CALL.toEpochMilli(),
                CLOCK.toEpochMilli(), null));
        assertThat(trial.pending()).extracting(TrialState.Pending::kind).doesNotContain(ReminderKind.KICKOFF)
                .contains(ReminderKind.CHECK_IN, ReminderKind.REVIEW_CALL_DUE);
        assertThat(trial.fired()).isEmpty();
        assertThat(trial.history()).extracting(TrialState.HistoryEntry::type, TrialState.HistoryEntry::outcome)
                .containsExactly(tuple("started", "applied"), tuple("kickoff-booked", "applied"));
        assertThat(driver.eventsOut.readValuesToList()).singleElement().satisfies(event -> {
            assertThat(event.getTrialId()).isEqualTo(TRIAL);
            assertThat(((KickoffBooked) event.getPayload()).getStartsAt()).isEqualTo(KICKOFF_CALL);
        });
    }

    @Test
    void aBookingAfterTheKickoffFiredCompletesItsTaskAndUpdatesTheOwnersAlert() {
        Instant booked = theKickoffFiredAndThreeHoursPassed();

        givenTheCustomerBooks(BOOKING, KICKOFF_CALL, booked);

        List<TrialReminder> reminders = driver.reminders.readValuesToList();
        assertThat(reminders).extracting(TrialReminder::getReminderId, TrialReminder::getKind, TrialReminder::getCompletedAt)
                .containsExactly(tuple(KICKOFF_REMINDER, ReminderKind.KICKOFF, null),
                        tuple(KICKOFF_REMINDER, ReminderKind.KICKOFF, booked));
        TrialReminder completed = reminders.get(1);
        assertThat(completed.getTask()).as("the same task, so crm-sync finds it by its key").isEqualTo(reminders.get(0).getTask());
        assertThat(completed.getFiredAt()).isEqualTo(START);
        List<RepAlert> alerts = driver.alerts.readValuesToList();
        assertThat(alerts).hasSize(2);
        RepAlert update = alerts.get(1);
        assertThat(update.getAlertId()).isEqualTo(KICKOFF_REMINDER + ":booked");
        assertThat(update.getUpdatesAlertId()).isEqualTo(alerts.get(0).getAlertId()).isEqualTo(KICKOFF_REMINDER);
        assertThat(update.getKind()).isEqualTo(AlertKind.TRIAL_KICKOFF);
        assertThat(update.getRepId()).isEqualTo("simon");
        assertThat(update.getTitle()).isEqualTo("Kick-off booked for 2026-03-04 15:30 UTC: Acme");
        assertThat(update.getFields()).extracting(AlertField::getLabel, AlertField::getValue)
                .contains(tuple("Kick-off", "2026-03-04 15:30 UTC"));
        assertThat(driver.trial(TRIAL).kickoff().reminderId()).isEqualTo(KICKOFF_REMINDER);

        driver.advanceTo(START.plus(Duration.ofDays(7)));
        assertThat(driver.reminders.readValuesToList()).extracting(TrialReminder::getKind).containsExactly(ReminderKind.CHECK_IN);
    }

    @Test
    void theSameBookingTwiceHasOneEffect() {
        Instant booked = theKickoffFiredAndThreeHoursPassed();

        givenTheCustomerBooks(BOOKING, KICKOFF_CALL, booked);
        givenTheCustomerBooks(BOOKING, KICKOFF_CALL, booked);
        driver.routed.pipeInput(BOOKING, booking(BOOKING, KICKOFF_CALL, booked), booked.plusSeconds(60));

        assertThat(driver.reminders.readValuesToList()).extracting(TrialReminder::getCompletedAt).containsExactly(null, booked);
        assertThat(driver.alerts.readValuesToList()).extracting(RepAlert::getAlertId)
                .containsExactly(KICKOFF_REMINDER, KICKOFF_REMINDER + ":booked");
        assertThat(driver.trial(TRIAL).history()).extracting(TrialState.HistoryEntry::type)
                .containsExactly("started", "kickoff-booked");
    }

    @Test
    void anotherBookingAfterTheKickoffIsBookedChangesNothing() {
        givenTheCustomerBooks(BOOKING, KICKOFF_CALL, CLOCK);
        givenTheCustomerBooks("lead-acme-second-call", KICKOFF_CALL.plus(Duration.ofDays(2)), CLOCK.plusSeconds(5));
        driver.advanceTo(START);

        assertThat(driver.reminders.readValuesToList()).isEmpty();
        TrialState trial = driver.trial(TRIAL);
        assertThat(trial.kickoff().bookingLeadId()).isEqualTo(BOOKING);
        assertThat(trial.history()).extracting(TrialState.HistoryEntry::outcome)
                .containsExactly("applied", "applied", "already-booked");
    }

    @Test
    void theDemoBookedBeforeTheTrialIsNotItsKickoff() {
        Instant beforeTheTrial = Instant.parse("2026-02-25T10:00:00Z");
        givenTheCustomerBooks(BOOKING, Instant.parse("2026-02-26T10:00:00Z"), beforeTheTrial);

        driver.advanceTo(START);

        assertThat(driver.reminders.readValuesToList()).extracting(TrialReminder::getKind).containsExactly(ReminderKind.KICKOFF);
        assertThat(driver.trial(TRIAL).kickoff()).isNull();
    }

    @Test
    void aBookingOnADealOfItsOwnOrWithoutADemoIsNoKickoff() {
        driver.routed.pipeInput(BOOKING, booking(BOOKING, KICKOFF_CALL, CLOCK), CLOCK);
        driver.synced.pipeInput(BOOKING, Fixtures.synced(BOOKING, "9002", HANDS_ON), CLOCK);
        driver.routed.pipeInput("lead-acme-form", Fixtures.routed("lead-acme-form", "Acme", Pipeline.HANDS_ON), CLOCK);
        driver.synced.pipeInput("lead-acme-form", attached("lead-acme-form"), CLOCK);

        driver.advanceTo(START);

        assertThat(driver.eventsOut.isEmpty()).isTrue();
        assertThat(driver.reminders.readValuesToList()).extracting(TrialReminder::getKind).containsExactly(ReminderKind.KICKOFF);
    }

    @Test
    void withKickoffEventTypesConfiguredOnlyABookingOfOneOfThemIsTheKickoff() {
        driver.close();
        driver = new Driver(stateDir.resolve("typed"), CLOCK, Fixtures.SETTINGS.withKickoffEventTypes(List.of(KICKOFF_TYPE)),
                TrialObserver.NONE);
        driver.routed.pipeInput(LEAD, Fixtures.routed(LEAD, "Acme", Pipeline.HANDS_ON), CLOCK);
        driver.synced.pipeInput(LEAD, Fixtures.synced(LEAD, DEAL, HANDS_ON), CLOCK);
        driver.send(Fixtures.started(DEAL, START, Deployment.CLOUD));

        givenTheCustomerBooks("lead-acme-support-call", KICKOFF_CALL, CLOCK, "https://api.calendly.com/event_types/SUPPORT");
        givenTheCustomerBooks(BOOKING, KICKOFF_CALL.plus(Duration.ofDays(1)), CLOCK.plusSeconds(5), KICKOFF_TYPE);
        driver.advanceTo(START);

        assertThat(driver.reminders.readValuesToList()).isEmpty();
        assertThat(driver.trial(TRIAL).kickoff().bookingLeadId()).isEqualTo(BOOKING);
        assertThat(driver.trial(TRIAL).kickoff().startsAt()).isEqualTo(KICKOFF_CALL.plus(Duration.ofDays(1)).toEpochMilli());
    }

    @Test
    void aCancelledKickoffBeforeItsReminderFellDueMakesTheReminderFireAtItsTime() {
        givenTheCustomerBooks(BOOKING, KICKOFF_CALL, CLOCK);
        Instant canceled = CLOCK.plus(Duration.ofMinutes(20));

        givenTheCustomerCancels(BOOKING, "calendly:canceled:1", canceled);
        driver.advanceTo(START);

        assertThat(driver.reminders.readValuesToList()).extracting(TrialReminder::getReminderId, TrialReminder::getCompletedAt)
                .containsExactly(tuple(KICKOFF_REMINDER, null));
        TrialState trial = driver.trial(TRIAL);
        assertThat(trial.kickoff()).isNull();
        assertThat(trial.history()).extracting(TrialState.HistoryEntry::type, TrialState.HistoryEntry::outcome)
                .containsExactly(tuple("started", "applied"), tuple("kickoff-booked", "applied"), tuple("kickoff-canceled", "applied"));
    }

    @Test
    void aCancelledKickoffAfterItsReminderWasCompletedFiresANewReminderNowAndABookingAgainCompletesThatOne() {
        Instant booked = theKickoffFiredAndThreeHoursPassed();
        givenTheCustomerBooks(BOOKING, KICKOFF_CALL, booked);
        Instant canceled = booked.plus(Duration.ofHours(1));
        driver.advanceTo(canceled);

        givenTheCustomerCancels(BOOKING, "calendly:canceled:2", canceled);
        givenTheCustomerCancels(BOOKING, "calendly:canceled:2", canceled);
        driver.advanceTo(canceled.plusSeconds(1));

        String again = TRIAL + ":KICKOFF:" + canceled;
        assertThat(driver.reminders.readValuesToList()).extracting(TrialReminder::getReminderId, TrialReminder::getCompletedAt)
                .containsExactly(tuple(KICKOFF_REMINDER, null), tuple(KICKOFF_REMINDER, booked), tuple(again, null));
        assertThat(driver.alerts.readValuesToList()).extracting(RepAlert::getAlertId)
                .containsExactly(KICKOFF_REMINDER, KICKOFF_REMINDER + ":booked", again);

        // booked anew: the new reminder is the one completed
        Instant rebooked = canceled.plus(Duration.ofHours(2));
        driver.advanceTo(rebooked);
        givenTheCustomerBooks("lead-acme-kickoff-again", KICKOFF_CALL.plus(Duration.ofDays(1)), rebooked);
        assertThat(driver.reminders.readValuesToList()).extracting(TrialReminder::getReminderId, TrialReminder::getCompletedAt)
                .containsExactly(tuple(again, rebooked));
        assertThat(driver.trial(TRIAL).kickoff().reminderId()).isEqualTo(again);
    }

    @Test
    void theCancellationOfAnotherBookingChangesNothing() {
        givenTheCustomerBooks(BOOKING, KICKOFF_CALL, CLOCK);
        driver.routed.pipeInput("lead-acme-other", booking("lead-acme-other", KICKOFF_CALL, CLOCK), CLOCK);
        driver.synced.pipeInput("lead-acme-other", attached("lead-acme-other"), CLOCK);

        givenTheCustomerCancels("lead-acme-other", "calendly:canceled:3", CLOCK.plusSeconds(30));
        driver.advanceTo(START);

        assertThat(driver.reminders.readValuesToList()).isEmpty();
        TrialState trial = driver.trial(TRIAL);
        assertThat(trial.kickoff().bookingLeadId()).isEqualTo(BOOKING);
        assertThat(trial.history()).extracting(TrialState.HistoryEntry::outcome).endsWith("not-the-kickoff");
    }

    /** The customer cancels through Calendly: intake publishes a BOOKING_CANCELED activity of the booking's lead. */
    private void givenTheCustomerCancels(String leadId, String activityId, Instant at) {
        driver.activities.pipeInput(leadId, LeadActivity.newBuilder().setActivityId(activityId).setLeadId(leadId)
                .setKind(ActivityKind.BOOKING_CANCELED).setSource("calendly").setOccurredAt(at).build(), at);
    }

    /** The trial's kick-off reminder fired at its start; the clock then moves three hours on, to the returned time. */
    private Instant theKickoffFiredAndThreeHoursPassed() {
        driver.advanceTo(START);
        Instant later = START.plus(Duration.ofHours(3));
        driver.advanceTo(later);
        return later;
    }

    /** The customer books through Calendly: intake publishes a lead with its demo, crm-sync attaches it to the trial's deal. */
    private void givenTheCustomerBooks(String leadId, Instant callStarts, Instant receivedAt) {
        givenTheCustomerBooks(leadId, callStarts, receivedAt, KICKOFF_TYPE);
    }

    private void givenTheCustomerBooks(String leadId, Instant callStarts, Instant receivedAt, String eventType) {
        LeadRouted booking = booking(leadId, callStarts, receivedAt);
        booking.getLead().getDemo().setEventType(eventType);
        driver.routed.pipeInput(leadId, booking, receivedAt);
        driver.synced.pipeInput(leadId, attached(leadId), receivedAt);
    }

    private static LeadRouted booking(String leadId, Instant callStarts, Instant receivedAt) {
        LeadRouted routed = Fixtures.routed(leadId, "Acme", Pipeline.HANDS_ON);
        routed.getLead().setSource(LeadSource.DEMO_BOOKING);
        routed.getLead().setReceivedAt(receivedAt);
        routed.getLead().setDemo(Demo.newBuilder().setStartsAt(callStarts).setEndsAt(callStarts.plus(Duration.ofMinutes(30)))
                .setProvider("calendly").setEventType(KICKOFF_TYPE).build());
        return routed;
    }

    private static CrmSynced attached(String leadId) {
        CrmSynced synced = Fixtures.synced(leadId, DEAL, HANDS_ON);
        synced.setOutcome(SyncOutcome.ATTACHED);
        return synced;
    }
}
