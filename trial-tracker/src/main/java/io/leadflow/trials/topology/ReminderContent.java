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
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A fired reminder as the {@link TrialReminder} record and the rep's {@link RepAlert}, in the words of the
 * {@link ReminderWording}: both events carry them, so their readers render what they carry.
 */
final class ReminderContent {

    static final String HUBSPOT_DEAL = "HubSpot deal";
    static final String UNASSIGNED = "unassigned";
    private static final DateTimeFormatter KICKOFF_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
            .withZone(ZoneOffset.UTC);

    private ReminderContent() {
    }

    static TrialReminder reminder(String trialId, ReminderCard trial, TrialContext context, ReminderKind kind,
                                  Instant dueAt, Instant firedAt, boolean late, ReminderWording wording) {
        Instant endsAt = Instant.ofEpochMilli(trial.endsAt());
        String companyName = context == null ? null : context.company();
        String dealId = trial.dealId() != null ? trial.dealId() : context == null ? null : context.dealId();
        int daysLeft = Schedule.daysLeft(firedAt, endsAt);
        Map<String, String> values = placeholders(companyName, dealId, daysLeft, endsAt,
                context == null || context.owner() == null ? null : context.owner().bookingUrl());
        return TrialReminder.newBuilder()
                .setReminderId(Schedule.reminderId(trialId, kind, dueAt))
                .setTrialId(trialId)
                .setKind(kind)
                .setDueAt(dueAt)
                .setFiredAt(firedAt)
                .setDaysLeft(daysLeft)
                .setOwner(context == null || context.owner() == null ? null : context.owner().toAvro())
                .setLate(late)
                .setDealId(dealId)
                .setDealUrl(context == null ? null : context.dealUrl())
                .setLeadId(trial.leadId() != null ? trial.leadId() : context == null ? null : context.leadId())
                .setCompanyName(companyName)
                .setEndsAt(endsAt)
                // the words travel on the reminder, so that its readers keep no copy of them
                .setTitle(wording.title(kind, values))
                .setActions(wording.actions(kind, trial.deployment(), values))
                .setTask(wording.task(kind, values))
                .build();
    }

    /**
     * The alert for the reminder's owner, or for {@code unownedChannel} when the owner is unknown; null when neither.
     * Its title and actions are the reminder's, its summary the wording's.
     */
    static RepAlert alert(TrialReminder reminder, Deployment deployment, String unownedChannel, ReminderWording wording) {
        boolean owned = reminder.getOwner() != null;
        if (!owned && unownedChannel.isEmpty()) {
            return null;
        }
        Map<String, String> values = placeholders(reminder.getCompanyName(), reminder.getDealId(), reminder.getDaysLeft(),
                reminder.getEndsAt(), owned ? reminder.getOwner().getBookingUrl() : null);
        String company = values.get("company");
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
                .setTitle(reminder.getTitle())
                .setSummary(wording.summary(reminder.getKind(), values))
                .setFields(fields)
                .setReasons(List.of())
                .setFlags(flags)
                .setActions(List.copyOf(reminder.getActions()))
                .setLinks(links)
                .setCreatedAt(reminder.getFiredAt())
                .setLeadId(reminder.getLeadId())
                .setTrialId(reminder.getTrialId())
                .setLeadReceivedAt(null)
                .build();
    }

    /**
     * The update of a fired kick-off reminder's alert once the customer booked the call: the owner's message (alert
     * {@code reminderId}) now says when the kick-off is, with the same company, deal and days left; posted anew when
     * that message is unknown. Null when the reminder went to nobody.
     */
    static RepAlert kickoffBookedAlert(TrialReminder completed, Instant kickoffAt, String unownedChannel) {
        boolean owned = completed.getOwner() != null;
        if (!owned && unownedChannel.isEmpty()) {
            return null;
        }
        String company = placeholders(completed.getCompanyName(), completed.getDealId(), completed.getDaysLeft(),
                completed.getEndsAt(), null).get("company");
        String at = KICKOFF_TIME.format(kickoffAt);
        List<AlertField> fields = List.of(new AlertField("Company", company), new AlertField("Kick-off", at),
                new AlertField("Ends", completed.getEndsAt().atZone(ZoneOffset.UTC).toLocalDate().toString()));
        return RepAlert.newBuilder()
                .setAlertId(completed.getReminderId() + ":booked")
                .setUpdatesAlertId(completed.getReminderId())
                .setRepId(owned ? completed.getOwner().getRepId() : UNASSIGNED)
                .setSlackUserId(owned ? completed.getOwner().getSlackUserId() : null)
                .setChannel(owned ? null : unownedChannel)
                .setKind(AlertKind.TRIAL_KICKOFF)
                .setTitle("Kick-off booked for " + at + ": " + company)
                .setSummary(company + " booked the kick-off call; the reminder is done")
                .setFields(fields)
                .setReasons(List.of())
                .setFlags(List.of())
                .setActions(List.of())
                .setLinks(completed.getDealUrl() == null ? List.of() : List.of(new AlertLink(HUBSPOT_DEAL, completed.getDealUrl())))
                .setCreatedAt(completed.getCompletedAt())
                .setLeadId(completed.getLeadId())
                .setTrialId(completed.getTrialId())
                .setLeadReceivedAt(null)
                .build();
    }

    /**
     * What the wording's placeholders stand for ({@link ReminderWording#PLACEHOLDERS}); {@code bookingUrl}, the owner's
     * booking page, only when the owner has one (an action naming it is left out otherwise).
     */
    static Map<String, String> placeholders(String companyName, String dealId, int daysLeft, Instant endsAt, String bookingUrl) {
        Map<String, String> values = new HashMap<>(Map.of(
                "company", companyName != null ? companyName : dealId != null ? "deal " + dealId : "an unknown company",
                "customer", companyName != null ? companyName : "the customer",
                "days", daysLeft == 1 ? "1 day" : daysLeft + " days",
                "daysLeft", Integer.toString(daysLeft),
                "endsOn", endsAt.atZone(ZoneOffset.UTC).toLocalDate().toString()));
        if (bookingUrl != null && !bookingUrl.isBlank()) {
            values.put("bookingUrl", bookingUrl);
        }
        return values;
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
}
