package io.leadflow.routing.decide;

import io.leadflow.avro.LeadReceived;
import io.leadflow.avro.LeadTask;
import io.leadflow.avro.Pipeline;
import io.leadflow.routing.rules.RoutingRules;
import io.leadflow.routing.rules.TaskRule;
import io.leadflow.schemas.LeadNames;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The owner's CRM tasks for a routed lead: the rules' tasks for its pipeline, then for a booked demo the demo tasks,
 * with {company}, {person}, {demoTime} and {booking} filled from the lead, so the CRM only writes them down.
 */
final class LeadTasks {

    private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);

    private LeadTasks() {
    }

    static List<LeadTask> of(RoutingRules rules, Pipeline pipeline, LeadReceived lead) {
        List<TaskRule> chosen = new ArrayList<>(rules.tasks(pipeline));
        if (lead.getDemo() != null) {
            chosen.addAll(rules.demoTasks());
        }
        Map<String, String> words = words(lead);
        return chosen.stream().map(task -> LeadTask.newBuilder()
                .setId(task.id())
                .setSubject(fill(task.subject(), words))
                .setBody(fill(task.body(), words))
                .setType(task.type().name())
                .setPriority(task.priority().name())
                .setDue(task.dueAtDemoStart() ? "demoStart" : task.dueAfter().toString())
                .build()).toList();
    }

    private static Map<String, String> words(LeadReceived lead) {
        var demo = lead.getDemo();
        String booking = demo == null || demo.getBookingUrl() == null || demo.getBookingUrl().isBlank() ? "" : "\nBooking: " + demo.getBookingUrl();
        return Map.of("company", LeadNames.company(lead), "person", LeadNames.person(lead),
                "demoTime", demo == null ? "" : MINUTE.format(demo.getStartsAt()), "booking", booking);
    }

    /** One left-to-right pass; what a placeholder brings in is never read again. */
    private static String fill(String template, Map<String, String> words) {
        StringBuilder out = new StringBuilder(template.length() + 64);
        int i = 0;
        while (i < template.length()) {
            int open = template.indexOf('{', i);
            int close = open < 0 ? -1 : template.indexOf('}', open);
            String word = close < 0 ? null : words.get(template.substring(open + 1, close));
            if (word == null) {
                int next = open < 0 ? template.length() : open + 1;
                out.append(template, i, next);
                i = next;
            } else {
                out.append(template, i, open).append(word);
                i = close + 1;
            }
        }
        return out.toString();
    }
}
