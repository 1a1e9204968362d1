package io.leadflow.routing.decide;

import io.leadflow.avro.AlertField;
import io.leadflow.avro.AlertKind;
import io.leadflow.avro.LeadActivity;
import io.leadflow.avro.LeadRouted;
import io.leadflow.avro.Owner;
import io.leadflow.avro.RepAlert;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * The alerts of the speed-to-lead loop, with the alert ids of the {@code rep.alerts} contract: each id names the lead
 * and the decision version (or the activity) it is about, so a repeat is posted once and an update replaces the
 * message of the alert it names.
 */
public final class SlaAlerts {

    private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneOffset.UTC);

    private SlaAlerts() {
    }

    /** The owner accepted: their NEW_LEAD message is replaced by one without buttons. */
    public static RepAlert accepted(LeadRouted decision, Instant at) {
        int version = decision.getDecisionVersion();
        // the NEW_LEAD alert is built for this alone, so it is changed in place rather than deep-copied by a builder
        RepAlert alert = NewLeadAlert.from(decision);
        alert.setAlertId("LEAD_ACCEPTED:" + decision.getLeadId() + ":v" + version);
        alert.setKind(AlertKind.LEAD_ACCEPTED);
        alert.setTitle("Accepted by " + decision.getOwner().getName() + " at " + HOUR.format(at) + " UTC");
        alert.setButtons(List.of());
        alert.setUpdatesAlertId(NewLeadAlert.alertId(decision.getLeadId(), version));
        alert.setCreatedAt(at);
        return alert;
    }

    /** The previous owner's NEW_LEAD message of {@code before}'s version, replaced in place: the lead is no longer theirs. */
    public static RepAlert reassigned(LeadRouted before, LeadRouted after, Instant at) {
        int version = before.getDecisionVersion();
        RepAlert alert = NewLeadAlert.from(before);
        alert.setAlertId("LEAD_REASSIGNED:" + before.getLeadId() + ":v" + version);
        alert.setKind(AlertKind.LEAD_REASSIGNED);
        alert.setTitle(sameOwner(before.getOwner(), after.getOwner())
                ? "Re-routed: " + after.getChangeReason() + " (see the new alert)"
                : "Reassigned to " + after.getOwner().getName() + ": " + after.getChangeReason());
        alert.setButtons(List.of());
        alert.setUpdatesAlertId(NewLeadAlert.alertId(before.getLeadId(), version));
        alert.setCreatedAt(at);
        return alert;
    }

    /** The owner has not accepted yet: a direct message again. */
    public static RepAlert reminder(LeadRouted decision, Instant acceptBy, Instant at) {
        String company = NewLeadAlert.titleCompany(decision.getLead());
        return alert("SLA_REMINDER:" + decision.getLeadId() + ":v" + decision.getDecisionVersion(), decision.getOwner(), null,
                AlertKind.SLA_REMINDER, "Still waiting: accept " + company + " or pass it"
                        + (acceptBy == null ? "" : " before " + HOUR.format(acceptBy) + " UTC, when it goes to someone else"),
                decision, at);
    }

    /** To the policy's channel: a reassignment, or a breach no one is left to take. */
    public static RepAlert escalation(LeadRouted decision, String channel, String title, Instant at) {
        return alert("SLA_ESCALATION:" + decision.getLeadId() + ":v" + decision.getDecisionVersion(), decision.getOwner(), channel,
                AlertKind.SLA_ESCALATION, title, decision, at);
    }

    /** Someone clicked a button of a lead that is not theirs, or of an alert that is out of date: only they see this. */
    public static RepAlert notTheOwner(LeadActivity click, String clickerRepId, String title, LeadRouted decision) {
        return RepAlert.newBuilder()
                .setAlertId("NOT_THE_OWNER:" + click.getActivityId())
                .setRepId(clickerRepId)
                .setSlackUserId(click.getActorSlackUserId())
                .setChannel(click.getSlackChannel())
                .setKind(AlertKind.NOT_THE_OWNER)
                .setTitle(title)
                .setCreatedAt(click.getOccurredAt())
                .setLeadId(decision == null ? click.getLeadId() : decision.getLeadId())
                .setLeadReceivedAt(decision == null ? null : decision.getLead().getReceivedAt())
                .setEphemeral(true)
                .build();
    }

    /** The lead's demo was cancelled or missed: the owner hears, and their round-robin share was credited back. */
    public static RepAlert booking(AlertKind kind, LeadRouted decision, LeadActivity activity, boolean credited) {
        String company = NewLeadAlert.titleCompany(decision.getLead());
        String title = (kind == AlertKind.NO_SHOW ? "No-show: " + company + " missed their demo" : "Demo cancelled: " + company)
                + (credited ? "; the lead no longer counts against your round-robin share or today's cap" : "");
        RepAlert.Builder alert = RepAlert.newBuilder(alert(kind + ":" + decision.getLeadId() + ":" + activity.getActivityId(),
                decision.getOwner(), null, kind, title, decision, activity.getOccurredAt()));
        if (activity.getDetail() != null && !activity.getDetail().isBlank()) {
            alert.setFields(List.of(new AlertField("Reason", activity.getDetail())));
        }
        return alert.build();
    }

    private static RepAlert alert(String alertId, Owner owner, String channel, AlertKind kind, String title, LeadRouted decision, Instant at) {
        return RepAlert.newBuilder()
                .setAlertId(alertId)
                .setRepId(owner.getRepId())
                .setSlackUserId(owner.getSlackUserId())
                .setChannel(channel)
                .setKind(kind)
                .setTitle(title)
                .setCreatedAt(at)
                .setLeadId(decision.getLeadId())
                .setLeadReceivedAt(decision.getLead().getReceivedAt())
                .build();
    }

    private static boolean sameOwner(Owner a, Owner b) {
        return a.getRepId().equals(b.getRepId());
    }
}
