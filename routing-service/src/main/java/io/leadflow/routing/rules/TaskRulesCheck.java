package io.leadflow.routing.rules;

import io.leadflow.avro.Pipeline;
import io.leadflow.routing.rules.RulesFile.TaskEntry;

import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;

/** The owner's CRM tasks of a rules file ({@code tasks:}), checked for {@link RulesLoader}, which reports each problem at its line. */
final class TaskRulesCheck {

    private final RulesLoader loader;

    TaskRulesCheck(RulesLoader loader) {
        this.loader = loader;
    }

    /**
     * The owner's CRM tasks per pipeline and for a booked demo ({@code DEMO}); optional, as decisions without tasks get
     * a neutral one in the CRM. Type and priority are checked by the binding, at their lines.
     */
    Map<String, List<TaskRule>> read(Map<String, List<TaskEntry>> declared) {
        Map<String, List<TaskRule>> tasks = new LinkedHashMap<>();
        if (declared == null) {
            return tasks;
        }
        declared.forEach((key, entries) -> {
            Pipeline pipeline = RulesBinding.constant(Pipeline.class, key);
            String section = "tasks." + key;
            if (!RulesLoader.DEMO_TASKS.equals(key) && (pipeline == null || pipeline == Pipeline.UNKNOWN)) {
                loader.problem(section, "unknown section '" + key + "', expected SELF_SERVE, HANDS_ON or DEMO");
                return;
            }
            Set<String> ids = new HashSet<>();
            List<TaskRule> rules = loader.values(entries, section, (entry, at) -> {
                if (!loader.id(entry.id(), at + ".id")) {
                    return null;
                }
                if (!ids.add(entry.id())) {
                    loader.problem(at + ".id", "duplicate task id '" + entry.id() + "'");
                }
                String subject = taskText(entry.subject(), at + ".subject");
                String body = taskText(entry.body(), at + ".body");
                Duration dueAfter = null;
                String due = entry.due() == null ? null : entry.due().trim();
                if ("now".equals(due)) {
                    dueAfter = Duration.ZERO;
                } else if ("demoStart".equals(due)) {
                    if (!RulesLoader.DEMO_TASKS.equals(key)) {
                        loader.problem(at + ".due", "'demoStart' is only for the DEMO tasks, which a booked demo has");
                    } else if (!ids.add("\0demoStart")) {
                        loader.problem(at + ".due", "only one task may be due at demoStart: it is the one moved with a rescheduled demo");
                    }
                } else if (due != null) {
                    dueAfter = loader.duration(due, at + ".due");
                    if (dueAfter == null) {
                        return null;
                    }
                }
                if (entry.type() == null || entry.priority() == null || due == null) {
                    return null;
                }
                return new TaskRule(entry.id(), subject, body, entry.type(), entry.priority(), dueAfter, loader.line(at));
            });
            tasks.put(RulesLoader.DEMO_TASKS.equals(key) ? key : pipeline.name(), List.copyOf(rules));
        });
        return tasks;
    }

    /** A task's subject or body, with placeholders checked against {@link RulesLoader#TASK_PLACEHOLDERS}. */
    private String taskText(String text, String path) {
        if (text == null) {
            return null;
        }
        Matcher matcher = RulesLoader.PLACEHOLDER.matcher(text);
        while (matcher.find()) {
            if (!RulesLoader.TASK_PLACEHOLDERS.contains(matcher.group(1))) {
                loader.problem(path, "unknown placeholder {" + matcher.group(1) + "}, expected one of " + new TreeSet<>(RulesLoader.TASK_PLACEHOLDERS));
            }
        }
        return text;
    }
}
