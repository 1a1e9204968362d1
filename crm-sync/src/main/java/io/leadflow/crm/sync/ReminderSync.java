package io.leadflow.crm.sync;

import io.leadflow.avro.TrialReminder;
import io.leadflow.crm.hubspot.BatchOutcome;
import io.leadflow.crm.hubspot.HubSpotCrm;
import io.leadflow.crm.hubspot.Rejection;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns trial reminders into HubSpot tasks for the owner, on the trial's deal: the task each reminder carries (the review
 * call and the check-ins, in the handbook's wording), due on the reminder's date. Keyed by reminderId, searched
 * before creating, so a replayed reminder never makes a second task. A reminder repeated with {@code completedAt} (the
 * customer booked the kick-off) marks that same task {@code COMPLETED} (tasks batch update), or creates it completed
 * when it does not exist yet; a task already completed is left alone. Four calls at most for a batch of 100.
 */
class ReminderSync {

    private final HubSpotCrm crm;

    public ReminderSync(HubSpotCrm crm) {
        this.crm = crm;
    }

    /** Rejections by reminderId; reminders that need no task, or whose task exists, are simply done. */
    public Map<String, Rejection> sync(Collection<TrialReminder> reminders) {
        Map<String, TrialReminder> byKey = new LinkedHashMap<>();
        Map<String, Activities.Task> tasks = new LinkedHashMap<>();
        for (TrialReminder reminder : reminders) {
            Optional<Activities.Task> task = Activities.reminderTask(reminder);
            task.ifPresent(t -> {
                tasks.put(t.key(), t);
                byKey.put(t.key(), reminder);
            });
        }
        if (tasks.isEmpty()) {
            return Map.of();
        }
        Map<String, JsonNode> existing = crm.findByKey("tasks", tasks.keySet(), "hs_task_status");
        Map<String, Map<String, Object>> toComplete = new LinkedHashMap<>();
        Map<String, String> keyById = new HashMap<>();
        existing.forEach((key, found) -> {
            TrialReminder reminder = byKey.get(key);
            boolean done = Activities.COMPLETED.equals(found.path("properties").path("hs_task_status").asString(null));
            if (reminder != null && reminder.getCompletedAt() != null && !done) {
                String id = found.path("id").asString();
                toComplete.put(id, Map.of("hs_task_status", Activities.COMPLETED));
                keyById.put(id, key);
            }
        });
        Map<String, Rejection> rejected = new LinkedHashMap<>();
        if (!toComplete.isEmpty()) {
            crm.updateTasks(toComplete).rejected().forEach((id, rejection) ->
                    rejected.put(byKey.get(keyById.get(id)).getReminderId(), rejection));
        }
        List<String> leadsWithoutDeal = byKey.entrySet().stream()
                .filter(e -> !existing.containsKey(e.getKey()) && e.getValue().getDealId() == null && e.getValue().getLeadId() != null)
                .map(e -> e.getValue().getLeadId()).distinct().toList();
        Map<String, String> dealByLead = new HashMap<>();
        if (!leadsWithoutDeal.isEmpty()) {
            Map<String, JsonNode> deals = crm.readDealsByLeadId(leadsWithoutDeal);
            deals.forEach((leadId, deal) -> dealByLead.put(leadId, deal.path("id").asString()));
        }
        List<HubSpotCrm.Engagement> toCreate = new ArrayList<>();
        tasks.forEach((key, task) -> {
            if (existing.containsKey(key)) {
                return;
            }
            TrialReminder reminder = byKey.get(key);
            String dealId = reminder.getDealId() != null ? reminder.getDealId() : dealByLead.get(reminder.getLeadId());
            toCreate.add(new HubSpotCrm.Engagement(key, task.properties(), null, dealId));
        });
        if (toCreate.isEmpty()) {
            return rejected;
        }
        BatchOutcome outcome = crm.createTasks(toCreate);
        outcome.rejected().forEach((key, rejection) -> rejected.put(byKey.get(key).getReminderId(), rejection));
        return rejected;
    }
}
