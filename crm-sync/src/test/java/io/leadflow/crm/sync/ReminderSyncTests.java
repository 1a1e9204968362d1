package io.leadflow.crm.sync;

import io.leadflow.avro.LeadRouted;
import io.leadflow.avro.Owner;
import io.leadflow.avro.ReminderKind;
import io.leadflow.avro.ReminderTask;
import io.leadflow.avro.TrialReminder;
import io.leadflow.crm.SpringTests;
import io.leadflow.crm.TestLeads;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Trial reminders become the owner's HubSpot tasks on the trial's deal, once. */
class ReminderSyncTests extends SpringTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Autowired
    LeadSync leads;
    @Autowired
    ReminderSync reminders;
    @Autowired
    MeterRegistry meters;

    @Test
    void reviewCallAndCheckInRemindersBecomeTasksOnTheDealOnceEvenWhenReplayed() {
        // given a hands-on lead already in HubSpot, and its trial's reminders (the deal known only by leadId)
        String run = UUID.randomUUID().toString().substring(0, 8);
        LeadRouted lead = TestLeads.routed(run, 1);
        String dealId = leads.sync(List.of(lead)).synced().get(lead.getLeadId()).getDealId();
        TrialReminder review = reminder(run, ReminderKind.REVIEW_CALL_DUE, lead.getLeadId(), Instant.parse("2026-02-01T09:00:00Z"));
        TrialReminder checkIn = reminder(run, ReminderKind.CHECK_IN, lead.getLeadId(), Instant.parse("2026-01-19T09:00:00Z"));
        TrialReminder expired = reminder(run, ReminderKind.EXPIRED, lead.getLeadId(), Instant.parse("2026-02-04T09:00:00Z"));
        hubspot.clearCalls();

        // when they are synced, and then replayed
        assertThat(reminders.sync(List.of(review, checkIn, expired))).isEmpty();
        int tasksAfterFirst = hubspot.counts().get("tasks");
        assertThat(reminders.sync(List.of(review, checkIn, expired))).isEmpty();

        // then two tasks exist, on the deal, due on the reminder's date, and the replay created nothing
        assertThat(hubspot.counts().get("tasks")).isEqualTo(tasksAfterFirst);
        List<JsonNode> created = hubspot.requests("POST", "/crm/v3/objects/tasks/batch/create").stream()
                .flatMap(r -> JSON.readTree(r.request()).path("inputs").valueStream()).toList();
        assertThat(created).hasSize(2);
        JsonNode reviewTask = created.get(0);
        assertThat(reviewTask.path("properties").path("hs_task_subject").asString())
                .isEqualTo("Schedule review call with decision makers at Acme");
        assertThat(reviewTask.path("properties").path("hs_timestamp").asString()).isEqualTo("2026-02-01T09:00:00Z");
        assertThat(reviewTask.path("properties").path("hubspot_owner_id").asString()).isEqualTo("77001");
        assertThat(reviewTask.path("properties").path("leadflow_key").asString()).isEqualTo("task:" + review.getReminderId().toLowerCase());
        assertThat(reviewTask.path("associations").path(0).path("to").path("id").asString()).isEqualTo(dealId);
        assertThat(created.get(1).path("properties").path("hs_task_subject").asString()).isEqualTo("Check in with Acme");
        assertThat(meters.get("leadflow.crm.hubspot.calls").tag("endpoint", "tasks.create").tag("status", "201").counter().count())
                .isGreaterThanOrEqualTo(1);
    }

    @Test
    void aKickoffReminderRepeatedAsCompletedCompletesTheSameTaskOnceAndAnUnseenOneIsCreatedCompleted() {
        // given the kick-off reminder's task on the trial's deal, and another trial whose fired kick-off never reached HubSpot
        String run = UUID.randomUUID().toString().substring(0, 8);
        LeadRouted lead = TestLeads.routed(run, 1);
        String dealId = leads.sync(List.of(lead)).synced().get(lead.getLeadId()).getDealId();
        LeadRouted other = TestLeads.routed(run, 2);
        String otherDealId = leads.sync(List.of(other)).synced().get(other.getLeadId()).getDealId();
        Instant due = Instant.parse("2026-01-05T09:00:00Z");
        TrialReminder kickoff = reminder(run, ReminderKind.KICKOFF, lead.getLeadId(), due);
        assertThat(reminders.sync(List.of(kickoff))).isEmpty();
        assertThat(kickoffTask(dealId).path("properties").path("hs_task_status").asString()).isEqualTo("NOT_STARTED");
        hubspot.clearCalls();

        // when the customer books the kick-off: the same reminders come again, completed, and then once more
        TrialReminder completed = TrialReminder.newBuilder(kickoff).setCompletedAt(due.plusSeconds(3600)).build();
        TrialReminder otherCompleted = TrialReminder.newBuilder(reminder(run + "-2", ReminderKind.KICKOFF, other.getLeadId(), due))
                .setCompletedAt(due.plusSeconds(3600)).build();
        assertThat(reminders.sync(List.of(completed, otherCompleted))).isEmpty();
        assertThat(reminders.sync(List.of(completed, otherCompleted))).isEmpty();

        // then the task crm-sync made is now COMPLETED, by one update of that task; the other is created completed
        JsonNode task = kickoffTask(dealId);
        assertThat(task.path("properties").path("hs_task_status").asString()).isEqualTo("COMPLETED");
        assertThat(hubspot.engagementsOnDeal("tasks", dealId)).filteredOn(t -> t.path("properties").path("leadflow_key").asString()
                .equals("task:" + kickoff.getReminderId().toLowerCase())).hasSize(1);
        List<JsonNode> updates = hubspot.requests("POST", "/crm/v3/objects/tasks/batch/update").stream()
                .flatMap(r -> JSON.readTree(r.request()).path("inputs").valueStream()).toList();
        assertThat(updates).singleElement().satisfies(update -> {
            assertThat(update.path("id").asString()).isEqualTo(task.path("id").asString());
            assertThat(update.path("properties").path("hs_task_status").asString()).isEqualTo("COMPLETED");
        });
        assertThat(kickoffTask(otherDealId).path("properties").path("hs_task_status").asString()).isEqualTo("COMPLETED");
        assertThat(hubspot.requests("POST", "/crm/v3/objects/tasks/batch/create")).hasSize(1);
    }

    private static JsonNode kickoffTask(String dealId) {
        return hubspot.engagementsOnDeal("tasks", dealId).stream()
                .filter(t -> t.path("properties").path("hs_task_subject").asString().startsWith("Book the kick-off call"))
                .findFirst().orElseThrow();
    }

    private static TrialReminder reminder(String run, ReminderKind kind, String leadId, Instant due) {
        return TrialReminder.newBuilder()
                .setReminderId("trial-" + run + ":" + kind + ":" + due.toEpochMilli())
                .setTrialId("trial-" + run)
                .setKind(kind)
                .setDueAt(due)
                .setFiredAt(due)
                .setDaysLeft(3)
                .setOwner(Owner.newBuilder().setRepId("simon").setName("Simon").setEmail("simon@leadflow.example")
                        .setHubspotOwnerId("77001").build())
                .setLeadId(leadId)
                .setCompanyName("Acme")
                .setEndsAt(Instant.parse("2026-02-04T09:00:00Z"))
                // the words trial-tracker gives them: the kick-off, the review call and the check-ins ask for a task
                .setTitle(kind + " for Acme")
                .setActions(List.of("Do what is due"))
                .setTask(switch (kind) {
                    case REVIEW_CALL_DUE -> new ReminderTask("Schedule review call with decision makers at Acme",
                            "The evaluation ends on 2026-02-04 (3 days left). Schedule a call with the decision makers.", "CALL", "HIGH");
                    case CHECK_IN -> new ReminderTask("Check in with Acme", "Check in with Acme (3 days left).", "TODO", "MEDIUM");
                    case KICKOFF -> new ReminderTask("Book the kick-off call with Acme", "Send Acme your booking link.", "CALL", "HIGH");
                    default -> null;
                })
                .build();
    }
}
