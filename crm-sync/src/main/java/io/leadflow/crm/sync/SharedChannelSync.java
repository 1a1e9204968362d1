package io.leadflow.crm.sync;

import io.leadflow.avro.CrmSynced;
import io.leadflow.avro.SharedChannel;
import io.leadflow.avro.SharedChannelStatus;
import io.leadflow.crm.hubspot.BatchOutcome;
import io.leadflow.crm.hubspot.HubSpotCrm;
import io.leadflow.crm.hubspot.Rejection;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Puts a hands-on lead's shared Slack channel on its HubSpot deal ({@code slack.shared-channels}, written by rep-notifier):
 * the channel's id in the deal property {@value #CHANNEL_PROPERTY}; and when Slack refused a step ({@code MANUAL}), a
 * note on the deal saying what went wrong and a task for the owner, "Set up the shared Slack channel by hand". Note and
 * task have deterministic keys ({@code note:<leadId>:slack-channel}, {@code task:<leadId>:slack-channel}) searched before
 * they are created, and the property is set to the same value again, so a replay changes nothing.
 */
public class SharedChannelSync {

    /** The deal property holding the Slack channel id. */
    public static final String CHANNEL_PROPERTY = "leadflow_slack_channel_id";
    static final String TASK_SUBJECT = "Set up the shared Slack channel by hand";

    private final HubSpotCrm crm;

    public SharedChannelSync(HubSpotCrm crm) {
        this.crm = crm;
    }

    /**
     * @param rejected       by leadId, what HubSpot refused for good
     * @param withoutDeal    leads whose deal crm-sync has not created yet
     */
    public record Result(Map<String, Rejection> rejected, Set<String> withoutDeal) {
    }

    static String noteKey(String leadId) {
        return ("note:" + leadId + ":slack-channel").toLowerCase(Locale.ROOT);
    }

    static String taskKey(String leadId) {
        return ("task:" + leadId + ":slack-channel").toLowerCase(Locale.ROOT);
    }

    /** @param synced what crm-sync knows it synced, by leadId (the deal id among it) */
    Result sync(Collection<SharedChannel> channels, Map<String, CrmSynced> synced) {
        Map<String, SharedChannel> byLead = new LinkedHashMap<>();
        channels.forEach(c -> byLead.put(c.getLeadId(), c));
        Map<String, String> dealByLead = new HashMap<>();
        Map<String, String> ownerByLead = new HashMap<>();
        List<String> unknown = new ArrayList<>();
        for (String leadId : byLead.keySet()) {
            CrmSynced known = synced.get(leadId);
            if (known != null && known.getDealId() != null) {
                dealByLead.put(leadId, known.getDealId());
            } else {
                unknown.add(leadId);
            }
        }
        boolean anyManual = byLead.values().stream().anyMatch(c -> c.getStatus() == SharedChannelStatus.MANUAL);
        if (!unknown.isEmpty() || anyManual) {
            // the deal's owner is needed for the task; the deal itself for leads synced by another instance
            List<String> toRead = byLead.keySet().stream()
                    .filter(id -> unknown.contains(id) || byLead.get(id).getStatus() == SharedChannelStatus.MANUAL).toList();
            crm.readDealsByLeadId(toRead).forEach((leadId, deal) -> {
                dealByLead.put(leadId, deal.path("id").asString());
                String owner = deal.path("properties").path("hubspot_owner_id").asString("");
                if (!owner.isBlank()) {
                    ownerByLead.put(leadId, owner);
                }
            });
        }
        Set<String> withoutDeal = new java.util.LinkedHashSet<>(byLead.keySet());
        withoutDeal.removeAll(dealByLead.keySet());

        Map<String, Rejection> rejected = new LinkedHashMap<>();
        Map<String, Map<String, Object>> properties = new LinkedHashMap<>();
        Map<String, String> leadByDeal = new HashMap<>();
        Map<String, HubSpotCrm.Engagement> notes = new LinkedHashMap<>();
        Map<String, HubSpotCrm.Engagement> tasks = new LinkedHashMap<>();
        Map<String, String> leadByKey = new HashMap<>();
        byLead.forEach((leadId, channel) -> {
            String dealId = dealByLead.get(leadId);
            if (dealId == null) {
                return;
            }
            if (channel.getChannelId() != null) {
                properties.put(dealId, Map.of(CHANNEL_PROPERTY, channel.getChannelId()));
                leadByDeal.put(dealId, leadId);
            }
            if (channel.getStatus() == SharedChannelStatus.MANUAL) {
                String problem = channel.getProblem() != null ? channel.getProblem() : "Slack refused: " + channel.getError();
                Map<String, Object> note = new LinkedHashMap<>();
                note.put("hs_timestamp", channel.getAt().toString());
                note.put("hs_note_body", "<p><strong>The shared Slack channel could not be set up; set it up by hand.</strong></p><p>"
                        + Activities.escape(problem) + "</p>"
                        + (channel.getName() != null ? "<p>Channel created: #" + Activities.escape(channel.getName()) + "</p>" : ""));
                putOwner(note, ownerByLead.get(leadId));
                notes.put(noteKey(leadId), new HubSpotCrm.Engagement(noteKey(leadId), note, null, dealId));
                Map<String, Object> task = new LinkedHashMap<>();
                task.put("hs_timestamp", channel.getAt().toString());
                task.put("hs_task_subject", TASK_SUBJECT);
                task.put("hs_task_body", problem);
                task.put("hs_task_status", "NOT_STARTED");
                task.put("hs_task_priority", "MEDIUM");
                task.put("hs_task_type", "TODO");
                putOwner(task, ownerByLead.get(leadId));
                tasks.put(taskKey(leadId), new HubSpotCrm.Engagement(taskKey(leadId), task, null, dealId));
                leadByKey.put(noteKey(leadId), leadId);
                leadByKey.put(taskKey(leadId), leadId);
            }
        });
        if (!properties.isEmpty()) {
            BatchOutcome outcome = crm.updateDeals(properties);
            outcome.rejected().forEach((dealId, rejection) -> rejected.put(leadByDeal.get(dealId), rejection));
        }
        create("notes", notes, leadByKey, rejected);
        create("tasks", tasks, leadByKey, rejected);
        return new Result(rejected, withoutDeal);
    }

    private void create(String objectType, Map<String, HubSpotCrm.Engagement> wanted, Map<String, String> leadByKey,
                        Map<String, Rejection> rejected) {
        if (wanted.isEmpty()) {
            return;
        }
        Map<String, JsonNode> existing = crm.findByKey(objectType, wanted.keySet());
        List<HubSpotCrm.Engagement> toCreate = wanted.values().stream().filter(e -> !existing.containsKey(e.key())).toList();
        if (toCreate.isEmpty()) {
            return;
        }
        BatchOutcome outcome = objectType.equals("notes") ? crm.createNotes(toCreate) : crm.createTasks(toCreate);
        outcome.rejected().forEach((key, rejection) -> rejected.putIfAbsent(leadByKey.get(key), rejection));
    }

    private static void putOwner(Map<String, Object> properties, String ownerId) {
        if (ownerId != null) {
            properties.put("hubspot_owner_id", ownerId);
        }
    }
}
