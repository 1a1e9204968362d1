package io.leadflow.crm.sync;

import io.leadflow.avro.LeadRouted;
import io.leadflow.avro.SyncOutcome;
import io.leadflow.crm.hubspot.HubSpotCrm;
import io.leadflow.crm.hubspot.Rejection;
import tools.jackson.databind.JsonNode;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import static io.leadflow.crm.sync.LeadSync.reject;

/** The owner move of {@link LeadSync} on a higher decision version: the lead's own deal and its open tasks. */
final class OwnerMoves {

    private final HubSpotCrm crm;

    OwnerMoves(HubSpotCrm crm) {
        this.crm = crm;
    }

    /**
     * A higher decision version: the lead's own deal (not a deal it was attached to, which follows the lead that opened
     * it) and its open tasks (not completed) go to the new owner; the contact's owner moved with the contact upsert, and
     * {@link EngagementWriter#write} adds the note. Each write is idempotent, so a replay after a partial failure finishes it.
     */
    void move(Map<String, LeadRouted> leads, Set<String> moves, LeadSync.Deals deals, Map<String, Rejection> rejected) {
        Map<String, Map<String, Object>> dealUpdates = new LinkedHashMap<>();
        Map<String, String> leadByDeal = new HashMap<>();
        Map<String, String> ownerByTaskKey = new LinkedHashMap<>();
        Map<String, String> leadByTaskKey = new HashMap<>();
        for (String leadId : moves) {
            LeadRouted lead = leads.get(leadId);
            String owner = lead == null ? null : lead.getOwner().getHubspotOwnerId();
            if (owner == null || owner.isBlank()) {
                continue;
            }
            String dealId = deals.ids.get(leadId);
            if (dealId != null && deals.outcomes.get(leadId) != SyncOutcome.ATTACHED) {
                dealUpdates.put(dealId, Map.<String, Object>of("hubspot_owner_id", owner));
                leadByDeal.put(dealId, leadId);
            }
            for (Activities.Task task : Activities.leadTasks(lead)) {
                ownerByTaskKey.put(task.key(), owner);
                leadByTaskKey.put(task.key(), leadId);
            }
        }
        if (!dealUpdates.isEmpty()) {
            crm.updateDeals(dealUpdates).rejected()
                    .forEach((dealId, rejection) -> reject(leads, rejected, leadByDeal.get(dealId), rejection));
        }
        if (ownerByTaskKey.isEmpty()) {
            return;
        }
        Map<String, Map<String, Object>> taskUpdates = new LinkedHashMap<>();
        Map<String, String> leadByTask = new HashMap<>();
        crm.findByKey("tasks", ownerByTaskKey.keySet(), "hs_task_status", "hubspot_owner_id").forEach((key, task) -> {
            JsonNode props = task.path("properties");
            String owner = ownerByTaskKey.get(key);
            if (!"COMPLETED".equals(props.path("hs_task_status").asString("")) && !owner.equals(props.path("hubspot_owner_id").asString(""))
                    && leads.containsKey(leadByTaskKey.get(key))) {
                taskUpdates.put(task.path("id").asString(), Map.<String, Object>of("hubspot_owner_id", owner));
                leadByTask.put(task.path("id").asString(), leadByTaskKey.get(key));
            }
        });
        if (!taskUpdates.isEmpty()) {
            crm.updateTasks(taskUpdates).rejected()
                    .forEach((taskId, rejection) -> reject(leads, rejected, leadByTask.get(taskId), rejection));
        }
    }
}
