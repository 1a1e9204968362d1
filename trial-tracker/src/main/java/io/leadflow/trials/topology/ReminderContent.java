package io.leadflow.trials.topology;

import io.leadflow.avro.AlertField;
import io.leadflow.avro.AlertKind;
import io.leadflow.avro.AlertLink;
import io.leadflow.avro.Deployment;
import io.leadflow.avro.ReminderKind;
import io.leadflow.avro.RepAlert;
import io.leadflow.avro.TrialReminder;
import io.leadflow.trials.timers.Schedule;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/** The words of a fired reminder: the {@link TrialReminder} record and the rep's {@link RepAlert}. */
final class ReminderContent {

    static final String HUBSPOT_DEAL = "HubSpot deal";
    static final String UNASSIGNED = "unassigned";

    private ReminderContent() {
    }

    static TrialReminder reminder(String trialId, ReminderCard trial, TrialContext context, ReminderKind kind,
                                  Instant dueAt, Instant firedAt, boolean late) {
        Instant endsAt = Instant.ofEpochMilli(trial.endsAt());
        return TrialReminder.newBuilder()
                .setReminderId(Schedule.reminderId(trialId, kind, dueAt))
                .setTrialId(trialId)
                .setKind(kind)
                .setDueAt(dueAt)
                .setFiredAt(firedAt)
                .setDaysLeft(Schedule.daysLeft(firedAt, endsAt))
                .setOwner(context == null || context.owner() == null ? null : context.owner().toAvro())
                .setLate(late)
                .setDealId(trial.dealId() != null ? trial.dealId() : context == null ? null : context.dealId())
                .setDealUrl(context == null ? null : context.dealUrl())
                .setLeadId(trial.leadId() != null ? trial.leadId() : context == null ? null : context.leadId())
                .setCompanyName(context == null ? null : context.company())
                .setEndsAt(endsAt)
                .build();
    }

    /** The alert for the reminder's owner, or for {@code unownedChannel} when the owner is unknown; null when neither. */
    static RepAlert alert(TrialReminder reminder, Deployment deployment, String unownedChannel) {
        boolean owned = reminder.getOwner() != null;
        if (!owned && unownedChannel.isEmpty()) {
            return null;
        }
        String company = reminder.getCompanyName() != null ? reminder.getCompanyName()
                : reminder.getDealId() != null ? "deal " + reminder.getDealId() : "an unknown company";
        List<AlertField> fields = new ArrayList<>();
        fields.add(new AlertField("Company", company));
        fields.add(new AlertField("Days left", Integer.toString(reminder.getDaysLeft())));
        fields.add(new AlertField("Ends", reminder.getEndsAt().atZone(ZoneOffset.UTC).toLocalDate().toString()));
        if (deployment == Deployment.CLOUD) {
            fields.add(new AlertField("Deployment", "Cloud"));
        } else if (deployment == Deployment.SELF_HOSTED) {
            fields.add(new AlertField("Deployment", "Self-hosted"));
        }
        List<String> flags = new ArrayList<>();
        if (reminder.getLate()) {
            flags.add("Sent late: this fell due at " + reminder.getDueAt() + " while the trial tracker was not running");
        }
        if (!owned) {
            flags.add("No owner is known for this trial yet: please pick it up and assign it in HubSpot");
        }
        List<AlertLink> links = reminder.getDealUrl() == null ? List.of()
                : List.of(new AlertLink(HUBSPOT_DEAL, reminder.getDealUrl()));
        return RepAlert.newBuilder()
                .setAlertId(reminder.getReminderId())
                .setRepId(owned ? reminder.getOwner().getRepId() : UNASSIGNED)
                .setSlackUserId(owned ? reminder.getOwner().getSlackUserId() : null)
                .setChannel(owned ? null : unownedChannel)
                .setKind(alertKind(reminder.getKind()))
                .setTitle(title(reminder.getKind(), company, reminder.getDaysLeft()))
                .setFields(fields)
                .setReasons(List.of())
                .setFlags(flags)
                .setActions(actions(reminder.getKind(), deployment))
                .setLinks(links)
                .setCreatedAt(reminder.getFiredAt())
                .setLeadId(reminder.getLeadId())
                .setTrialId(reminder.getTrialId())
                .setLeadReceivedAt(null)
                .build();
    }

    static AlertKind alertKind(ReminderKind kind) {
        return switch (kind) {
            case KICKOFF -> AlertKind.TRIAL_KICKOFF;
            case CHECK_IN -> AlertKind.TRIAL_CHECK_IN;
            case REVIEW_CALL_DUE -> AlertKind.REVIEW_CALL_DUE;
            case EXPIRING -> AlertKind.TRIAL_EXPIRING;
            case EXPIRED -> AlertKind.TRIAL_EXPIRED;
            case UNKNOWN -> AlertKind.OTHER;
        };
    }

    static String title(ReminderKind kind, String company, int daysLeft) {
        return switch (kind) {
            case KICKOFF -> "Kick-off call: " + company + "'s evaluation starts (" + days(daysLeft) + ")";
            case CHECK_IN -> "Check in with " + company + " (" + days(daysLeft) + " left in the evaluation)";
            case REVIEW_CALL_DUE -> "Review call due: " + company + "'s evaluation ends in " + days(daysLeft);
            case EXPIRING -> company + "'s evaluation ends in " + days(daysLeft);
            case EXPIRED -> company + "'s evaluation has ended";
            case UNKNOWN -> "Evaluation reminder: " + company;
        };
    }

    /** What to do, in the handbook's words (hands-on pipeline, steps 2 and 4-6). */
    static List<String> actions(ReminderKind kind, Deployment deployment) {
        List<String> actions = new ArrayList<>();
        switch (kind) {
            case KICKOFF -> {
                actions.add("Schedule the kick-off call to agree the plan for event ingestion (autocapture is preferable)");
                actions.add("Agree the action and cohort setup");
                actions.add("Agree the required insights and dashboards");
                actions.add("Agree the extra features: feature flags, experiments, apps");
                if (deployment == Deployment.SELF_HOSTED) {
                    actions.add("Pull in the team to help deploy and tune the self-hosted instance");
                }
            }
            case CHECK_IN -> {
                actions.add("Check in with the customer to make sure they are getting value out of the evaluation");
                actions.add("Offer a call to help them, but only if they want or need it");
            }
            case REVIEW_CALL_DUE -> {
                actions.add("Schedule a call with the decision makers to review the progress");
                actions.add("Agree the commercial next steps");
            }
            case EXPIRING -> {
                actions.add("Make sure the review call with the decision makers is booked");
                actions.add("Agree the commercial next steps before the evaluation ends");
            }
            case EXPIRED -> {
                actions.add("Agree the commercial next steps with the decision makers");
                actions.add("Close the trial as converted, lost or abandoned, or extend it if you agreed to");
            }
            case UNKNOWN -> {
            }
        }
        return actions;
    }

    private static String days(int days) {
        return days == 1 ? "1 day" : days + " days";
    }
}
