package io.leadflow.crm.sync;

import io.leadflow.avro.IntroEmail;
import io.leadflow.avro.LeadRouted;
import io.leadflow.schemas.LeadNames;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import static io.leadflow.crm.sync.Activities.escape;

/**
 * The introduction email routing wrote for a lead, as a HubSpot task for its owner: type {@code EMAIL}, the full text
 * ready to send, due at once. Its key ({@code task:<leadId>:intro-email}) is a lead task's like any other, so the
 * engagement writer creates it once per lead, however often the decision is replayed.
 */
final class IntroDraft {

    private IntroDraft() {
    }

    static String key(String leadId) {
        return "task:" + leadId + ":intro-email";
    }

    static Optional<Activities.Task> task(LeadRouted routed) {
        IntroEmail email = routed.getIntroEmail();
        if (email == null) {
            return Optional.empty();
        }
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("hs_timestamp", routed.getRoutedAt().toString());
        properties.put("hs_task_subject", "Send the introduction email to " + LeadNames.company(routed.getLead()));
        properties.put("hs_task_body", body(email));
        properties.put("hs_task_status", "NOT_STARTED");
        properties.put("hs_task_priority", "HIGH");
        properties.put("hs_task_type", "EMAIL");
        if (routed.getOwner().getHubspotOwnerId() != null) {
            properties.put("hubspot_owner_id", routed.getOwner().getHubspotOwnerId());
        }
        return Optional.of(new Activities.Task(key(routed.getLeadId()), properties));
    }

    /** The email as the owner sends it, escaped for the task's rich-text body (the lead's words are quoted in it). */
    static String body(IntroEmail email) {
        return "<p>Introduce yourself: send this email (edit it as you like) and answer what they asked.</p>"
                + "<p>To: " + escape(email.getTo()) + "<br>Subject: " + escape(email.getSubject()) + "</p>"
                + "<p>" + escape(email.getBody().strip()).replace("\n", "<br>") + "</p>";
    }
}
