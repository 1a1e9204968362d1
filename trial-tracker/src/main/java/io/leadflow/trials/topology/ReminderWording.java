package io.leadflow.trials.topology;

import io.leadflow.avro.Deployment;
import io.leadflow.avro.ReminderKind;
import io.leadflow.avro.ReminderTask;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.exc.UnrecognizedPropertyException;
import tools.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What each trial reminder says, read from a wording file (the handbook's by default,
 * {@value #DEFAULT_RESOURCE}): title, summary, actions and the CRM task per {@link ReminderKind}. The words travel on
 * the events, so no consumer keeps a copy. A file that loads has every kind, every required text and only known
 * placeholders; otherwise loading fails naming every problem.
 */
public final class ReminderWording {

    /** The handbook's wording, used when no other file is configured. */
    public static final String DEFAULT_RESOURCE = "reminders/handbook-reminders.yml";

    /** What a text may quote from the reminder. */
    public static final Set<String> PLACEHOLDERS = Set.of("company", "customer", "days", "daysLeft", "endsOn", "bookingUrl");
    /** Placeholders that may be missing (the owner has no booking page): only actions may name them, and such a line is left out. */
    static final Set<String> OPTIONAL_PLACEHOLDERS = Set.of("bookingUrl");

    static final Set<String> TASK_TYPES = Set.of("CALL", "EMAIL", "TODO");
    static final Set<String> TASK_PRIORITIES = Set.of("LOW", "MEDIUM", "HIGH");

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z]+)}");
    private static final ObjectMapper YAML = YAMLMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    /**
     * A reminder kind that is in no wording file (an {@code UNKNOWN} kind): a neutral title and nothing else, since
     * there is no handbook text for what we do not know.
     */
    private static final Words UNKNOWN = new Words("Evaluation reminder: {company}", null, List.of(), List.of(), null);

    private static volatile ReminderWording handbook;

    private final Map<ReminderKind, Words> byKind;

    private ReminderWording(Map<ReminderKind, Words> byKind) {
        this.byKind = byKind;
    }

    /** The words of one reminder kind, with placeholders. */
    record Words(String title, String summary, List<String> actions, List<String> selfHostedActions, Task task) {

        Words {
            actions = actions == null ? List.of() : List.copyOf(actions);
            selfHostedActions = selfHostedActions == null ? List.of() : List.copyOf(selfHostedActions);
        }
    }

    /** The CRM task of a reminder kind, with placeholders. */
    record Task(String subject, String body, String type, String priority) {
    }

    /** The wording file's shape. */
    record WordingFile(Map<String, Words> reminders) {
    }

    /** The handbook's wording from the classpath, read once. */
    public static ReminderWording handbook() {
        ReminderWording loaded = handbook;
        if (loaded == null) {
            try (InputStream in = ReminderWording.class.getClassLoader().getResourceAsStream(DEFAULT_RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException(DEFAULT_RESOURCE + " is missing from the classpath");
                }
                loaded = load(in, "classpath:" + DEFAULT_RESOURCE);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            handbook = loaded;
        }
        return loaded;
    }

    /**
     * Reads and checks a wording file.
     *
     * @param origin where it came from, for the problems' messages
     * @throws IllegalArgumentException naming every problem of the file
     */
    public static ReminderWording load(InputStream in, String origin) {
        WordingFile file;
        try {
            file = YAML.readValue(in, WordingFile.class);
        } catch (UnrecognizedPropertyException e) {
            throw new IllegalArgumentException(origin + " is not a valid reminder wording file: unknown key '"
                    + e.getPropertyName() + "', expected one of " + e.getKnownPropertyIds() + near(e));
        } catch (JacksonException e) {
            throw new IllegalArgumentException(origin + " is not a valid reminder wording file: " + e.getOriginalMessage() + near(e));
        }
        List<String> problems = new ArrayList<>();
        Map<ReminderKind, Words> byKind = new EnumMap<>(ReminderKind.class);
        Map<String, Words> declared = file == null || file.reminders() == null ? Map.of() : file.reminders();
        declared.forEach((name, words) -> {
            ReminderKind kind = kindOf(name);
            if (kind == null) {
                problems.add("reminders." + name + ": unknown reminder kind, expected one of " + kinds());
            } else if (words == null) {
                problems.add("reminders." + name + ": is empty");
            } else {
                check("reminders." + name, words, problems);
                byKind.put(kind, words);
            }
        });
        for (ReminderKind kind : ReminderKind.values()) {
            if (kind != ReminderKind.UNKNOWN && !declared.containsKey(kind.name())) {
                problems.add("reminders." + kind.name() + ": is required: the words of that reminder");
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(origin + " is not a valid reminder wording file (" + problems.size()
                    + (problems.size() == 1 ? " problem): " : " problems): ") + String.join("; ", problems));
        }
        return new ReminderWording(byKind);
    }

    private static String near(JacksonException e) {
        return e.getLocation() == null ? "" : " (near line " + e.getLocation().getLineNr() + ")";
    }

    private static void check(String at, Words words, List<String> problems) {
        text(at + ".title", words.title(), problems);
        onlyRequired(at + ".title", words.title(), problems);
        text(at + ".summary", words.summary(), problems);
        onlyRequired(at + ".summary", words.summary(), problems);
        if (words.actions().isEmpty()) {
            problems.add(at + ".actions: is required: what to do, one line each");
        }
        for (int i = 0; i < words.actions().size(); i++) {
            text(at + ".actions[" + i + "]", words.actions().get(i), problems);
        }
        for (int i = 0; i < words.selfHostedActions().size(); i++) {
            text(at + ".selfHostedActions[" + i + "]", words.selfHostedActions().get(i), problems);
        }
        Task task = words.task();
        if (task != null) {
            text(at + ".task.subject", task.subject(), problems);
            onlyRequired(at + ".task.subject", task.subject(), problems);
            text(at + ".task.body", task.body(), problems);
            onlyRequired(at + ".task.body", task.body(), problems);
            if (!TASK_TYPES.contains(task.type())) {
                problems.add(at + ".task.type: must be one of " + sorted(TASK_TYPES) + ", was " + task.type());
            }
            if (!TASK_PRIORITIES.contains(task.priority())) {
                problems.add(at + ".task.priority: must be one of " + sorted(TASK_PRIORITIES) + ", was " + task.priority());
            }
        }
    }

    private static void text(String at, String text, List<String> problems) {
        if (text == null || text.isBlank()) {
            problems.add(at + ": is required");
            return;
        }
        Matcher placeholder = PLACEHOLDER.matcher(text);
        while (placeholder.find()) {
            if (!PLACEHOLDERS.contains(placeholder.group(1))) {
                problems.add(at + ": unknown placeholder {" + placeholder.group(1) + "}, expected one of " + sorted(PLACEHOLDERS));
            }
        }
    }

    /** A text that is never left out (title, summary, task) may not name a placeholder that can be missing. */
    private static void onlyRequired(String at, String text, List<String> problems) {
        if (text == null) {
            return;
        }
        Matcher placeholder = PLACEHOLDER.matcher(text);
        while (placeholder.find()) {
            if (OPTIONAL_PLACEHOLDERS.contains(placeholder.group(1))) {
                problems.add(at + ": {" + placeholder.group(1) + "} may be missing, so only actions may name it");
            }
        }
    }

    private static ReminderKind kindOf(String name) {
        for (ReminderKind kind : ReminderKind.values()) {
            if (kind != ReminderKind.UNKNOWN && kind.name().equals(name)) {
                return kind;
            }
        }
        return null;
    }

    private static List<String> kinds() {
        return java.util.Arrays.stream(ReminderKind.values()).filter(k -> k != ReminderKind.UNKNOWN).map(Enum::name).toList();
    }

    private static List<String> sorted(Set<String> values) {
        return values.stream().sorted().toList();
    }

    /** The words of {@code kind}; a kind without any (UNKNOWN) gets a neutral title only. */
    Words of(ReminderKind kind) {
        return byKind.getOrDefault(kind, UNKNOWN);
    }

    /** {@code kind}'s title with the placeholders filled in. */
    String title(ReminderKind kind, Map<String, String> values) {
        return fill(of(kind).title(), values);
    }

    /** {@code kind}'s summary, or null when it has none. */
    String summary(ReminderKind kind, Map<String, String> values) {
        String summary = of(kind).summary();
        return summary == null ? null : fill(summary, values);
    }

    /** {@code kind}'s actions, the self-hosted ones added for a self-hosted evaluation. */
    List<String> actions(ReminderKind kind, Deployment deployment, Map<String, String> values) {
        Words words = of(kind);
        List<String> actions = new ArrayList<>();
        words.actions().stream().filter(action -> resolvable(action, values)).forEach(action -> actions.add(fill(action, values)));
        if (deployment == Deployment.SELF_HOSTED) {
            words.selfHostedActions().stream().filter(action -> resolvable(action, values))
                    .forEach(action -> actions.add(fill(action, values)));
        }
        return actions;
    }

    /** False for a line naming an optional placeholder without a value (the owner has no booking page): it is left out. */
    private static boolean resolvable(String text, Map<String, String> values) {
        Matcher placeholder = PLACEHOLDER.matcher(text);
        while (placeholder.find()) {
            if (OPTIONAL_PLACEHOLDERS.contains(placeholder.group(1)) && values.get(placeholder.group(1)) == null) {
                return false;
            }
        }
        return true;
    }

    /** {@code kind}'s CRM task, or null when it asks for none. */
    ReminderTask task(ReminderKind kind, Map<String, String> values) {
        Task task = of(kind).task();
        return task == null ? null
                : new ReminderTask(fill(task.subject(), values), fill(task.body(), values), task.type(), task.priority());
    }

    /** {@code text} with each known placeholder replaced by its value, in one pass (a value is never read again). */
    static String fill(String text, Map<String, String> values) {
        Matcher placeholder = PLACEHOLDER.matcher(text);
        StringBuilder filled = new StringBuilder(text.length() + 32);
        while (placeholder.find()) {
            String value = values.get(placeholder.group(1));
            placeholder.appendReplacement(filled, Matcher.quoteReplacement(value != null ? value : placeholder.group()));
        }
        placeholder.appendTail(filled);
        return filled.toString();
    }
}
