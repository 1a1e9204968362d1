package io.leadflow.crm.sync;

import io.leadflow.avro.LeadRouted;
import io.leadflow.avro.SyncOutcome;
import io.leadflow.crm.hubspot.BatchOutcome;
import io.leadflow.crm.hubspot.HubSpotCrm;
import io.leadflow.crm.hubspot.Rejection;
import tools.jackson.databind.JsonNode;

import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import static io.leadflow.crm.sync.LeadSync.putIfPresent;
import static io.leadflow.crm.sync.LeadSync.reject;

/**
 * The notes and tasks of {@link LeadSync}: each keyed by a deterministic {@code leadflow_key}, searched for before it is
 * created when its deal existed before the batch, plus the demo-moved and reassignment notes.
 */
final class EngagementWriter {

    private final HubSpotCrm crm;
    private final Clock clock;
    private final KeyLedger engagements;
    private final Predicate<LeadRouted> drafts;

    /** @param drafts the leads whose introduction email becomes a task for the owner (the others are sent, or get none) */
    EngagementWriter(HubSpotCrm crm, Clock clock, KeyLedger engagements, Predicate<LeadRouted> drafts) {
        this.drafts = drafts;
        this.crm = crm;
        this.clock = clock;
        this.engagements = engagements;
    }

    /**
     * Notes and tasks. For leads whose deal existed before this batch the keys are searched first (tasks first: the
     * demo task's due date tells whether the demo moved), then the missing notes are created, then the missing tasks,
     * then moved demo tasks are updated. The note saying a demo moved is written before its task is moved, so a replay
     * after a crash in between still finds the task at its old time and finishes the job.
     */
    void write(Map<String, LeadRouted> leads, LeadSync.Deals deals, Map<String, String> contactIds, Set<String> syncedBefore,
               Set<String> moves, Map<String, Rejection> rejected) {
        Map<String, HubSpotCrm.Engagement> tasks = new LinkedHashMap<>();
        Map<String, String> leadByKey = new HashMap<>();
        Set<String> demoTaskKeys = new HashSet<>();
        // a lead synced before got its note and tasks then: only the demo task is read (has the demo moved?)
        Set<String> written = new HashSet<>();
        for (LeadRouted lead : leads.values()) {
            String leadId = lead.getLeadId();
            List<Activities.Task> leadTasks = new ArrayList<>(Activities.leadTasks(lead));
            if (drafts.test(lead)) {
                IntroDraft.task(lead).ifPresent(leadTasks::add);
            }
            for (Activities.Task task : leadTasks) {
                tasks.put(task.key(), new HubSpotCrm.Engagement(task.key(), task.properties(), contactIds.get(leadId), deals.ids.get(leadId)));
                leadByKey.put(task.key(), leadId);
                if (syncedBefore.contains(leadId)) {
                    written.add(task.key());
                }
            }
            if (lead.getLead().getDemo() != null && deals.preExisting.contains(leadId)) {
                demoTaskKeys.add(Activities.demoTaskKey(leadId));
            }
            if (syncedBefore.contains(leadId)) {
                written.add(Activities.noteKey(leadId));
            }
        }
        written.removeAll(demoTaskKeys);
        Map<String, JsonNode> existingTasks = findExisting("tasks", tasks.keySet(), leadByKey, deals.preExisting, demoTaskKeys, written);

        Map<String, HubSpotCrm.Engagement> notes = new LinkedHashMap<>();
        Map<String, Map<String, Object>> movedTasks = new LinkedHashMap<>();
        Map<String, String> leadByMovedTask = new HashMap<>();
        for (LeadRouted lead : leads.values()) {
            String leadId = lead.getLeadId();
            String key = Activities.noteKey(leadId);
            String body = deals.outcomes.get(leadId) == SyncOutcome.ATTACHED ? Activities.attachedNoteBody(lead) : Activities.noteBody(lead);
            notes.put(key, note(key, lead.getLead().getReceivedAt(), body, lead, contactIds.get(leadId), deals.ids.get(leadId)));
            leadByKey.put(key, leadId);
            JsonNode demoTask = existingTasks.get(Activities.demoTaskKey(leadId));
            Instant booked = demoTask == null ? null : instant(demoTask.path("properties").path("hs_timestamp").asString(null));
            if (booked != null && lead.getLead().getDemo() != null && !booked.equals(lead.getLead().getDemo().getStartsAt())) {
                Instant startsAt = lead.getLead().getDemo().getStartsAt();
                String moved = Activities.rescheduleNoteKey(leadId, startsAt);
                notes.put(moved, note(moved, clock.instant(), Activities.rescheduleNoteBody(lead, booked), lead,
                        contactIds.get(leadId), deals.ids.get(leadId)));
                leadByKey.put(moved, leadId);
                movedTasks.put(demoTask.path("id").asString(), Map.of("hs_timestamp", startsAt.toString()));
                leadByMovedTask.put(demoTask.path("id").asString(), leadId);
            }
            if (moves.contains(leadId)) {
                String reassigned = Activities.reassignNoteKey(leadId, lead.getDecisionVersion());
                Instant at = lead.getDecidedAt() != null ? lead.getDecidedAt() : clock.instant();
                notes.put(reassigned, note(reassigned, at, Activities.reassignNoteBody(lead), lead, contactIds.get(leadId), deals.ids.get(leadId)));
                leadByKey.put(reassigned, leadId);
            }
        }
        Map<String, JsonNode> existingNotes = findExisting("notes", notes.keySet(), leadByKey, deals.preExisting, Set.of(), written);
        create("notes", notes, existingNotes.keySet(), leadByKey, leads, rejected);
        create("tasks", tasks, existingTasks.keySet(), leadByKey, leads, rejected);
        movedTasks.keySet().removeIf(taskId -> !leads.containsKey(leadByMovedTask.get(taskId)));
        if (!movedTasks.isEmpty()) {
            BatchOutcome outcome = crm.updateTasks(movedTasks);
            outcome.rejected().forEach((taskId, rejection) -> reject(leads, rejected, leadByMovedTask.get(taskId), rejection));
        }
    }

    private static HubSpotCrm.Engagement note(String key, Instant at, String body, LeadRouted lead, String contactId, String dealId) {
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("hs_timestamp", at.toString());
        props.put("hs_note_body", body);
        putIfPresent(props, "hubspot_owner_id", lead.getOwner().getHubspotOwnerId());
        return new HubSpotCrm.Engagement(key, props, contactId, dealId);
    }

    /**
     * The engagements that already exist among {@code keys}: {@code written} ones (their lead was synced), remembered
     * ones, and, for leads whose deal existed before this batch, those HubSpot finds. {@code withProperties} are always
     * searched (their properties are needed).
     */
    private Map<String, JsonNode> findExisting(String objectType, Collection<String> keys, Map<String, String> leadByKey,
                                               Set<String> preExisting, Set<String> withProperties, Set<String> written) {
        Map<String, JsonNode> existing = new HashMap<>();
        for (String key : keys) {
            if (written.contains(key)) {
                existing.put(key, tools.jackson.databind.node.JsonNodeFactory.instance.objectNode());
            }
        }
        engagements.known(keys).forEach((key, id) -> {
            if (!withProperties.contains(key)) {
                existing.put(key, tools.jackson.databind.node.JsonNodeFactory.instance.objectNode().put("id", id));
            }
        });
        List<String> toSearch = keys.stream()
                .filter(key -> !existing.containsKey(key) && preExisting.contains(leadByKey.get(key)))
                .toList();
        if (!toSearch.isEmpty()) {
            Map<String, JsonNode> found = crm.findByKey(objectType, toSearch, "hs_timestamp");
            existing.putAll(found);
            Map<String, String> ids = new HashMap<>();
            found.forEach((key, object) -> ids.put(key, object.path("id").asString()));
            engagements.remember(ids);
        }
        return existing;
    }

    private void create(String objectType, Map<String, HubSpotCrm.Engagement> wanted, Set<String> existing, Map<String, String> leadByKey,
                        Map<String, LeadRouted> leads, Map<String, Rejection> rejected) {
        List<HubSpotCrm.Engagement> toCreate = wanted.values().stream()
                .filter(e -> !existing.contains(e.key()) && leads.containsKey(leadByKey.get(e.key())))
                .toList();
        if (toCreate.isEmpty()) {
            return;
        }
        BatchOutcome outcome = objectType.equals("notes") ? crm.createNotes(toCreate) : crm.createTasks(toCreate);
        Map<String, String> created = new HashMap<>();
        outcome.results().keySet().forEach(key -> created.put(key, outcome.id(key)));
        engagements.remember(created);
        outcome.rejected().forEach((key, rejection) -> reject(leads, rejected, leadByKey.get(key), rejection));
    }

    private static Instant instant(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            try {
                return Instant.ofEpochMilli(Long.parseLong(value.trim()));
            } catch (NumberFormatException ignored) {
                return null;
            }
        }
    }
}
