package io.leadflow.crm.sync;

import io.leadflow.avro.LeadReceived;
import io.leadflow.avro.LeadRouted;
import io.leadflow.avro.LeadSource;
import io.leadflow.avro.Pipeline;
import io.leadflow.avro.ReminderKind;
import io.leadflow.avro.ReminderTask;
import io.leadflow.avro.RoutingFlag;
import io.leadflow.avro.RoutingReason;
import io.leadflow.avro.TrialReminder;

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

    static final String SELF_SERVE_FOLLOW_UP = "Send follow-up email";
    static final String SLACK_CONNECT = "Set up shared Slack Connect channel";
    static final String KICK_OFF = "Schedule kick-off call";
    static final String DEMO_CALL = "Demo call with";

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

    static String companyLabel(LeadReceived lead) {
        String name = lead.getContact().getCompanyName();
        if (name != null && !name.isBlank()) {
            return name;
        }
        String domain = lead.getContact().getCompanyDomain();
        if (domain != null && !domain.isBlank()) {
            return domain;
        }
        String email = lead.getContact().getEmail();
        return email.substring(email.indexOf('@') + 1);
    }

    static String pipelineLabel(Pipeline pipeline) {
        return pipeline == Pipeline.HANDS_ON ? "Hands-on" : "Self-serve";
    }

    static String dealName(LeadRouted routed) {
        return companyLabel(routed.getLead()) + " – " + pipelineLabel(routed.getPipeline());
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
        html.append("<p>From ").append(escape(person(lead))).append(".</p>");
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
        html.append("<p>").append(escape(person(lead))).append(" moved the demo booked for ").append(time(previousStart))
                .append(".</p>");
        if (lead.getDemo().getBookingUrl() != null && !lead.getDemo().getBookingUrl().isBlank()) {
            html.append("<p>Booking: ").append(escape(lead.getDemo().getBookingUrl())).append("</p>");
        }
        return html.toString();
    }

    private static String person(LeadReceived lead) {
        var contact = lead.getContact();
        StringBuilder name = new StringBuilder();
        if (contact.getFirstName() != null && !contact.getFirstName().isBlank()) {
            name.append(contact.getFirstName().trim());
        }
        if (contact.getLastName() != null && !contact.getLastName().isBlank()) {
            name.append(name.isEmpty() ? "" : " ").append(contact.getLastName().trim());
        }
        if (contact.getTitle() != null && !contact.getTitle().isBlank()) {
            name.append(name.isEmpty() ? "" : ", ").append(contact.getTitle().trim());
        }
        return name.isEmpty() ? contact.getEmail() : name + " (" + contact.getEmail() + ")";
    }

    /**
     * The owner's tasks for a newly routed lead, by pipeline (handbook: Self-serve / Hands-on pipeline), and for a booked
     * demo the demo call itself, due when it starts.
     */
    static List<Task> leadTasks(LeadRouted routed) {
        String leadId = routed.getLeadId();
        Instant routedAt = routed.getRoutedAt();
        String company = companyLabel(routed.getLead());
        List<Task> tasks = new ArrayList<>();
        if (routed.getPipeline() == Pipeline.HANDS_ON) {
            tasks.add(task("task:" + leadId + ":slack-connect", SLACK_CONNECT + " with " + company, """
                    Set up a shared public Slack channel with %s using Slack Connect in our workspace, and pull the relevant \
                    team members in at the right time to help with:
                    1. Deploying and tuning a self-hosted instance
                    2. Product feedback
                    3. Anything else to make the customer successful""".formatted(company),
                    routedAt.plus(Duration.ofDays(1)), "TODO", "HIGH", routed));
            tasks.add(task("task:" + leadId + ":kick-off", KICK_OFF + " with " + company, """
                    Schedule the kick-off call with %s to agree the plan for:
                    1. Event ingestion (Autocapture is preferable)
                    2. Actions and cohorts setup
                    3. Required insights and dashboards
                    4. Extra features such as feature flags, experiments and apps""".formatted(company),
                    routedAt.plus(Duration.ofDays(2)), "CALL", "HIGH", routed));
        } else {
            tasks.add(task("task:" + leadId + ":follow-up", SELF_SERVE_FOLLOW_UP + " to " + company, """
                    After the initial call, send %s a follow-up email covering:
                    1. Any unanswered questions which came up in the call
                    2. An invitation to join our User Slack
                    3. Entering credit card details to unlock the 1m monthly free events on Cloud or Scale""".formatted(company),
                    routedAt.plus(Duration.ofDays(1)), "EMAIL", "MEDIUM", routed));
        }
        if (routed.getLead().getDemo() != null) {
            var demo = routed.getLead().getDemo();
            String booking = demo.getBookingUrl() == null || demo.getBookingUrl().isBlank() ? "" : "\nBooking: " + demo.getBookingUrl();
            tasks.add(task(demoTaskKey(leadId), DEMO_CALL + " " + company, """
                    %s booked a demo for %s.%s
                    Understand what they want, give the demo if that is what they are there for, put the call notes on the \
                    deal, and agree whether they fit the hands-on or the self-serve pipeline.""".formatted(
                            person(routed.getLead()), time(demo.getStartsAt()), booking),
                    demo.getStartsAt(), "CALL", "HIGH", routed));
        }
        return tasks;
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

    /**
     * The task a trial reminder asks for, if any, in the words it carries: trial-tracker decides which reminders ask for
     * a task and what it says, so nothing here repeats the handbook.
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
        properties.put("hs_task_status", "NOT_STARTED");
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
