package io.leadflow.crm.sync;

import io.leadflow.avro.LeadReceived;
import io.leadflow.avro.LeadRouted;
import io.leadflow.avro.LeadSource;
import io.leadflow.avro.LeadTask;
import io.leadflow.avro.Pipeline;
import io.leadflow.avro.ReminderKind;
import io.leadflow.avro.ReminderTask;
import io.leadflow.avro.RoutingFlag;
import io.leadflow.avro.RoutingReason;
import io.leadflow.avro.TrialReminder;
import io.leadflow.schemas.LeadNames;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What crm-sync writes into HubSpot for a lead or a reminder: the deal's name, the note (message, routing reasons and
 * flags) and the owner's tasks (a reminder's in the words it carries). Keys are deterministic so a replay finds, not repeats, them.
 */
final class Activities {

    /** The subject of the one task a decision from before decisions carried their tasks gets. */
    static final String NEUTRAL_SUBJECT = "Follow up on this lead";

    /** A carried task's {@code due} for "when the booked demo starts". */
    static final String DEMO_START = "demoStart";

    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);

    /**
     * The kinds of reminder that asked for a task before reminders carried their words: a reminder of these kinds
     * written then (no title, no task) still gets one.
     */
    private static final Set<ReminderKind> TASK_KINDS_BEFORE_WORDS = EnumSet.of(ReminderKind.REVIEW_CALL_DUE, ReminderKind.CHECK_IN);

    private Activities() {
    }

    /** A task to create: deterministic key and HubSpot task properties. */
    record Task(String key, Map<String, Object> properties) {
    }

    static String noteKey(String leadId) {
        return "note:" + leadId;
    }

    /** The note saying a lead's demo moved to {@code startsAt}: one per new start, so a replay finds it. */
    static String rescheduleNoteKey(String leadId, Instant startsAt) {
        return "note:" + leadId + ":demo:" + startsAt.toEpochMilli();
    }

    /** The note saying a lead went to another owner with decision version {@code version}: one per version. */
    static String reassignNoteKey(String leadId, int version) {
        return "note:" + leadId + ":v" + version;
    }

    /** The note saying who owns the lead now, who did before, and why. */
    static String reassignNoteBody(LeadRouted routed) {
        StringBuilder html = new StringBuilder();
        html.append("<p><strong>Leadflow: reassigned to ").append(escape(routed.getOwner().getName())).append("</strong></p>");
        if (routed.getPreviousOwner() != null) {
            html.append("<p>Previous owner: ").append(escape(routed.getPreviousOwner().getName())).append(".</p>");
        }
        if (routed.getChangeReason() != null && !routed.getChangeReason().isBlank()) {
            html.append("<p>").append(escape(routed.getChangeReason())).append("</p>");
        }
        html.append("<p>Decision version ").append(routed.getDecisionVersion()).append(".</p>");
        return html.toString();
    }

    /** The owner's task for a booked demo, due when the demo starts; moved when the demo is rescheduled. */
    static String demoTaskKey(String leadId) {
        return "task:" + leadId + ":demo";
    }

    static String time(Instant instant) {
        return MINUTE.format(instant);
    }

    static String pipelineLabel(Pipeline pipeline) {
        return pipeline == Pipeline.HANDS_ON ? "Hands-on" : "Self-serve";
    }

    static String dealName(LeadRouted routed) {
        return LeadNames.company(routed.getLead()) + " – " + pipelineLabel(routed.getPipeline());
    }

    static String dealDescription(LeadRouted routed) {
        LeadReceived lead = routed.getLead();
        List<String> parts = new ArrayList<>();
        parts.add("Recommended plan: " + title(routed.getRecommendedPlan().name()));
        parts.add("Plan interest: " + title(lead.getPlanInterest().name()));
        if (lead.getMonthlyActiveUsers() != null) {
            parts.add("Monthly active users: " + String.format("%,d", lead.getMonthlyActiveUsers()));
        }
        if (lead.getMonthlyEvents() != null) {
            parts.add("Monthly events: " + String.format("%,d", lead.getMonthlyEvents()));
        }
        parts.add("Leadflow lead " + routed.getLeadId());
        return String.join(". ", parts) + ".";
    }

    /** The note on the contact and the deal: where the lead came from, what it said, and why it was routed so. */
    static String noteBody(LeadRouted routed) {
        LeadReceived lead = routed.getLead();
        StringBuilder html = new StringBuilder();
        html.append("<p><strong>Leadflow: new lead from ").append(escape(source(lead))).append("</strong></p>");
        if (lead.getMessage() != null && !lead.getMessage().isBlank()) {
            html.append("<p>").append(escape(lead.getMessage()).replace("\n", "<br>")).append("</p>");
        }
        html.append("<p>Routed to the ").append(pipelineLabel(routed.getPipeline())).append(" pipeline; recommended plan ")
                .append(title(routed.getRecommendedPlan().name())).append("; owner ").append(escape(routed.getOwner().getName()))
                .append(".</p>");
        if (!routed.getReasons().isEmpty()) {
            html.append("<p>Why:</p><ul>");
            for (RoutingReason reason : routed.getReasons()) {
                html.append("<li>").append(escape(reason.getExplanation())).append("</li>");
            }
            html.append("</ul>");
        }
        if (!routed.getFlags().isEmpty()) {
            html.append("<p>Flags:</p><ul>");
            for (RoutingFlag flag : routed.getFlags()) {
                html.append("<li>").append(escape(flag.getExplanation())).append("</li>");
            }
            html.append("</ul>");
        }
        return html.toString();
    }

    /**
     * The note on a deal another lead of the same person or company already opened: who it is from, where it came from
     * (with the booking time of a demo), and what it said.
     */
    static String attachedNoteBody(LeadRouted routed) {
        LeadReceived lead = routed.getLead();
        StringBuilder html = new StringBuilder();
        html.append("<p><strong>Leadflow: another lead for this deal, from ").append(escape(source(lead))).append("</strong></p>");
        html.append("<p>From ").append(escape(LeadNames.person(lead))).append(".</p>");
        if (lead.getMessage() != null && !lead.getMessage().isBlank()) {
            html.append("<p>").append(escape(lead.getMessage()).replace("\n", "<br>")).append("</p>");
        }
        if (lead.getDemo() != null && lead.getDemo().getBookingUrl() != null && !lead.getDemo().getBookingUrl().isBlank()) {
            html.append("<p>Booking: ").append(escape(lead.getDemo().getBookingUrl())).append("</p>");
        }
        html.append("<p>Routed to the ").append(pipelineLabel(routed.getPipeline())).append(" pipeline; recommended plan ")
                .append(title(routed.getRecommendedPlan().name())).append("; owner ").append(escape(routed.getOwner().getName()))
                .append(".</p>");
        return html.toString();
    }

    /** The note saying the lead's demo moved, and from when. */
    static String rescheduleNoteBody(LeadRouted routed, Instant previousStart) {
        LeadReceived lead = routed.getLead();
        StringBuilder html = new StringBuilder();
        html.append("<p><strong>Demo rescheduled to ").append(time(lead.getDemo().getStartsAt())).append("</strong></p>");
        html.append("<p>").append(escape(LeadNames.person(lead))).append(" moved the demo booked for ").append(time(previousStart))
                .append(".</p>");
        if (lead.getDemo().getBookingUrl() != null && !lead.getDemo().getBookingUrl().isBlank()) {
            html.append("<p>Booking: ").append(escape(lead.getDemo().getBookingUrl())).append("</p>");
        }
        return html.toString();
    }

    /**
     * The owner's tasks for a newly routed lead, in the words the decision carries: routing takes them from its rules
     * file (one task list per pipeline and one for a booked demo, placeholders filled), so nothing here repeats the
     * handbook. A task due at {@code demoStart} is due when the booked demo starts and moves with it.
     */
    static List<Task> leadTasks(LeadRouted routed) {
        String leadId = routed.getLeadId();
        List<LeadTask> carried = routed.getTasks();
        if (carried == null) {
            // A decision made before decisions carried their tasks: one neutral task, so the owner still has something
            // to do, rather than a second copy of the handbook's words here.
            return List.of(task("task:" + leadId + ":follow-up", NEUTRAL_SUBJECT + ": " + LeadNames.company(routed.getLead()),
                    "Follow up on this lead, routed to the " + pipelineLabel(routed.getPipeline()) + " pipeline; see the note for why.",
                    routed.getRoutedAt(), "TODO", "MEDIUM", routed));
        }
        List<Task> tasks = new ArrayList<>();
        for (LeadTask task : carried) {
            // the demo call keeps the key a rescheduled demo's task is looked up by
            String key = DEMO_START.equals(task.getDue()) ? demoTaskKey(leadId) : "task:" + leadId + ":" + task.getId().toLowerCase(Locale.ROOT);
            tasks.add(task(key, task.getSubject(), task.getBody(),
                    due(task, routed), task.getType(), task.getPriority(), routed));
        }
        return tasks;
    }

    /** When a carried task is due: when the booked demo starts, or its duration after routing. */
    private static Instant due(LeadTask task, LeadRouted routed) {
        if (DEMO_START.equals(task.getDue())) {
            return routed.getLead().getDemo() != null ? routed.getLead().getDemo().getStartsAt() : routed.getRoutedAt();
        }
        try {
            return routed.getRoutedAt().plus(Duration.parse(task.getDue()));
        } catch (java.time.format.DateTimeParseException e) {
            return routed.getRoutedAt();
        }
    }

    private static Task task(String key, String subject, String body, Instant due, String type, String priority, LeadRouted routed) {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("hs_timestamp", due.toString());
        properties.put("hs_task_subject", subject);
        properties.put("hs_task_body", body);
        properties.put("hs_task_status", "NOT_STARTED");
        properties.put("hs_task_priority", priority);
        properties.put("hs_task_type", type);
        if (routed.getOwner().getHubspotOwnerId() != null) {
            properties.put("hubspot_owner_id", routed.getOwner().getHubspotOwnerId());
        }
        return new Task(key, properties);
    }

    /** HubSpot's {@code hs_task_status} of a done task. */
    static final String COMPLETED = "COMPLETED";

    /**
     * The task a trial reminder asks for, if any, in the words it carries: trial-tracker decides which reminders ask for
     * a task and what it says, so nothing here repeats the handbook. A reminder repeated with {@code completedAt} (the
     * customer booked the kick-off) asks for the same task, completed.
     */
    static Optional<Task> reminderTask(TrialReminder reminder) {
        ReminderTask task = reminder.getTask();
        if (task == null && reminder.getTitle() == null && TASK_KINDS_BEFORE_WORDS.contains(reminder.getKind())) {
            task = unspokenTask(reminder);
        }
        if (task == null) {
            return Optional.empty();
        }
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("hs_timestamp", reminder.getDueAt().toString());
        properties.put("hs_task_subject", task.getSubject());
        properties.put("hs_task_body", task.getBody());
        // https://developers.hubspot.com/docs/api/crm/tasks: hs_task_status is COMPLETED or NOT_STARTED
        properties.put("hs_task_status", reminder.getCompletedAt() != null ? COMPLETED : "NOT_STARTED");
        properties.put("hs_task_priority", task.getPriority());
        properties.put("hs_task_type", task.getType());
        if (reminder.getOwner() != null && reminder.getOwner().getHubspotOwnerId() != null) {
            properties.put("hubspot_owner_id", reminder.getOwner().getHubspotOwnerId());
        }
        // keys are lower case: HubSpot matches IN filters on text properties in lower case
        return Optional.of(new Task("task:" + reminder.getReminderId().toLowerCase(Locale.ROOT), properties));
    }

    /**
     * The task of a reminder written before reminders carried their words. Neutral on purpose: the handbook's words live
     * in trial-tracker's wording file alone, so this says only what the reminder itself says (what, when, days left).
     */
    private static ReminderTask unspokenTask(TrialReminder reminder) {
        String company = reminder.getCompanyName() != null ? reminder.getCompanyName() : "the customer";
        return new ReminderTask("Evaluation reminder: " + company,
                "Evaluation reminder (%s) for %s: the evaluation ends on %s (%d days left)."
                        .formatted(reminder.getKind().name().toLowerCase(Locale.ROOT).replace('_', ' '), company,
                                DAY.format(reminder.getEndsAt()), reminder.getDaysLeft()),
                "TODO", "MEDIUM");
    }

    private static String source(LeadReceived lead) {
        if (lead.getSource() == LeadSource.DEMO_BOOKING && lead.getDemo() != null) {
            return "a demo booking for " + time(lead.getDemo().getStartsAt());
        }
        return switch (lead.getSource()) {
            case WEBSITE_FORM -> "the website form";
            case EMAIL -> "an email";
            case DEMO_BOOKING -> "a demo booking";
            default -> "an unknown source";
        };
    }

    private static String title(String enumName) {
        String lower = enumName.toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
        return Character.toUpperCase(lower.charAt(0)) + lower.substring(1);
    }

    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
