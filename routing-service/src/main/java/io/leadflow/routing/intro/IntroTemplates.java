package io.leadflow.routing.intro;

import io.leadflow.avro.Pipeline;
import io.leadflow.avro.Plan;
import io.leadflow.routing.rules.InvalidFileException.Problem;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.TokenStreamContext;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The introduction emails' words, read from a templates file beside the rules file (data, not code): one template per
 * pipeline and plan, the first whose {@code when:} holds wins, and the last has no {@code when:} so every lead finds
 * one. Every problem is reported at once with its line and field, as the rules file's are.
 *
 * <pre>
 * anonymous: there                      # {firstName} for a lead who gave no first name
 * question: "You asked:\n\n{quoted}"    # {question} when the lead wrote something; {quoted}: their words, each line after "> "
 * booking: "Grab a time: {bookingUrl}"  # {booking} when the owner has a booking page
 * noBooking: "Reply with a time."       # {booking} when they have none
 * templates:
 *   - id: hands-on
 *     when: { pipeline: HANDS_ON, plan: ENTERPRISE }
 *     subject: "{company} and Leadflow"
 *     body: "Hi {firstName}, ..."
 * </pre>
 */
public final class IntroTemplates {

    /** The handbook's introduction emails, used when {@code leadflow.routing.intro-templates} is empty. */
    public static final String DEFAULT_RESOURCE = "rules/intro-emails.yml";

    static final Set<String> SUBJECT_PLACEHOLDERS = Set.of("firstName", "ownerName", "company");
    static final Set<String> BODY_PLACEHOLDERS = Set.of("firstName", "ownerName", "company", "question", "booking");
    static final Set<String> QUESTION_PLACEHOLDERS = Set.of("quoted", "firstName", "ownerName");
    static final Set<String> BOOKING_PLACEHOLDERS = Set.of("bookingUrl", "ownerName");
    static final Set<String> NO_BOOKING_PLACEHOLDERS = Set.of("ownerName");
    private static final Set<String> TOP_KEYS = Set.of("anonymous", "question", "booking", "noBooking", "templates");
    private static final Set<String> TEMPLATE_KEYS = Set.of("id", "when", "subject", "body");
    private static final Set<String> WHEN_KEYS = Set.of("pipeline", "plan");
    private static final int MAX_SUBJECT_TEMPLATE = 200;
    private static final int MAX_TEXT_TEMPLATE = 5_000;

    private static final ObjectMapper YAML = YAMLMapper.builder().build();

    /** One template: used for a lead whose pipeline and recommended plan match ({@code null}: any). */
    record Entry(String id, Pipeline pipeline, Plan plan, String subject, String body) {

        boolean matches(Pipeline leadPipeline, Plan leadPlan) {
            return (pipeline == null || pipeline == leadPipeline) && (plan == null || plan == leadPlan);
        }
    }

    private final String source;
    private final String anonymous;
    private final String question;
    private final String booking;
    private final String noBooking;
    private final List<Entry> templates;

    private IntroTemplates(String source, String anonymous, String question, String booking, String noBooking, List<Entry> templates) {
        this.source = source;
        this.anonymous = anonymous;
        this.question = question;
        this.booking = booking;
        this.noBooking = noBooking;
        this.templates = List.copyOf(templates);
    }

    public String source() {
        return source;
    }

    public List<String> ids() {
        return templates.stream().map(Entry::id).toList();
    }

    String anonymous() {
        return anonymous;
    }

    String question() {
        return question;
    }

    String booking() {
        return booking;
    }

    String noBooking() {
        return noBooking;
    }

    /** The first template whose {@code when:} holds; the file's last one holds for every lead. */
    Entry choose(Pipeline pipeline, Plan plan) {
        for (Entry entry : templates) {
            if (entry.matches(pipeline, plan)) {
                return entry;
            }
        }
        return templates.get(templates.size() - 1);
    }

    public static IntroTemplates load(Path path) {
        String source = path.toString();
        if (!Files.isRegularFile(path)) {
            throw new InvalidIntroTemplatesException(source, List.of(new Problem(0, null, "file not found or not a regular file")));
        }
        try {
            return parse(Files.readString(path, StandardCharsets.UTF_8), source);
        } catch (IOException e) {
            throw new InvalidIntroTemplatesException(source, List.of(new Problem(0, null, "cannot be read: " + e.getMessage())));
        }
    }

    public static IntroTemplates loadDefault() {
        try (InputStream in = IntroTemplates.class.getClassLoader().getResourceAsStream(DEFAULT_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("classpath:" + DEFAULT_RESOURCE + " is missing");
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "classpath:" + DEFAULT_RESOURCE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static IntroTemplates parse(String content, String source) {
        Map<String, Integer> lines = new HashMap<>();
        JsonNode root;
        try {
            try (JsonParser p = YAML.createParser(content)) {
                for (JsonToken token = p.nextToken(); token != null; token = p.nextToken()) {
                    lines.putIfAbsent(path(p.streamReadContext()), p.currentTokenLocation().getLineNr());
                }
            }
            root = YAML.readTree(content);
        } catch (StreamReadException e) {
            int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
            String message = String.join(", ", e.getOriginalMessage().lines().filter(l -> !l.isBlank() && !Character.isWhitespace(l.charAt(0))).toList());
            throw new InvalidIntroTemplatesException(source, List.of(new Problem(line, null, "not valid YAML: " + message)));
        }
        Reader reader = new Reader(lines);
        if (root == null || root.isMissingNode() || root.isNull()) {
            throw new InvalidIntroTemplatesException(source, List.of(new Problem(1, null, "the file is empty")));
        }
        if (!root.isObject()) {
            throw new InvalidIntroTemplatesException(source, List.of(new Problem(1, null, "must be a mapping of anonymous, question, booking, noBooking and templates")));
        }
        reader.unknownKeys(root, "", TOP_KEYS);
        String anonymous = reader.text(root, "anonymous", Set.of(), 100);
        String question = reader.text(root, "question", QUESTION_PLACEHOLDERS, MAX_TEXT_TEMPLATE);
        String booking = reader.text(root, "booking", BOOKING_PLACEHOLDERS, MAX_TEXT_TEMPLATE);
        String noBooking = reader.text(root, "noBooking", NO_BOOKING_PLACEHOLDERS, MAX_TEXT_TEMPLATE);
        if (question != null && !question.contains("{quoted}")) {
            reader.problem("question", "must quote what the lead wrote with {quoted}");
        }
        if (booking != null && !booking.contains("{bookingUrl}")) {
            reader.problem("booking", "must give the owner's booking page with {bookingUrl}");
        }
        List<Entry> templates = new ArrayList<>();
        JsonNode list = root.get("templates");
        if (list == null || list.isNull()) {
            reader.problem("templates", "is required: at least one template, the last without when:");
        } else if (!list.isArray() || list.isEmpty()) {
            reader.problem("templates", "must be a list of at least one template, the last without when:");
        } else {
            Set<String> ids = new HashSet<>();
            for (int i = 0; i < list.size(); i++) {
                Entry entry = reader.template(list.get(i), "templates[" + i + "]", i == list.size() - 1);
                if (entry != null) {
                    if (!ids.add(entry.id())) {
                        reader.problem("templates[" + i + "].id", "'" + entry.id() + "' is used by an earlier template");
                    }
                    templates.add(entry);
                }
            }
        }
        if (!reader.problems.isEmpty()) {
            List<Problem> sorted = new ArrayList<>(reader.problems);
            sorted.sort(Comparator.comparingInt(Problem::line));
            throw new InvalidIntroTemplatesException(source, sorted);
        }
        return new IntroTemplates(source, anonymous, question, booking, noBooking, templates);
    }

    /** Reads fields and records each problem at its line. */
    private static final class Reader {

        private final Map<String, Integer> lines;
        private final List<Problem> problems = new ArrayList<>();

        Reader(Map<String, Integer> lines) {
            this.lines = lines;
        }

        void problem(String path, String message) {
            problems.add(new Problem(line(path), path, message));
        }

        private int line(String path) {
            String at = path;
            while (true) {
                Integer line = lines.get(at);
                if (line != null || at.isEmpty()) {
                    return line == null ? 0 : line;
                }
                int cut = Math.max(at.lastIndexOf('.'), at.lastIndexOf('['));
                at = cut <= 0 ? "" : at.substring(0, cut);
            }
        }

        void unknownKeys(JsonNode node, String prefix, Set<String> known) {
            for (String name : node.propertyNames()) {
                if (!known.contains(name)) {
                    problem(prefix + name, "unknown field; expected one of " + String.join(", ", known.stream().sorted().toList()));
                }
            }
        }

        /** A required text field whose placeholders are all in {@code allowed}, at most {@code max} characters. */
        String text(JsonNode parent, String name, Set<String> allowed, int max) {
            return text(parent, name, name, allowed, max);
        }

        String text(JsonNode parent, String name, String path, Set<String> allowed, int max) {
            JsonNode node = parent.get(name);
            if (node == null || node.isNull()) {
                problem(path, "is required");
                return null;
            }
            if (!node.isString()) {
                problem(path, "must be text");
                return null;
            }
            String value = node.asString();
            if (value.isBlank()) {
                problem(path, "must not be blank");
                return null;
            }
            if (value.length() > max) {
                problem(path, "must be at most " + max + " characters, was " + value.length());
                return null;
            }
            for (String placeholder : placeholders(value)) {
                if (!allowed.contains(placeholder)) {
                    problem(path, "unknown placeholder {" + placeholder + "}"
                            + (allowed.isEmpty() ? "; none is allowed here" : "; allowed here: " + braces(allowed)));
                }
            }
            return value;
        }

        Entry template(JsonNode node, String path, boolean last) {
            if (node == null || !node.isObject()) {
                problem(path, "must be a template with id, subject, body and (but for the last) when");
                return null;
            }
            unknownKeys(node, path + ".", TEMPLATE_KEYS);
            int before = problems.size();
            JsonNode id = node.get("id");
            if (id == null || !id.isString() || id.asString().isBlank()) {
                problem(path + ".id", "is required");
            }
            String subject = text(node, "subject", path + ".subject", SUBJECT_PLACEHOLDERS, MAX_SUBJECT_TEMPLATE);
            if (subject != null && (subject.indexOf('\n') >= 0 || subject.indexOf('\r') >= 0)) {
                problem(path + ".subject", "must be one line (a subject is a mail header)");
            }
            String body = text(node, "body", path + ".body", BODY_PLACEHOLDERS, MAX_TEXT_TEMPLATE);
            Pipeline pipeline = null;
            Plan plan = null;
            JsonNode when = node.get("when");
            if (when == null || when.isNull()) {
                if (!last) {
                    problem(path, "needs when: (pipeline, plan or both); only the last template, the default, goes without");
                }
            } else if (!when.isObject() || when.isEmpty()) {
                problem(path + ".when", "must name a pipeline, a plan or both");
            } else {
                if (last) {
                    problem(path + ".when", "the last template is the default for every lead: leave out when:");
                }
                unknownKeys(when, path + ".when.", WHEN_KEYS);
                pipeline = constant(when, "pipeline", path + ".when.pipeline", Pipeline.class, List.of(Pipeline.SELF_SERVE, Pipeline.HANDS_ON));
                plan = constant(when, "plan", path + ".when.plan", Plan.class, List.of(Plan.values()));
            }
            return problems.size() > before ? null : new Entry(id.asString().trim(), pipeline, plan, subject, body);
        }

        private <E extends Enum<E>> E constant(JsonNode when, String name, String path, Class<E> type, List<E> allowed) {
            JsonNode node = when.get(name);
            if (node == null) {
                return null;
            }
            String text = node.isString() ? node.asString().trim().toUpperCase(Locale.ROOT).replace('-', '_') : "";
            for (E value : allowed) {
                if (value.name().equals(text)) {
                    return value;
                }
            }
            problem(path, "must be one of " + String.join(", ", allowed.stream().map(Enum::name).toList()) + ", was '" + node.asString() + "'");
            return null;
        }
    }

    /** The {@code {name}} placeholders of a template, names of ASCII letters. */
    static List<String> placeholders(String template) {
        List<String> found = new ArrayList<>();
        int i = 0;
        while (i < template.length()) {
            int open = template.indexOf('{', i);
            if (open < 0) {
                break;
            }
            int end = open + 1;
            while (end < template.length() && isAsciiLetter(template.charAt(end))) {
                end++;
            }
            if (end > open + 1 && end < template.length() && template.charAt(end) == '}') {
                found.add(template.substring(open + 1, end));
                i = end + 1;
            } else {
                i = open + 1;
            }
        }
        return found;
    }

    /** Fills {@code {name}} placeholders in one left-to-right pass; what a placeholder brings in is never read again. */
    static String fill(String template, Map<String, String> words) {
        StringBuilder out = new StringBuilder(template.length() + 256);
        int i = 0;
        while (i < template.length()) {
            int open = template.indexOf('{', i);
            if (open < 0) {
                out.append(template, i, template.length());
                break;
            }
            int end = open + 1;
            while (end < template.length() && isAsciiLetter(template.charAt(end))) {
                end++;
            }
            String word = end > open + 1 && end < template.length() && template.charAt(end) == '}'
                    ? words.get(template.substring(open + 1, end)) : null;
            if (word == null) {
                out.append(template, i, open + 1);
                i = open + 1;
            } else {
                out.append(template, i, open).append(word);
                i = end + 1;
            }
        }
        return out.toString();
    }

    private static boolean isAsciiLetter(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    }

    private static String braces(Set<String> names) {
        return String.join(", ", names.stream().sorted().map(n -> "{" + n + "}").toList());
    }

    private static String path(TokenStreamContext context) {
        List<String> segments = new ArrayList<>();
        for (TokenStreamContext c = context; c != null; c = c.getParent()) {
            if (c.inArray() && c.hasCurrentIndex()) {
                segments.add(0, "[" + c.getCurrentIndex() + "]");
            } else if (c.inObject() && c.hasCurrentName()) {
                segments.add(0, "." + c.currentName());
            }
        }
        String path = String.join("", segments);
        return path.startsWith(".") ? path.substring(1) : path;
    }
}
