package io.leadflow.routing.rules;

import io.leadflow.avro.LeadSource;
import io.leadflow.avro.Need;
import io.leadflow.avro.Pipeline;
import io.leadflow.avro.Plan;
import io.leadflow.avro.PlanInterest;
import io.leadflow.avro.Region;
import io.leadflow.routing.rules.Criterion.Key;
import io.leadflow.routing.rules.Criterion.Volume;
import io.leadflow.routing.rules.InvalidRulesException.Problem;
import io.leadflow.routing.rules.RoutingRules.FlagRule;
import io.leadflow.routing.rules.RoutingRules.OwnerRules;
import io.leadflow.routing.rules.RoutingRules.PipelineRules;
import io.leadflow.routing.rules.RoutingRules.PlanRules;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Reads and validates a rules file. Every problem is reported with its line, all at once, as an
 * {@link InvalidRulesException}; a file that loads is safe to route with.
 */
public final class RulesLoader {

    /** The handbook's rules, used when {@code leadflow.routing.rules} is empty. */
    public static final String DEFAULT_RESOURCE = "rules/default-rules.yml";

    /** What a {@code because:} or {@code explanation:} may quote from the lead and the decision. */
    public static final Set<String> PLACEHOLDERS = Set.of("monthlyEvents", "monthlyActiveUsers", "planInterest", "plan",
            "pipeline", "region", "country", "needs", "volume", "technical", "rep", "company", "domain", "team");

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z]+)}");
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
    private static final Pattern FLAG_CODE = Pattern.compile("[A-Z][A-Z0-9_]*");
    private static final Pattern COUNTRY = Pattern.compile("[A-Z]{2}");

    private final YamlTree yaml = new YamlTree();
    private final Map<String, Integer> repLines = new LinkedHashMap<>();
    private final Map<String, List<String>> teams = new LinkedHashMap<>();

    private RulesLoader() {
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
        Node root;
        try {
            LoaderOptions options = new LoaderOptions();
            options.setAllowDuplicateKeys(false);
            root = new Yaml(new SafeConstructor(options)).compose(new StringReader(content));
        } catch (MarkedYAMLException e) {
            int line = e.getProblemMark() == null ? 0 : e.getProblemMark().getLine() + 1;
            throw new InvalidRulesException(source, List.of(new Problem(line, null, "not valid YAML: "
                    + (e.getContext() == null ? "" : e.getContext() + ", ") + e.getProblem())));
        } catch (YAMLException e) {
            throw new InvalidRulesException(source, List.of(new Problem(0, null, "not valid YAML: " + e.getMessage())));
        }
        if (root == null) {
            throw new InvalidRulesException(source, List.of(new Problem(1, null, "the file is empty")));
        }
        RulesLoader loader = new RulesLoader();
        RoutingRules rules = loader.read(root, source);
        if (!loader.yaml.problems().isEmpty()) {
            List<Problem> sorted = new ArrayList<>(loader.yaml.problems());
            sorted.sort(java.util.Comparator.comparingInt(Problem::line));
            throw new InvalidRulesException(source, sorted);
        }
        return rules;
    }

    private RoutingRules read(Node rootNode, String source) {
        YamlTree.Mapping root = yaml.mapping(rootNode, "");
        if (root == null) {
            return null;
        }
        root.only("version", "timeZone", "reps", "teams", "pipeline", "plan", "owners", "flags", "nextSteps");
        String version = root.string("version", true);
        ZoneId zone = zone(root);
        List<Rep> reps = reps(root);
        readTeams(root);
        PipelineRules pipeline = pipeline(root);
        PlanRules plan = plan(root);
        OwnerRules owners = owners(root);
        List<FlagRule> flags = flags(root);
        Map<Pipeline, List<String>> nextSteps = nextSteps(root);
        teams.forEach((team, members) -> {
            boolean anyone = reps.stream().anyMatch(rep -> members.contains(rep.id()) && rep.weight() > 0);
            if (!members.isEmpty() && !anyone) {
                yaml.problem(root.get("teams") instanceof org.yaml.snakeyaml.nodes.MappingNode m ? lineOfKey(m, team) : 0, "teams." + team,
                        "no member has a weight above 0, so round robin could never pick anyone");
            }
        });
        if (!yaml.problems().isEmpty()) {
            return null;
        }
        return new RoutingRules(version, source, zone, reps, Map.copyOf(teams), pipeline, plan, owners, flags, nextSteps);
    }

    private ZoneId zone(YamlTree.Mapping root) {
        String text = root.string("timeZone", false);
        if (text == null) {
            return ZoneOffset.UTC;
        }
        try {
            return ZoneId.of(text);
        } catch (DateTimeException e) {
            yaml.problem(root.get("timeZone"), "timeZone", "unknown time zone '" + text + "', e.g. UTC or Europe/London");
            return ZoneOffset.UTC;
        }
    }

    // ---- reps and teams ------------------------------------------------------------------------

    private List<Rep> reps(YamlTree.Mapping root) {
        Node node = root.require("reps");
        List<Rep> reps = new ArrayList<>();
        if (node == null) {
            return reps;
        }
        List<Node> items = yaml.sequence(node, "reps");
        if (items.isEmpty() && node instanceof org.yaml.snakeyaml.nodes.SequenceNode) {
            yaml.problem(node, "reps", "must list at least one rep");
        }
        for (int i = 0; i < items.size(); i++) {
            Rep rep = rep(items.get(i), "reps[" + i + "]", true);
            if (rep != null) {
                if (repLines.containsKey(rep.id())) {
                    yaml.problem(items.get(i), "reps[" + i + "]", "duplicate rep id '" + rep.id() + "' (first at line " + repLines.get(rep.id()) + ")");
                } else {
                    repLines.put(rep.id(), YamlTree.line(items.get(i)));
                    reps.add(rep);
                }
            }
        }
        return reps;
    }

    private Rep rep(Node node, String path, boolean routable) {
        YamlTree.Mapping map = yaml.mapping(node, path);
        if (map == null) {
            return null;
        }
        if (routable) {
            map.only("id", "name", "email", "slackUserId", "hubspotOwnerId", "weight", "dailyCap", "active", "outOfOffice");
        } else {
            map.only("id", "name", "email", "slackUserId", "hubspotOwnerId");
        }
        String id = id(map, path);
        String name = map.string("name", true);
        String email = map.string("email", true);
        if (email != null && !email.matches("[^@\\s]+@[^@\\s]+\\.[^@\\s]+")) {
            yaml.problem(map.get("email"), map.path("email"), "must be an email address, was '" + email + "'");
        }
        String slack = map.string("slackUserId", false);
        String hubspot = map.string("hubspotOwnerId", false);
        Long weight = map.integer("weight", 0);
        Long cap = map.integer("dailyCap", 0);
        boolean active = map.bool("active", true);
        List<Rep.OutOfOffice> absences = new ArrayList<>();
        Node ooo = map.get("outOfOffice");
        if (ooo != null) {
            List<Node> periods = yaml.sequence(ooo, map.path("outOfOffice"));
            for (int j = 0; j < periods.size(); j++) {
                Rep.OutOfOffice period = absence(periods.get(j), map.path("outOfOffice") + "[" + j + "]");
                if (period != null) {
                    absences.add(period);
                }
            }
        }
        if (id == null || name == null || email == null) {
            return null;
        }
        return new Rep(id, name, email, slack, hubspot, weight == null ? 1 : weight.intValue(),
                cap == null ? null : cap.intValue(), active, absences);
    }

    private Rep.OutOfOffice absence(Node node, String path) {
        YamlTree.Mapping map = yaml.mapping(node, path);
        if (map == null) {
            return null;
        }
        map.only("from", "to", "note");
        LocalDate from = date(map, "from");
        LocalDate to = date(map, "to");
        String note = map.string("note", false);
        if (from == null || to == null) {
            return null;
        }
        if (to.isBefore(from)) {
            yaml.problem(map.get("to"), map.path("to"), "ends (" + to + ") before it starts (" + from + ")");
            return null;
        }
        return new Rep.OutOfOffice(from, to, note);
    }

    private LocalDate date(YamlTree.Mapping map, String key) {
        String text = map.string(key, true);
        if (text == null) {
            return null;
        }
        try {
            return LocalDate.parse(text);
        } catch (DateTimeException e) {
            yaml.problem(map.get(key), map.path(key), "must be a date such as 2026-08-03, was '" + text + "'");
            return null;
        }
    }

    private String id(YamlTree.Mapping map, String path) {
        String id = map.string("id", true);
        if (id != null && !ID.matcher(id).matches()) {
            yaml.problem(map.get("id"), map.path("id"), "must be letters, digits, '.', '_' or '-', was '" + id + "'");
            return null;
        }
        return id;
    }

    private void readTeams(YamlTree.Mapping root) {
        Node node = root.get("teams");
        if (node == null) {
            return;
        }
        YamlTree.Mapping map = yaml.mapping(node, "teams");
        if (map == null) {
            return;
        }
        for (String team : map.keys()) {
            String path = map.path(team);
            if (repLines.containsKey(team)) {
                yaml.problem(map.keyLine(team), path, "a team cannot have the id of a rep ('" + team + "')");
                continue;
            }
            List<String> members = yaml.values(map.get(team), path, item -> {
                String member = yaml.scalar(item.node(), item.path());
                if (member != null && !repLines.containsKey(member)) {
                    yaml.problem(item.node(), item.path(), "unknown rep '" + member + "', expected one of " + repLines.keySet());
                    return null;
                }
                return member;
            });
            teams.put(team, List.copyOf(new LinkedHashSet<>(members)));
        }
    }

    // ---- pipeline, plan, owners, flags --------------------------------------------------------

    private PipelineRules pipeline(YamlTree.Mapping root) {
        YamlTree.Mapping map = section(root, "pipeline");
        if (map == null) {
            return null;
        }
        map.only("rules", "default");
        Set<Key> forbidden = EnumSet.of(Key.PLAN, Key.PIPELINE);
        List<Rule<Pipeline>> rules = rules(map, "pipeline", forbidden, (rule, path) ->
                constant(rule, "pipeline", path, Pipeline.class, EnumSet.of(Pipeline.UNKNOWN)));
        Default<Pipeline> fallback = fallback(map, "pipeline", Pipeline.class, EnumSet.of(Pipeline.UNKNOWN));
        return fallback == null ? null : new PipelineRules(rules, fallback.value(), fallback.because());
    }

    private PlanRules plan(YamlTree.Mapping root) {
        YamlTree.Mapping map = section(root, "plan");
        if (map == null) {
            return null;
        }
        map.only("highVolume", "technical", "privacyNeeds", "rules", "default");
        long events = 0;
        Long users = null;
        YamlTree.Mapping volume = map.has("highVolume") ? yaml.mapping(map.get("highVolume"), "plan.highVolume") : null;
        if (volume == null) {
            if (!map.has("highVolume")) {
                yaml.problem(map.line(), "plan", "'highVolume' is required");
            }
        } else {
            volume.only("monthlyEventsAtLeast", "monthlyActiveUsersAtLeast");
            Long atLeast = volume.integer("monthlyEventsAtLeast", 1);
            if (atLeast == null && !volume.has("monthlyEventsAtLeast")) {
                yaml.problem(volume.line(), "plan.highVolume", "'monthlyEventsAtLeast' is required");
            }
            events = atLeast == null ? 0 : atLeast;
            users = volume.integer("monthlyActiveUsersAtLeast", 1);
        }
        Set<Need> technicalNeeds = EnumSet.noneOf(Need.class);
        List<Pattern> titles = new ArrayList<>();
        if (map.has("technical")) {
            YamlTree.Mapping technical = yaml.mapping(map.get("technical"), "plan.technical");
            if (technical != null) {
                technical.only("needs", "titles");
                if (technical.has("needs")) {
                    technicalNeeds.addAll(needs(technical.get("needs"), "plan.technical.needs"));
                }
                if (technical.has("titles")) {
                    titles.addAll(yaml.values(technical.get("titles"), "plan.technical.titles", item -> {
                        String regex = yaml.scalar(item.node(), item.path());
                        try {
                            return regex == null ? null : Pattern.compile("\\b(?:" + regex + ")\\b", Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
                        } catch (PatternSyntaxException e) {
                            yaml.problem(item.node(), item.path(), "is not a valid regular expression: " + e.getDescription());
                            return null;
                        }
                    }));
                }
            }
        }
        Set<Need> privacy = map.has("privacyNeeds") ? needs(map.get("privacyNeeds"), "plan.privacyNeeds") : EnumSet.noneOf(Need.class);
        List<Rule<Plan>> rules = rules(map, "plan", EnumSet.of(Key.PLAN), (rule, path) ->
                constant(rule, "plan", path, Plan.class, EnumSet.of(Plan.UNKNOWN)));
        Default<Plan> fallback = fallback(map, "plan", Plan.class, EnumSet.of(Plan.UNKNOWN));
        return fallback == null ? null
                : new PlanRules(events, users, Set.copyOf(technicalNeeds), titles, Set.copyOf(privacy), rules, fallback.value(), fallback.because());
    }

    private OwnerRules owners(YamlTree.Mapping root) {
        YamlTree.Mapping map = section(root, "owners");
        if (map == null) {
            return null;
        }
        map.only("stickiness", "rules", "fallback");
        boolean stickiness = map.bool("stickiness", true);
        List<Rule<String>> rules = rules(map, "owners", EnumSet.noneOf(Key.class), (rule, path) -> {
            String target = rule.string("assign", true);
            if (target != null && !repLines.containsKey(target) && !teams.containsKey(target)) {
                yaml.problem(rule.get("assign"), rule.path("assign"), "unknown rep or team '" + target
                        + "', expected a rep " + repLines.keySet() + " or a team " + teams.keySet());
                return null;
            }
            return target;
        });
        YamlTree.Mapping fallback = map.has("fallback") ? yaml.mapping(map.get("fallback"), "owners.fallback") : null;
        if (fallback == null) {
            if (!map.has("fallback")) {
                yaml.problem(map.line(), "owners", "'fallback' is required (a team to round-robin over and an owner for when nobody is available)");
            }
            return null;
        }
        fallback.only("team", "owner", "because");
        String team = fallback.string("team", true);
        if (team != null && !teams.containsKey(team)) {
            yaml.problem(fallback.get("team"), "owners.fallback.team", "unknown team '" + team + "', expected one of " + teams.keySet());
        }
        Node ownerNode = fallback.require("owner");
        Rep owner = ownerNode == null ? null : rep(ownerNode, "owners.fallback.owner", false);
        String because = text(fallback, "because", false);
        if (owner == null) {
            return null;
        }
        return new OwnerRules(stickiness, rules, team, new Rep(owner.id(), owner.name(), owner.email(), owner.slackUserId(),
                owner.hubspotOwnerId(), 0, null, true, List.of()),
                because == null ? "No rep was available, so the lead went to the fallback owner {rep}." : because);
    }

    private List<FlagRule> flags(YamlTree.Mapping root) {
        Node node = root.get("flags");
        List<FlagRule> flags = new ArrayList<>();
        if (node == null) {
            return flags;
        }
        Set<String> codes = new HashSet<>();
        List<Node> items = yaml.sequence(node, "flags");
        for (int i = 0; i < items.size(); i++) {
            String path = "flags[" + i + "]";
            YamlTree.Mapping map = yaml.mapping(items.get(i), path);
            if (map == null) {
                continue;
            }
            map.only("code", "when", "explanation");
            String code = map.string("code", true);
            if (code != null && !FLAG_CODE.matcher(code).matches()) {
                yaml.problem(map.get("code"), map.path("code"), "must be UPPER_SNAKE_CASE, was '" + code + "'");
            } else if (code != null && !codes.add(code)) {
                yaml.problem(map.get("code"), map.path("code"), "duplicate flag code '" + code + "'");
            }
            List<Criterion> when = criteria(map, path, EnumSet.noneOf(Key.class));
            String explanation = text(map, "explanation", true);
            if (code != null && explanation != null) {
                flags.add(new FlagRule(code, when, explanation, map.line()));
            }
        }
        return flags;
    }

    private Map<Pipeline, List<String>> nextSteps(YamlTree.Mapping root) {
        YamlTree.Mapping map = section(root, "nextSteps");
        Map<Pipeline, List<String>> steps = new EnumMap<>(Pipeline.class);
        if (map == null) {
            return steps;
        }
        for (String key : map.keys()) {
            Pipeline pipeline = null;
            try {
                pipeline = Pipeline.valueOf(key.toUpperCase(Locale.ROOT).replace('-', '_'));
            } catch (IllegalArgumentException e) {
                // reported below
            }
            if (pipeline == null || pipeline == Pipeline.UNKNOWN) {
                yaml.problem(map.keyLine(key), "nextSteps", "unknown pipeline '" + key + "', expected SELF_SERVE or HANDS_ON");
                pipeline = null;
            }
            List<String> texts = yaml.values(map.get(key), map.path(key), item -> yaml.scalar(item.node(), item.path()));
            if (pipeline != null) {
                steps.put(pipeline, List.copyOf(texts));
            }
        }
        for (Pipeline pipeline : List.of(Pipeline.SELF_SERVE, Pipeline.HANDS_ON)) {
            if (!steps.containsKey(pipeline)) {
                yaml.problem(map.line(), "nextSteps", "'" + pipeline + "' is required: the handbook's next steps for that pipeline");
            }
        }
        return Map.copyOf(steps);
    }

    private static int lineOfKey(org.yaml.snakeyaml.nodes.MappingNode mapping, String key) {
        return mapping.getValue().stream()
                .filter(t -> t.getKeyNode() instanceof org.yaml.snakeyaml.nodes.ScalarNode k && k.getValue().equals(key))
                .findFirst().map(t -> YamlTree.line(t.getKeyNode())).orElse(YamlTree.line(mapping));
    }

    // ---- shared pieces ---------------------------------------------------------------------------

    private YamlTree.Mapping section(YamlTree.Mapping root, String key) {
        Node node = root.require(key);
        return node == null ? null : yaml.mapping(node, key);
    }

    private interface OutcomeReader<T> {
        T read(YamlTree.Mapping rule, String path);
    }

    private <T> List<Rule<T>> rules(YamlTree.Mapping section, String name, Set<Key> forbidden, OutcomeReader<T> outcome) {
        List<Rule<T>> rules = new ArrayList<>();
        Node node = section.get("rules");
        if (node == null) {
            return rules;
        }
        Map<String, Integer> ids = new LinkedHashMap<>();
        List<Node> items = yaml.sequence(node, name + ".rules");
        for (int i = 0; i < items.size(); i++) {
            String path = name + ".rules[" + i + "]";
            YamlTree.Mapping map = yaml.mapping(items.get(i), path);
            if (map == null) {
                continue;
            }
            String outcomeKey = switch (name) {
                case "pipeline" -> "pipeline";
                case "plan" -> "plan";
                default -> "assign";
            };
            map.only("id", "when", outcomeKey, "because");
            String id = id(map, path);
            if (id != null && ids.putIfAbsent(id, map.line()) != null) {
                yaml.problem(map.get("id"), map.path("id"), "duplicate rule id '" + id + "' (first at line " + ids.get(id) + ")");
            }
            List<Criterion> when = criteria(map, path, forbidden);
            T value = outcome.read(map, path);
            String because = text(map, "because", true);
            if (id != null && value != null && because != null) {
                rules.add(new Rule<>(id, when, value, because, map.line()));
            }
        }
        return rules;
    }

    private record Default<T>(T value, String because) {
    }

    private <E extends Enum<E>> Default<E> fallback(YamlTree.Mapping section, String name, Class<E> type, Set<E> excluded) {
        Node node = section.require("default");
        YamlTree.Mapping map = node == null ? null : yaml.mapping(node, name + ".default");
        if (map == null) {
            return null;
        }
        map.only(name, "because");
        E value = constant(map, name, name + ".default", type, excluded);
        String because = text(map, "because", true);
        return value == null || because == null ? null : new Default<>(value, because);
    }

    private <E extends Enum<E>> E constant(YamlTree.Mapping map, String key, String path, Class<E> type, Set<E> excluded) {
        Node node = map.require(key);
        return node == null ? null : yaml.constant(node, path + "." + key, type, excluded);
    }

    /** A sentence with placeholders checked against {@link #PLACEHOLDERS}. */
    private String text(YamlTree.Mapping map, String key, boolean required) {
        String text = map.string(key, required);
        if (text == null) {
            return null;
        }
        Matcher matcher = PLACEHOLDER.matcher(text);
        while (matcher.find()) {
            if (!PLACEHOLDERS.contains(matcher.group(1))) {
                yaml.problem(map.get(key), map.path(key), "unknown placeholder {" + matcher.group(1) + "}, expected one of "
                        + new java.util.TreeSet<>(PLACEHOLDERS));
            }
        }
        return text;
    }

    private Set<Need> needs(Node node, String path) {
        Set<Need> needs = EnumSet.noneOf(Need.class);
        needs.addAll(yaml.values(node, path, item -> yaml.constant(item.node(), item.path(), Need.class, Set.of())));
        return needs;
    }

    private List<Criterion> criteria(YamlTree.Mapping rule, String path, Set<Key> forbidden) {
        Node node = rule.get("when");
        List<Criterion> criteria = new ArrayList<>();
        if (node == null) {
            return criteria;
        }
        YamlTree.Mapping when = yaml.mapping(node, path + ".when");
        if (when == null) {
            return criteria;
        }
        for (String name : when.keys()) {
            String keyPath = when.path(name);
            Key key = Key.byYamlName(name);
            if (key == null) {
                yaml.problem(when.keyLine(name), path + ".when", "unknown condition '" + name + "', expected one of "
                        + java.util.Arrays.stream(Key.values()).map(Key::yamlName).toList());
                continue;
            }
            if (forbidden.contains(key)) {
                yaml.problem(when.keyLine(name), keyPath, "cannot be used here: it is decided after this rule runs");
                continue;
            }
            Node value = when.get(name);
            Object expected = switch (key) {
                case PLAN_INTEREST -> set(value, keyPath, PlanInterest.class);
                case PLAN -> set(value, keyPath, Plan.class);
                case PIPELINE -> set(value, keyPath, Pipeline.class);
                case REGION -> set(value, keyPath, Region.class);
                case SOURCE -> set(value, keyPath, LeadSource.class);
                case NEEDS -> set(value, keyPath, Need.class);
                case COUNTRY -> Set.copyOf(yaml.values(value, keyPath, item -> {
                    String code = yaml.scalar(item.node(), item.path());
                    String upper = code == null ? null : code.toUpperCase(Locale.ROOT);
                    if (upper != null && !COUNTRY.matcher(upper).matches()) {
                        yaml.problem(item.node(), item.path(), "must be an ISO 3166-1 alpha-2 code such as US or DE, was '" + code + "'");
                        return null;
                    }
                    return upper;
                }));
                case GROUP_DEMO, Y_COMBINATOR, TECHNICAL, PRIVACY_NEEDS, MONTHLY_EVENTS_KNOWN, MONTHLY_ACTIVE_USERS_KNOWN ->
                        yaml.bool(value, keyPath);
                case VOLUME -> yaml.constant(value, keyPath, Volume.class, Set.of());
                case MONTHLY_EVENTS_ABOVE -> yaml.integer(value, keyPath, 0);
            };
            if (expected != null && !(expected instanceof Set<?> s && s.isEmpty())) {
                criteria.add(new Criterion(key, expected, when.keyLine(name)));
            }
        }
        return criteria;
    }

    private <E extends Enum<E>> Set<E> set(Node node, String path, Class<E> type) {
        List<E> values = yaml.values(node, path, item -> yaml.constant(item.node(), item.path(), type, Set.of()));
        return values.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(values));
    }
}
