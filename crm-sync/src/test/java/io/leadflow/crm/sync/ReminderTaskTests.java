package io.leadflow.crm.sync;

import io.leadflow.avro.Owner;
import io.leadflow.avro.ReminderKind;
import io.leadflow.avro.ReminderTask;
import io.leadflow.avro.TrialReminder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

/** A trial reminder's HubSpot task says what the reminder carries; crm-sync adds no words of its own. */
class ReminderTaskTests {

    private static final Instant DUE = Instant.parse("2026-01-28T09:00:00Z");

    @Test
    void theTaskIsTheOneTheReminderCarriesDueWhenTheReminderIs() {
        TrialReminder reminder = reminder(ReminderKind.EXPIRING);
        reminder.setTitle("Whatever the wording file says");
        reminder.setTask(new ReminderTask("Phone Acme", "Ask how it went.", "CALL", "LOW"));

        Activities.Task task = Activities.reminderTask(reminder).orElseThrow();

        assertThat(task.key()).isEqualTo("task:trial-1:expiring:1769590800000");
        assertThat(task.properties()).containsExactly(entry("hs_timestamp", "2026-01-28T09:00:00Z"),
                entry("hs_task_subject", "Phone Acme"), entry("hs_task_body", "Ask how it went."),
                entry("hs_task_status", "NOT_STARTED"), entry("hs_task_priority", "LOW"), entry("hs_task_type", "CALL"),
                entry("hubspot_owner_id", "77001"));
    }

    @ParameterizedTest
    @EnumSource(ReminderKind.class)
    void aReminderThatCarriesItsWordsButNoTaskAsksForNone(ReminderKind kind) {
        TrialReminder reminder = reminder(kind);
        reminder.setTitle("Review call due: Acme's evaluation ends in 7 days");
        reminder.setActions(List.of("Schedule a call"));

        assertThat(Activities.reminderTask(reminder)).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(value = ReminderKind.class, names = {"REVIEW_CALL_DUE", "CHECK_IN"})
    void aReminderWrittenBeforeRemindersCarriedTheirWordsGetsANeutralTaskOfItsKind(ReminderKind kind) {
        TrialReminder reminder = reminder(kind);

        Activities.Task task = Activities.reminderTask(reminder).orElseThrow();

        assertThat(task.properties()).containsEntry("hs_task_subject", "Evaluation reminder: Acme")
                .containsEntry("hs_task_body", "Evaluation reminder (" + kind.name().toLowerCase().replace('_', ' ')
                        + ") for Acme: the evaluation ends on 2026-02-04 (7 days left).")
                .containsEntry("hs_task_type", "TODO").containsEntry("hs_timestamp", "2026-01-28T09:00:00Z");
    }

    @ParameterizedTest
    @EnumSource(value = ReminderKind.class, names = {"KICKOFF", "EXPIRING", "EXPIRED", "UNKNOWN"})
    void anOlderReminderOfAKindThatNeverAskedForATaskStillAsksForNone(ReminderKind kind) {
        assertThat(Activities.reminderTask(reminder(kind))).isEmpty();
    }

    /** A reminder as trial-tracker wrote it before reminders carried their words: no title, actions or task. */
    private static TrialReminder reminder(ReminderKind kind) {
        return TrialReminder.newBuilder()
                .setReminderId("trial-1:" + kind + ":" + DUE.toEpochMilli())
                .setTrialId("trial-1")
                .setKind(kind)
                .setDueAt(DUE)
                .setFiredAt(DUE)
                .setDaysLeft(7)
                .setOwner(Owner.newBuilder().setRepId("simon").setName("Simon").setEmail("simon@leadflow.example")
                        .setHubspotOwnerId("77001").build())
                .setCompanyName("Acme")
                .setEndsAt(Instant.parse("2026-02-04T09:00:00Z"))
                .build();
    }
}
