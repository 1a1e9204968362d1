package io.leadflow.crm.sync;

import io.leadflow.avro.ActivityKind;
import io.leadflow.avro.CrmSynced;
import io.leadflow.avro.LeadActivity;
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

/**
 * A cancelled or missed demo of a synced lead becomes a note on its contact and deal, keyed by the activity
 * ({@code note:<leadId>:activity:<activityId>}) and searched for before it is created, so a repeated activity adds
 * nothing. Other kinds are routing-service's business; an activity of a lead crm-sync has not synced is skipped.
 */
class ActivitySync {

    private static final int MAX_DETAIL = 2_000;

    private final HubSpotCrm crm;
    private final SyncLedger ledger;

    ActivitySync(HubSpotCrm crm, SyncLedger ledger) {
        this.crm = crm;
        this.ledger = ledger;
    }

    /** What became of a batch: HubSpot's rejections by activityId, and how many activities asked for a note. */
    record Result(int noted, int skipped, Map<String, Rejection> rejected) {
    }

    static boolean wanted(LeadActivity activity) {
        return activity.getLeadId() != null
                && (activity.getKind() == ActivityKind.BOOKING_CANCELED || activity.getKind() == ActivityKind.NO_SHOW);
    }

    static String noteKey(LeadActivity activity) {
        // keys are lower case: HubSpot matches IN filters on text properties in lower case
        return ("note:" + activity.getLeadId() + ":activity:" + activity.getActivityId()).toLowerCase(java.util.Locale.ROOT);
    }

    Result sync(Collection<LeadActivity> activities) {
        List<LeadActivity> relevant = activities.stream().filter(ActivitySync::wanted).toList();
        Map<String, CrmSynced> synced = ledger.known(relevant.stream().map(LeadActivity::getLeadId).toList());
        Map<String, LeadActivity> byKey = new LinkedHashMap<>();
        int skipped = 0;
        for (LeadActivity activity : relevant) {
            if (synced.containsKey(activity.getLeadId())) {
                byKey.put(noteKey(activity), activity);
            } else {
                skipped++;
            }
        }
        if (byKey.isEmpty()) {
            return new Result(0, skipped, Map.of());
        }
        Map<String, JsonNode> existing = crm.findByKey("notes", byKey.keySet());
        List<HubSpotCrm.Engagement> notes = new ArrayList<>();
        byKey.forEach((key, activity) -> {
            if (existing.containsKey(key)) {
                return;
            }
            CrmSynced lead = synced.get(activity.getLeadId());
            Map<String, Object> properties = new LinkedHashMap<>();
            properties.put("hs_timestamp", activity.getOccurredAt().toString());
            properties.put("hs_note_body", body(activity));
            notes.add(new HubSpotCrm.Engagement(key, properties, lead.getContactId(), lead.getDealId()));
        });
        Map<String, Rejection> rejected = new HashMap<>();
        if (!notes.isEmpty()) {
            BatchOutcome outcome = crm.createNotes(notes);
            outcome.rejected().forEach((key, rejection) -> rejected.put(byKey.get(key).getActivityId(), rejection));
        }
        return new Result(byKey.size(), skipped, rejected);
    }

    static String body(LeadActivity activity) {
        boolean canceled = activity.getKind() == ActivityKind.BOOKING_CANCELED;
        StringBuilder html = new StringBuilder();
        html.append("<p><strong>Leadflow: ").append(canceled ? "demo cancelled" : "no-show").append("</strong></p>");
        html.append("<p>").append(canceled ? "The demo booking was cancelled" : "The lead did not attend the booked demo")
                .append(" (").append(Activities.escape(activity.getSource())).append(", ").append(Activities.time(activity.getOccurredAt()))
                .append(").</p>");
        String detail = activity.getDetail();
        if (detail != null && !detail.isBlank()) {
            String cut = detail.length() > MAX_DETAIL ? detail.substring(0, MAX_DETAIL) + "…" : detail;
            html.append("<p>").append(Activities.escape(cut)).append("</p>");
        }
        return html.toString();
    }
}
