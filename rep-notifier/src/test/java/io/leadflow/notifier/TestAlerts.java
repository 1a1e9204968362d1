package io.leadflow.notifier;

import io.leadflow.avro.AlertButton;
import io.leadflow.avro.AlertField;
import io.leadflow.avro.AlertKind;
import io.leadflow.avro.AlertLink;
import io.leadflow.avro.RepAlert;

import java.time.Instant;
import java.util.List;

/** Alerts as routing-service and trial-tracker write them (see the rep.alerts contract). */
public final class TestAlerts {

    public static final Instant LEAD_RECEIVED = Instant.parse("2026-01-05T14:02:11Z");
    public static final Instant CREATED = Instant.parse("2026-01-05T14:02:12Z");

    private TestAlerts() {
    }

    public static RepAlert newLead(String leadId) {
        return RepAlert.newBuilder()
                .setAlertId("NEW_LEAD:" + leadId)
                .setRepId("simon")
                .setSlackUserId("U02QULW4MDZ")
                .setChannel(null)
                .setKind(AlertKind.NEW_LEAD)
                .setTitle("New lead: Acme Analytics → Hands-on")
                .setFields(List.of(
                        field("Company", "Acme Analytics"),
                        field("Contact", "Jane Doe <jane.doe@acme.io>"),
                        field("Pipeline", "Hands-on"),
                        field("Plan interest", "Enterprise"),
                        field("Recommended plan", "Enterprise"),
                        field("Monthly active users", "250,000"),
                        field("Monthly events", "80,000,000"),
                        field("Region", "EU"),
                        field("Source", "Demo at 2026-01-05 15:00 UTC")))
                .setReasons(List.of(
                        "Wants the Enterprise plan (planInterest = ENTERPRISE)",
                        "Expects more than 50 million events a month (monthlyEvents = 80,000,000)",
                        "Enterprise customers go to Simon"))
                .setFlags(List.of(
                        "Wants an MSA: only worth it above $10k a month",
                        "Wants an air-gapped install: usage must be self-reported monthly"))
                .setActions(List.of(
                        "Prepare the demo booked for 2026-01-05 15:00 UTC",
                        "Offer a 30-day time-boxed evaluation with a shared Slack Connect channel"))
                .setLinks(List.of(new AlertLink("Demo booking", "https://cal.com/booking/7Hq2xZ")))
                .setCreatedAt(CREATED)
                .setLeadId(leadId)
                .setTrialId(null)
                .setLeadReceivedAt(LEAD_RECEIVED)
                .build();
    }

    public static RepAlert trial(AlertKind kind, String reminderId) {
        return RepAlert.newBuilder()
                .setAlertId(reminderId)
                .setRepId("simon")
                .setSlackUserId("U02QULW4MDZ")
                .setChannel(null)
                .setKind(kind)
                .setTitle(trialTitle(kind))
                .setFields(List.of(
                        field("Company", "Acme Analytics"),
                        field("Days left", kind == AlertKind.TRIAL_EXPIRED ? "0" : "5"),
                        field("Ends", "2026-02-04"),
                        field("Deployment", "Self-hosted")))
                .setReasons(List.of())
                .setFlags(List.of())
                .setActions(List.of())
                .setLinks(List.of(new AlertLink("HubSpot deal", "https://app.hubspot.com/contacts/12345/deal/987654")))
                .setCreatedAt(CREATED)
                .setLeadId("7c9e6679-7425-40de-944b-e07fc1f90ae7")
                .setTrialId("trial-7c9e6679")
                .setLeadReceivedAt(null)
                .build();
    }

    /** A new-lead alert with the Accept and Pass buttons routing-service gives it, for decision version {@code version}. */
    public static RepAlert newLeadWithButtons(String leadId, int version) {
        RepAlert alert = newLead(leadId);
        alert.setAlertId(version == 1 ? "NEW_LEAD:" + leadId : "NEW_LEAD:" + leadId + ":v" + version);
        alert.setButtons(List.of(
                new AlertButton("lead.accept", "Accept", leadId + ":" + version, "primary"),
                new AlertButton("lead.pass", "Pass", leadId + ":" + version, null)));
        return alert;
    }

    /** routing-service's alert that the owner accepted the lead: it updates the version's new-lead message in place. */
    public static RepAlert accepted(String leadId, int version, String updatesAlertId) {
        return RepAlert.newBuilder()
                .setAlertId("LEAD_ACCEPTED:" + leadId + ":v" + version)
                .setRepId("simon")
                .setSlackUserId("U02QULW4MDZ")
                .setKind(AlertKind.LEAD_ACCEPTED)
                .setTitle("Accepted by Simon at 14:05 UTC")
                .setFields(List.of(field("Company", "Acme Analytics"), field("Pipeline", "Hands-on")))
                .setCreatedAt(CREATED.plusSeconds(180))
                .setLeadId(leadId)
                .setUpdatesAlertId(updatesAlertId)
                .build();
    }

    /** routing-service's answer to a click by someone who does not own the lead: shown to the clicker alone. */
    public static RepAlert notTheOwner(String activityId, String clicker, String channel) {
        return RepAlert.newBuilder()
                .setAlertId("NOT_THE_OWNER:" + activityId)
                .setRepId("cameron")
                .setSlackUserId(clicker)
                .setChannel(channel)
                .setKind(AlertKind.NOT_THE_OWNER)
                .setTitle("This lead is Simon's: only its owner can accept or pass it")
                .setCreatedAt(CREATED.plusSeconds(60))
                .setEphemeral(true)
                .build();
    }

    /** An alert for {@code channel} with its own id, for burst and throttling tests. */
    public static RepAlert toChannel(String alertId, String channel) {
        RepAlert alert = newLead(alertId);
        alert.setAlertId(alertId);
        alert.setChannel(channel);
        return alert;
    }

    /**
     * A new lead of {@code company}, received at {@code receivedAt}, for the rep whose DM (or channel) is
     * {@code channel}: what a burst of leads to one rep looks like.
     */
    public static RepAlert newLead(String leadId, String company, Instant receivedAt, String channel) {
        RepAlert alert = newLead(leadId);
        alert.setTitle("New lead: " + company + " → Hands-on");
        List<AlertField> fields = new java.util.ArrayList<>(alert.getFields());
        fields.set(0, field("Company", company));
        alert.setFields(fields);
        alert.setLeadReceivedAt(receivedAt);
        alert.setCreatedAt(receivedAt.plusMillis(150));
        if (channel.startsWith("U") || channel.startsWith("W")) {
            alert.setSlackUserId(channel);
        } else {
            alert.setChannel(channel);
        }
        return alert;
    }

    /** A trial reminder for {@code channel} with its own id: alerts that are never put into a digest. */
    public static RepAlert trialToChannel(String alertId, String channel) {
        RepAlert alert = trial(AlertKind.TRIAL_CHECK_IN, alertId);
        alert.setChannel(channel);
        return alert;
    }

    private static String trialTitle(AlertKind kind) {
        return switch (kind) {
            case TRIAL_KICKOFF -> "Kick-off call: Acme Analytics";
            case TRIAL_CHECK_IN -> "Check in: Acme Analytics";
            case REVIEW_CALL_DUE -> "Review call due: Acme Analytics";
            case TRIAL_EXPIRING -> "Evaluation ending: Acme Analytics";
            case TRIAL_EXPIRED -> "Evaluation ended: Acme Analytics";
            default -> "Acme Analytics";
        };
    }

    public static AlertField field(String label, String value) {
        return new AlertField(label, value);
    }
}
