package io.leadflow.routing.rules;

import io.leadflow.avro.Need;
import io.leadflow.avro.Pipeline;
import io.leadflow.avro.Plan;
import io.leadflow.routing.rules.Criterion.Key;
import io.leadflow.routing.rules.InvalidFileException.Problem;
import io.leadflow.routing.rules.RoutingRules.FlagRule;
import io.leadflow.routing.rules.RoutingRules.OwnerRules;
import io.leadflow.routing.rules.RoutingRules.PipelineRules;
import io.leadflow.routing.rules.RoutingRules.PlanRules;
import io.leadflow.routing.rules.RulesFile.FlagEntry;
import io.leadflow.routing.rules.RulesFile.OwnersSection;
import io.leadflow.routing.rules.RulesFile.PipelineSection;
import io.leadflow.routing.rules.RulesFile.PlanSection;
import io.leadflow.routing.rules.RulesFile.RepEntry;
import io.leadflow.routing.rules.RulesFile.RuleEntry;
import io.leadflow.routing.rules.RulesFile.When;
import tools.jackson.core.exc.StreamReadException;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.function.BiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads and validates a rules file. Jackson binds it ({@link RulesBinding}), which reports every structural problem;
 * this class checks what the binding cannot: references across the file, ranges, formats and placeholders. Every
 * problem is reported with its line, all at once, as an {@link InvalidRulesException}; a file that loads is safe to
 * route with.
 */
public final class RulesLoader {

    /** The handbook's rules, used when {@code leadflow.routing.rules} is empty. */
    public static final String DEFAULT_RESOURCE = "rules/default-rules.yml";

    /** What a {@code because:} or {@code explanation:} may quote from the lead and the decision. */
    public static final Set<String> PLACEHOLDERS = Set.of("monthlyEvents", "monthlyActiveUsers", "planInterest", "plan",
            "pipeline", "region", "country", "needs", "volume", "technical", "rep", "company", "domain", "team");

    /** What a task's subject or body may quote from the lead. */
    public static final Set<String> TASK_PLACEHOLDERS = Set.of("company", "person", "demoTime", "booking");

    /** The {@code tasks:} key for the tasks of a booked demo, beside the pipelines'. */
    public static final String DEMO_TASKS = "DEMO";

    static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z]+)}");
    private static final int MAX_BOOKING_URL = 500;
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");
    private static final Pattern FLAG_CODE = Pattern.compile("[A-Z][A-Z0-9_]*");
    private static final Pattern COUNTRY = Pattern.compile("[A-Z]{2}");
    private static final Pattern SHORT_DURATION = Pattern.compile("([0-9]{1,6})(s|m|h|d)");

    /** Characters of a job title the technical-title patterns read. */
    public static final int TITLE_CHARS = 200;

    /** Characters of a lead's message that {@code messageMatches:} reads: what a lead asks is near the start, quotes follow. */
    public static final int MESSAGE_CHARS = 4_000;

    private final List<Problem> problems;
    private final Map<String, Integer> lines;
    private final Map<String, Integer> repLines = new LinkedHashMap<>();
    private final Map<String, List<String>> teams = new LinkedHashMap<>();

    private RulesLoader(RulesBinding.Bound bound) {
        this.problems = new ArrayList<>(bound.problems());
        this.lines = bound.lines();
    }

    public static RoutingRules load(Path path) {
        String source = path.toString();
        if (!Files.isRegularFile(path)) {
            throw new InvalidRulesException(source, List.of(new Problem(0, null, "file not found or not a regular file")));
        }
        try {
            return parse(Files.readString(path, StandardCharsets.UTF_8), source);
        } catch (IOException e) {
            throw new InvalidRulesException(source, List.of(new Problem(0, null, "cannot be read: " + e.getMessage())));
        }
    }

    public static RoutingRules loadDefault() {
        try (InputStream in = RulesLoader.class.getClassLoader().getResourceAsStream(DEFAULT_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("classpath:" + DEFAULT_RESOURCE + " is missing");
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "classpath:" + DEFAULT_RESOURCE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static RoutingRules parse(String content, String source) {
        RulesBinding.Bound bound;
        try {
            bound = RulesBinding.bind(content);
        } catch (StreamReadException e) {
            int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
            // the parser's message quotes the offending lines indented under each sentence; the sentences suffice
            String message = String.join(", ", e.getOriginalMessage().lines().filter(l -> !l.isBlank() && !Character.isWhitespace(l.charAt(0))).toList());
            throw new InvalidRulesException(source, List.of(new Problem(line, null, "not valid YAML: " + message)));
        }
        if (bound.file() == null && bound.problems().isEmpty()) {
            throw new InvalidRulesException(source, List.of(new Problem(1, null, "the file is empty")));
        }
        RulesLoader loader = new RulesLoader(bound);
        RoutingRules rules = bound.file() == null ? null : loader.read(bound.file(), source);
        if (!loader.problems.isEmpty()) {
            List<Problem> sorted = new ArrayList<>(loader.problems);
            sorted.sort(Comparator.comparingInt(Problem::line));
            throw new InvalidRulesException(source, sorted);
        }
        return rules;
    }

    private RoutingRules read(RulesFile file, String source) {
        required("version", file.version());
        required("reps", file.reps());
        required("pipeline", file.pipeline());
        required("plan", file.plan());
        required("owners", file.owners());
        required("nextSteps", file.nextSteps());
        ZoneId zone = file.timeZone() == null ? ZoneOffset.UTC : file.timeZone();
        List<Rep> reps = reps(file.reps(), zone);
        readTeams(file.teams());
        PipelineRules pipeline = pipeline(file.pipeline());
        PlanRules plan = plan(file.plan());
        OwnerRules owners = owners(file.owners());
        List<FlagRule> flags = flags(file.flags());
        List<SlaPolicy> sla = new SlaPoliciesCheck(this).read(file.sla());
        Map<Pipeline, List<String>> nextSteps = nextSteps(file.nextSteps());
        Map<String, List<TaskRule>> tasks = new TaskRulesCheck(this).read(file.tasks());
        Map<Pipeline, List<TaskRule>> pipelineTasks = new EnumMap<>(Pipeline.class);
        tasks.forEach((key, list) -> {
            if (!key.equals(DEMO_TASKS)) {
                pipelineTasks.put(Pipeline.valueOf(key), list);
            }
        });
        teams.forEach((team, members) -> {
            if (!members.isEmpty() && reps.stream().noneMatch(rep -> members.contains(rep.id()) && rep.weight() > 0)) {
                problem("teams." + team, "no member has a weight above 0, so round robin could never pick anyone");
            }
        });
        return problems.isEmpty() ? new RoutingRules(file.version(), source, zone,
                reps, Map.copyOf(teams), pipeline, plan, owners, flags, sla, nextSteps, Map.copyOf(pipelineTasks),
                tasks.getOrDefault(DEMO_TASKS, List.of())) : null;
    }

    // ---- reps and teams ------------------------------------------------------------------------

    private List<Rep> reps(List<RepEntry> entries, ZoneId rulesZone) {
        List<Rep> reps = new ArrayList<>();
        if (entries != null && entries.isEmpty()) {
            problem("reps", "must list at least one rep");
        }
        for (int i = 0; entries != null && i < entries.size(); i++) {
            RepEntry entry = entries.get(i);
            String path = "reps[" + i + "]";
            if (entry == null || !id(entry.id(), path + ".id")) {
                continue;
            }
            email(entry.email(), path + ".email");
            bookingUrl(entry.bookingUrl(), path + ".bookingUrl");
            atLeast(0, entry.weight(), path + ".weight");
            atLeast(0, entry.dailyCap(), path + ".dailyCap");
            List<Rep.OutOfOffice> absences = new ArrayList<>();
            for (int j = 0; entry.outOfOffice() != null && j < entry.outOfOffice().size(); j++) {
                RulesFile.Absence absence = entry.outOfOffice().get(j);
                if (absence == null || absence.from() == null || absence.to() == null) {
                    continue;
                }
                if (absence.to().isBefore(absence.from())) {
                    problem(path + ".outOfOffice[" + j + "].to", "ends (" + absence.to() + ") before it starts (" + absence.from() + ")");
                } else {
                    absences.add(new Rep.OutOfOffice(absence.from(), absence.to(), absence.note()));
                }
            }
            WorkingHours hours = null;
            if (entry.workingHours() != null) {
                try {
                    hours = WorkingHours.parse(entry.workingHours());
                } catch (IllegalArgumentException e) {
                    problem(path + ".workingHours", e.getMessage());
                }
            }
            if (repLines.containsKey(entry.id())) {
                problem(path, "duplicate rep id '" + entry.id() + "' (first at line " + repLines.get(entry.id()) + ")");
            } else {
                repLines.put(entry.id(), line(path));
                reps.add(new Rep(entry.id(), entry.name(), entry.email(), entry.slackUserId(), entry.hubspotOwnerId(), entry.bookingUrl(),
                        entry.weight() == null ? 1 : entry.weight(), entry.dailyCap(), !Boolean.FALSE.equals(entry.active()), absences,
                        entry.timeZone() == null ? rulesZone : entry.timeZone(), hours));
            }
        }
        return reps;
    }

    private void readTeams(Map<String, List<String>> declared) {
        if (declared == null) {
            return;
        }
        declared.forEach((team, members) -> {
            String path = "teams." + team;
            if (repLines.containsKey(team)) {
                problem(path, "a team cannot have the id of a rep ('" + team + "')");
                return;
            }
            teams.put(team, List.copyOf(new LinkedHashSet<>(values(members, path, (member, at) -> {
                if (!repLines.containsKey(member)) {
                    problem(at, "unknown rep '" + member + "', expected one of " + repLines.keySet());
                    return null;
                }
                return member;
            }))));
        });
    }

    // ---- pipeline, plan, owners, flags --------------------------------------------------------

    private PipelineRules pipeline(PipelineSection section) {
        if (section == null) {
            return null;
        }
        List<Rule<Pipeline>> rules = rules(section.rules(), "pipeline", "pipeline", EnumSet.of(Key.PLAN, Key.PIPELINE),
                (pipeline, path) -> known(pipeline, Pipeline.UNKNOWN, path));
        RulesFile.PipelineDefault otherwise = section.otherwise();
        return otherwise == null ? null : new PipelineRules(rules, known(otherwise.pipeline(), Pipeline.UNKNOWN, "pipeline.default.pipeline"),
                text(otherwise.because(), "pipeline.default.because"));
    }

    private PlanRules plan(PlanSection section) {
        if (section == null) {
            return null;
        }
        RulesFile.HighVolume volume = section.highVolume();
        if (volume != null) {
            atLeast(1, volume.monthlyEventsAtLeast(), "plan.highVolume.monthlyEventsAtLeast");
            atLeast(1, volume.monthlyActiveUsersAtLeast(), "plan.highVolume.monthlyActiveUsersAtLeast");
        }
        RulesFile.Technical technical = section.technical();
        TextPattern titles = technical == null || technical.titles() == null ? TextPattern.none()
                : textPattern(technical.titles(), "plan.technical.titles", TITLE_CHARS);
        List<Rule<Plan>> rules = rules(section.rules(), "plan", "plan", EnumSet.of(Key.PLAN), (plan, path) -> known(plan, Plan.UNKNOWN, path));
        RulesFile.PlanDefault otherwise = section.otherwise();
        return volume == null || volume.monthlyEventsAtLeast() == null || otherwise == null ? null
                : new PlanRules(volume.monthlyEventsAtLeast(), volume.monthlyActiveUsersAtLeast(),
                needs(technical == null ? null : technical.needs()), titles, needs(section.privacyNeeds()), rules,
                known(otherwise.plan(), Plan.UNKNOWN, "plan.default.plan"), text(otherwise.because(), "plan.default.because"));
    }

    private OwnerRules owners(OwnersSection section) {
        if (section == null) {
            return null;
        }
        List<Rule<String>> rules = rules(section.rules(), "owners", "assign", EnumSet.noneOf(Key.class), (target, path) -> {
            if (target != null && !repLines.containsKey(target) && !teams.containsKey(target)) {
                problem(path, "unknown rep or team '" + target + "', expected a rep " + repLines.keySet() + " or a team " + teams.keySet());
                return null;
            }
            return target;
        });
        RulesFile.Fallback fallback = section.fallback();
        if (fallback == null || fallback.owner() == null) {
            return null;
        }
        if (fallback.team() != null && !teams.containsKey(fallback.team())) {
            problem("owners.fallback.team", "unknown team '" + fallback.team() + "', expected one of " + teams.keySet());
        }
        RulesFile.OwnerEntry owner = fallback.owner();
        id(owner.id(), "owners.fallback.owner.id");
        email(owner.email(), "owners.fallback.owner.email");
        String because = text(fallback.because(), "owners.fallback.because");
        return new OwnerRules(!Boolean.FALSE.equals(section.stickiness()), rules, fallback.team(),
                new Rep(owner.id(), owner.name(), owner.email(), owner.slackUserId(), owner.hubspotOwnerId(), null, 0, null, true, List.of(),
                        ZoneOffset.UTC, null),
                because == null ? "No rep was available, so the lead went to the fallback owner {rep}." : because);
    }

    private List<FlagRule> flags(List<FlagEntry> entries) {
        List<FlagRule> flags = new ArrayList<>();
        Set<String> codes = new LinkedHashSet<>();
        for (int i = 0; entries != null && i < entries.size(); i++) {
            FlagEntry flag = entries.get(i);
            String path = "flags[" + i + "]";
            if (flag == null || flag.code() == null) {
                continue;
            }
            if (!FLAG_CODE.matcher(flag.code()).matches()) {
                problem(path + ".code", "must be UPPER_SNAKE_CASE, was '" + flag.code() + "'");
            } else if (!codes.add(flag.code())) {
                problem(path + ".code", "duplicate flag code '" + flag.code() + "'");
            }
            flags.add(new FlagRule(flag.code(), criteria(flag.when(), path, EnumSet.noneOf(Key.class)),
                    text(flag.explanation(), path + ".explanation"), line(path)));
        }
        return flags;
    }

    /** {@code 30s}, {@code 5m}, {@code 2h}, {@code 1d} or ISO-8601 such as {@code PT15M}; above zero. */
    Duration duration(String text, String path) {
        if (text == null) {
            return null;
        }
        Duration duration = null;
        Matcher matcher = SHORT_DURATION.matcher(text.trim());
        if (matcher.matches()) {
            long amount = Long.parseLong(matcher.group(1));
            duration = switch (matcher.group(2)) {
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofDays(amount);
            };
        } else if (text.trim().length() <= 40) {
            try {
                duration = Duration.parse(text.trim());
            } catch (DateTimeParseException e) {
                duration = null;
            }
        }
        if (duration == null) {
            problem(path, "must be a duration such as 30s, 15m, 2h, 1d or PT15M, was '" + text + "'");
            return null;
        }
        if (duration.isNegative() || duration.isZero()) {
            problem(path, "must be longer than zero, was '" + text + "'");
            return null;
        }
        return duration;
    }

    private Map<Pipeline, List<String>> nextSteps(Map<String, List<String>> declared) {
        Map<Pipeline, List<String>> steps = new EnumMap<>(Pipeline.class);
        if (declared == null) {
            return steps;
        }
        declared.forEach((key, texts) -> {
            Pipeline pipeline = RulesBinding.constant(Pipeline.class, key);
            if (pipeline == null || pipeline == Pipeline.UNKNOWN) {
                problem("nextSteps." + key, "unknown pipeline '" + key + "', expected SELF_SERVE or HANDS_ON");
            } else {
                steps.put(pipeline, List.copyOf(values(texts, "nextSteps." + key, (text, at) -> text)));
            }
        });
        for (Pipeline pipeline : List.of(Pipeline.SELF_SERVE, Pipeline.HANDS_ON)) {
            if (!steps.containsKey(pipeline)) {
                problem("nextSteps", "'" + pipeline + "' is required: the handbook's next steps for that pipeline");
            }
        }
        return Map.copyOf(steps);
    }

    // ---- shared pieces ---------------------------------------------------------------------------

    private <T> List<Rule<T>> rules(List<? extends RuleEntry<T>> entries, String section, String outcomeKey, Set<Key> forbidden,
                                    BiFunction<T, String, T> outcome) {
        List<Rule<T>> rules = new ArrayList<>();
        Map<String, Integer> ids = new LinkedHashMap<>();
        for (int i = 0; entries != null && i < entries.size(); i++) {
            RuleEntry<T> entry = entries.get(i);
            String path = section + ".rules[" + i + "]";
            if (entry == null || !id(entry.id(), path + ".id")) {
                continue;
            }
            if (ids.putIfAbsent(entry.id(), line(path)) != null) {
                problem(path + ".id", "duplicate rule id '" + entry.id() + "' (first at line " + ids.get(entry.id()) + ")");
            }
            List<Criterion> when = criteria(entry.when(), path, forbidden);
            T value = outcome.apply(entry.outcome(), path + "." + outcomeKey);
            String because = text(entry.because(), path + ".because");
            if (value != null) {
                rules.add(new Rule<>(entry.id(), when, value, because, line(path)));
            }
        }
        return rules;
    }

    List<Criterion> criteria(When when, String path, Set<Key> forbidden) {
        List<Criterion> criteria = new ArrayList<>();
        for (Criterion criterion : when == null ? List.<Criterion>of() : when.criteria()) {
            String at = path + ".when." + criterion.key().yamlName();
            Object expected = criterion.expected();
            if (forbidden.contains(criterion.key())) {
                problem(at, "cannot be used here: it is decided after this rule runs");
                continue;
            }
            if (criterion.key() == Key.MESSAGE_MATCHES) {
                List<?> regexes = (List<?>) expected;
                TextPattern pattern = textPattern(regexes.stream().map(r -> (String) r).toList(), at, MESSAGE_CHARS);
                if (!regexes.isEmpty() && pattern.sources().size() == regexes.size()) {
                    criteria.add(new Criterion(criterion.key(), pattern, criterion.line()));
                }
                continue;
            }
            if (expected instanceof Set<?> set) {
                if (set.isEmpty() && !reported(at)) {
                    problem(at, "must list at least one value");
                }
                if (set.isEmpty() || set.contains(null)) {
                    continue;
                }
                if (criterion.key() == Key.COUNTRY) {
                    set = set.stream().map(code -> code.toString().toUpperCase(Locale.ROOT)).collect(Collectors.toSet());
                    set.stream().filter(code -> !COUNTRY.matcher(code.toString()).matches()).forEach(code ->
                            problem(at, "must be an ISO 3166-1 alpha-2 code such as US or DE, was '" + code + "'"));
                }
                expected = Set.copyOf(set);
            }
            criteria.add(new Criterion(criterion.key(), expected, criterion.line()));
        }
        return criteria;
    }

    /** The items of a list read by {@code read}, which returns null for one it reported; a problem when there are none. */
    <T, R> List<R> values(List<T> items, String path, BiFunction<T, String, R> read) {
        List<R> values = new ArrayList<>();
        if (items != null && items.isEmpty()) {
            problem(path, "must list at least one value");
        }
        for (int i = 0; items != null && i < items.size(); i++) {
            R value = items.get(i) == null ? null : read.apply(items.get(i), path + "[" + i + "]");
            if (value != null) {
                values.add(value);
            }
        }
        return values;
    }

    /** Regular expressions for what a lead writes, each checked at its own line, as one {@link TextPattern}. */
    private TextPattern textPattern(List<String> regexes, String path, int maxChars) {
        return TextPattern.anyOf(values(regexes, path, (regex, at) -> {
            String problem = TextPattern.problem(regex);
            if (problem != null) {
                problem(at, problem);
                return null;
            }
            return regex;
        }), maxChars);
    }

    private Set<Need> needs(Set<Need> needs) {
        return needs == null ? Set.of() : Set.copyOf(needs.stream().filter(Objects::nonNull).toList());
    }

    private <E extends Enum<E>> E known(E value, E unknown, String path) {
        if (value == unknown) {
            List<String> allowed = Arrays.stream(value.getDeclaringClass().getEnumConstants()).filter(c -> c != unknown).map(Enum::name).toList();
            problem(path, "unknown " + value.getDeclaringClass().getSimpleName() + " '" + value + "', expected one of " + allowed);
            return null;
        }
        return value;
    }

    boolean id(String id, String path) {
        if (id == null) {
            return false;
        }
        if (!ID.matcher(id).matches()) {
            problem(path, "must be letters, digits, '.', '_' or '-', was '" + id + "'");
            return false;
        }
        return true;
    }

    private void email(String email, String path) {
        if (email != null && !EMAIL.matcher(email).matches()) {
            problem(path, "must be an email address, was '" + email + "'");
        }
    }

    /** A rep's booking page: an absolute https URL with a host, as a customer's browser will open it. */
    private void bookingUrl(String url, String path) {
        if (url == null) {
            return;
        }
        URI uri = null;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            // reported below
        }
        if (uri == null || !"https".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null || uri.getRawUserInfo() != null
                || url.length() > MAX_BOOKING_URL) {
            problem(path, "must be an absolute https URL (at most " + MAX_BOOKING_URL + " characters, no user info), was '"
                    + (url.length() > 100 ? url.substring(0, 100) + "…" : url) + "'");
        }
    }

    void atLeast(long min, Number value, String path) {
        if (value != null && value.longValue() < min) {
            problem(path, "must be " + min + " or more, was " + value);
        }
    }

    /** A sentence with placeholders checked against {@link #PLACEHOLDERS}. */
    private String text(String text, String path) {
        if (text == null) {
            return null;
        }
        Matcher matcher = PLACEHOLDER.matcher(text);
        while (matcher.find()) {
            if (!PLACEHOLDERS.contains(matcher.group(1))) {
                problem(path, "unknown placeholder {" + matcher.group(1) + "}, expected one of " + new TreeSet<>(PLACEHOLDERS));
            }
        }
        return text;
    }

    /** A top-level section, unless it is missing because binding already reported what is wrong with it. */
    private void required(String section, Object value) {
        if (value == null && !reported(section)) {
            problem("", "'" + section + "' is required");
        }
    }

    /** Whether a problem was already reported at or under {@code path}, so a follow-on one would only repeat it. */
    private boolean reported(String path) {
        return problems.stream().map(Problem::path).anyMatch(at -> at != null
                && (at.equals(path) || at.startsWith(path + ".") || at.startsWith(path + "[")));
    }

    void problem(String path, String message) {
        problems.add(new Problem(line(path), path, message));
    }

    /** The line of a path, or of the nearest enclosing path the file has (a single value read as a list has no item). */
    int line(String path) {
        for (String at = path; ; at = at.substring(0, Math.max(0, Math.max(at.lastIndexOf('.'), at.lastIndexOf('['))))) {
            Integer line = lines.get(at);
            if (line != null || at.isEmpty()) {
                return line == null ? 0 : line;
            }
        }
    }
}
