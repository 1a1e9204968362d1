package io.leadflow.localstack.sandbox.hubspot;

import io.leadflow.localstack.sandbox.RecordedCall;
import io.leadflow.localstack.sandbox.SandboxStore;
import io.leadflow.localstack.sandbox.SandboxToken;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * An in-memory HubSpot CRM that answers the REST calls Leadflow makes the way HubSpot does: CRM objects
 * v3 (single and batch create/read/update/upsert/archive, search), associations v3 and v4, pipelines,
 * properties and owners, with HubSpot's JSON shapes, numeric ids, 207 multi-status batch answers, 409 on a
 * duplicate contact email and the private-app rate limit (190 requests per rolling 10 s, search 5 per
 * second) answered with 429 and a {@code policyName}. Every call is recorded.
 *
 * <p>Thread-safe: one lock around the whole state; calls are tiny.
 */
public final class HubSpotSandbox {

    private static final Logger log = LoggerFactory.getLogger(HubSpotSandbox.class);
    static final ObjectMapper JSON = JsonMapper.builder().build();

    /** Object types by every name HubSpot accepts for them (plural name, singular, objectTypeId). */
    private static final Map<String, String> TYPE_ALIASES = Map.ofEntries(
            Map.entry("contacts", "contacts"), Map.entry("contact", "contacts"), Map.entry("0-1", "contacts"),
            Map.entry("companies", "companies"), Map.entry("company", "companies"), Map.entry("0-2", "companies"),
            Map.entry("deals", "deals"), Map.entry("deal", "deals"), Map.entry("0-3", "deals"),
            Map.entry("tickets", "tickets"), Map.entry("ticket", "tickets"), Map.entry("0-5", "tickets"),
            Map.entry("calls", "calls"), Map.entry("call", "calls"), Map.entry("0-48", "calls"),
            Map.entry("emails", "emails"), Map.entry("email", "emails"), Map.entry("0-49", "emails"),
            Map.entry("meetings", "meetings"), Map.entry("meeting", "meetings"), Map.entry("0-47", "meetings"),
            Map.entry("notes", "notes"), Map.entry("note", "notes"), Map.entry("0-46", "notes"),
            Map.entry("tasks", "tasks"), Map.entry("task", "tasks"), Map.entry("0-27", "tasks"));

    private static final Map<String, String> TYPE_IDS = Map.of("contacts", "0-1", "companies", "0-2", "deals", "0-3",
            "tickets", "0-5", "calls", "0-48", "emails", "0-49", "meetings", "0-47", "notes", "0-46", "tasks", "0-27");

    /** HubSpot-defined association type ids: from type, to type, id, and which one is the default. */
    private static final List<AssociationType> ASSOCIATION_TYPES = List.of(
            new AssociationType("contacts", "companies", 279, false), new AssociationType("contacts", "companies", 1, true),
            new AssociationType("companies", "contacts", 280, false), new AssociationType("companies", "contacts", 2, true),
            new AssociationType("deals", "contacts", 3, true), new AssociationType("contacts", "deals", 4, true),
            new AssociationType("deals", "companies", 341, false), new AssociationType("deals", "companies", 5, true),
            new AssociationType("companies", "deals", 342, false), new AssociationType("companies", "deals", 6, true),
            new AssociationType("notes", "contacts", 202, true), new AssociationType("contacts", "notes", 201, true),
            new AssociationType("notes", "companies", 190, true), new AssociationType("companies", "notes", 189, true),
            new AssociationType("notes", "deals", 214, true), new AssociationType("deals", "notes", 213, true),
            new AssociationType("tasks", "contacts", 204, true), new AssociationType("contacts", "tasks", 203, true),
            new AssociationType("tasks", "companies", 192, true), new AssociationType("companies", "tasks", 191, true),
            new AssociationType("tasks", "deals", 216, true), new AssociationType("deals", "tasks", 215, true),
            new AssociationType("calls", "contacts", 194, true), new AssociationType("calls", "deals", 206, true),
            new AssociationType("meetings", "contacts", 200, true), new AssociationType("meetings", "deals", 212, true));

    private final Object lock = new Object();
    private volatile SandboxToken requiredToken;
    private final Clock clock;
    private final HubSpotSandboxSettings settings;
    private final Map<String, Map<String, CrmObject>> objects = new LinkedHashMap<>();
    // insertion-ordered, and a set: a portal holds tens of thousands of associations, each checked before it is added
    private final Set<Association> associations = new java.util.LinkedHashSet<>();
    private final Map<String, Map<String, ObjectNode>> customProperties = new LinkedHashMap<>();
    private final Map<String, Map<String, ObjectNode>> propertyGroups = new LinkedHashMap<>();
    private final Deque<RecordedCall> calls = new ArrayDeque<>();
    private final Deque<Long> window = new ArrayDeque<>();
    private final Deque<Long> searchWindow = new ArrayDeque<>();
    private final AtomicLong nextId = new AtomicLong(10_001);
    private final Map<String, Long> callCounts = new LinkedHashMap<>();
    private long rateLimited;
    private volatile Consumer<StageChange> stageListener = change -> { };

    public HubSpotSandbox(HubSpotSandboxSettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        TYPE_IDS.keySet().forEach(type -> objects.put(type, new LinkedHashMap<>()));
    }

    /** Called (outside the lock) after a deal's {@code dealstage} is set or changed, as HubSpot's webhooks would report. */
    public void onDealStageChange(Consumer<StageChange> listener) {
        this.stageListener = Objects.requireNonNull(listener);
    }

    public HubSpotSandboxSettings settings() {
        return settings;
    }

    /** A deal's stage was set: what a {@code deal.propertyChange} webhook for {@code dealstage} carries. */
    public record StageChange(String dealId, String pipelineId, String stageId, Instant occurredAt) {
    }

    /** One CRM record. Properties are strings, as HubSpot returns them. */
    record CrmObject(String type, String id, Map<String, String> properties, Instant createdAt, Instant updatedAt, boolean archived) {
    }

    record Association(String fromType, String fromId, String toType, String toId, int typeId, String category) {
    }

    record AssociationType(String fromType, String toType, int id, boolean defaultType) {
    }

    /** An HTTP answer: status, JSON body (may be null) and extra headers. */
    public record Answer(int status, JsonNode body, Map<String, String> headers) {

        static Answer of(int status, JsonNode body) {
            return new Answer(status, body, Map.of());
        }
    }

    /** A request the sandbox could not honour: answered with HubSpot's error body. */
    static final class HubSpotError extends RuntimeException {

        final int status;
        final String category;
        final String subCategory;

        HubSpotError(int status, String category, String message) {
            this(status, category, null, message);
        }

        HubSpotError(int status, String category, String subCategory, String message) {
            super(message);
            this.status = status;
            this.category = category;
            this.subCategory = subCategory;
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Entry point

    /**
     * Handles one API call.
     *
     * @param method        HTTP method
     * @param path          path below the sandbox's base URL, e.g. {@code /crm/v3/objects/contacts}
     * @param query         query parameters (first value each; {@code properties} may be comma-separated)
     * @param authorization the {@code Authorization} header
     * @param body          request body (may be empty)
     */
    /**
     * From now on only {@code Authorization: Bearer <token>} is accepted, not just any bearer token: the local stack
     * asks for this when it listens beyond loopback.
     */
    public void requireToken(String token) {
        requiredToken = new SandboxToken(token);
    }

    public Answer handle(String method, String path, Map<String, String> query, String authorization, String body) {
        Instant now = clock.instant();
        Answer answer;
        List<StageChange> changes = new ArrayList<>();
        synchronized (lock) {
            answer = handleLocked(method, path, query, authorization, body, now, changes);
            String summary = summary(answer);
            calls.addLast(new RecordedCall(now, method, path, answer.status(), summarizeRequest(body), summary));
            while (calls.size() > settings.recordedCalls()) {
                calls.removeFirst();
            }
            callCounts.merge(method + " " + template(path), 1L, Long::sum);
        }
        for (StageChange change : changes) {
            try {
                stageListener.accept(change);
            } catch (RuntimeException e) {
                log.warn("HubSpot sandbox could not report the stage change of deal {}: {}", change.dealId(), e.getMessage());
            }
        }
        return answer;
    }

    private Answer handleLocked(String method, String path, Map<String, String> query, String authorization, String body,
                                Instant now, List<StageChange> changes) {
        SandboxToken required = requiredToken;
        if (authorization == null || !authorization.startsWith("Bearer ") || authorization.length() <= "Bearer ".length()
                || (required != null && !required.matches(authorization.substring("Bearer ".length()).trim()))) {
            return error(new HubSpotError(401, "INVALID_AUTHENTICATION",
                    "Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview"));
        }
        List<String> segments = segments(path);
        boolean search = segments.size() == 5 && segments.get(4).equals("search");
        Optional<Answer> limited = rateLimit(now, search);
        if (limited.isPresent()) {
            rateLimited++;
            return limited.get();
        }
        try {
            JsonNode json = body == null || body.isBlank() ? JSON.createObjectNode() : JSON.readTree(body);
            Answer answer = route(method, segments, query, json, now, changes);
            return withRateHeaders(answer, now);
        } catch (HubSpotError e) {
            return withRateHeaders(error(e), now);
        } catch (tools.jackson.core.JacksonException e) {
            return withRateHeaders(error(new HubSpotError(400, "VALIDATION_ERROR", "Invalid input JSON on line 1: " + e.getOriginalMessage())), now);
        }
    }

    private Answer route(String method, List<String> s, Map<String, String> query, JsonNode body, Instant now,
                         List<StageChange> changes) {
        int n = s.size();
        if (n >= 2 && s.get(0).equals("crm") && (s.get(1).equals("v3") || s.get(1).equals("v4"))) {
            String version = s.get(1);
            if (n >= 4 && s.get(2).equals("objects")) {
                String type = type(s.get(3));
                if (n == 4 && method.equals("POST")) {
                    return Answer.of(201, view(create(type, body, now, changes), query));
                }
                if (n == 4 && method.equals("GET")) {
                    return list(type, query);
                }
                if (n == 5 && s.get(4).equals("search") && method.equals("POST")) {
                    return search(type, body);
                }
                if (n == 6 && s.get(4).equals("batch") && method.equals("POST")) {
                    return batch(type, s.get(5), body, now, changes);
                }
                if (n == 5) {
                    String id = s.get(4);
                    switch (method) {
                        case "GET":
                            return Answer.of(200, view(find(type, id, query.get("idProperty")), query));
                        case "PATCH":
                            return Answer.of(200, view(update(type, id, query.get("idProperty"), body.path("properties"), now, changes), query));
                        case "DELETE":
                            archive(type, id, now);
                            return Answer.of(204, null);
                        default:
                            break;
                    }
                }
                if (n >= 7 && s.get(5).equals("associations")) {
                    return objectAssociations(version, method, type, s.get(4), s.subList(6, n), body);
                }
            }
            if ((n == 7 || n == 8) && s.get(2).equals("associations") && s.get(5).equals("batch") && method.equals("POST")) {
                return batchAssociations(version, type(s.get(3)), type(s.get(4)), s.get(6), body);
            }
            if (n >= 4 && s.get(2).equals("pipelines") && method.equals("GET")) {
                return pipelines(type(s.get(3)), n >= 5 ? s.get(4) : null, n == 6 && s.get(5).equals("stages"));
            }
            if (n >= 4 && s.get(2).equals("properties")) {
                return properties(method, type(s.get(3)), s.subList(4, n), body);
            }
            if (n >= 3 && s.get(2).equals("owners") && method.equals("GET")) {
                return owners(n == 4 ? s.get(3) : null, query.get("email"));
            }
        }
        if (s.equals(List.of("account-info", "v3", "details")) && method.equals("GET")) {
            ObjectNode account = JSON.createObjectNode();
            account.put("portalId", Long.parseLong(settings.portalId()));
            account.put("accountType", "SANDBOX");
            account.put("timeZone", "UTC");
            account.put("companyCurrency", "USD");
            account.put("uiDomain", "localhost");
            account.put("dataHostingLocation", "na1");
            return Answer.of(200, account);
        }
        throw new HubSpotError(404, "OBJECT_NOT_FOUND", "Unable to route " + method + " " + String.join("/", s)
                + " (the local HubSpot sandbox implements CRM objects, search, associations, pipelines, properties and owners)");
    }

    // ---------------------------------------------------------------------------------------------
    // Objects

    private CrmObject create(String type, JsonNode input, Instant now, List<StageChange> changes) {
        Map<String, String> properties = properties(input.path("properties"));
        checkCreate(type, properties, List.of());
        CrmObject created = put(type, newId(), properties, now, null, changes);
        for (JsonNode association : input.path("associations")) {
            String toId = association.path("to").path("id").asString("");
            for (JsonNode spec : association.path("types")) {
                int typeId = spec.path("associationTypeId").asInt(0);
                String toType = targetType(type, typeId, toId);
                associate(type, created.id(), toType, toId, typeId, spec.path("associationCategory").asString("HUBSPOT_DEFINED"));
                // an association is seen from both records, as one made with batch/associate/default is
                reverseType(toType, type).ifPresent(reverse -> associate(toType, toId, type, created.id(), reverse, "HUBSPOT_DEFINED"));
            }
        }
        return created;
    }

    /** HubSpot rejects a new contact whose email another contact already has. */
    private void checkCreate(String type, Map<String, String> properties, List<String> batchEmails) {
        if (type.equals("contacts") && properties.containsKey("email")) {
            String email = properties.get("email");
            Optional<CrmObject> existing = findBy(type, "email", email);
            if (existing.isPresent()) {
                throw new HubSpotError(409, "CONFLICT", "Contact already exists. Existing ID: " + existing.get().id());
            }
            if (batchEmails.contains(email)) {
                throw new HubSpotError(400, "VALIDATION_ERROR", "Duplicate email in batch: " + email);
            }
        }
        if (type.equals("deals")) {
            checkStage(properties);
        }
    }

    private void checkStage(Map<String, String> properties) {
        String stage = properties.get("dealstage");
        if (stage == null) {
            return;
        }
        String pipeline = properties.getOrDefault("pipeline", "default");
        Optional<HubSpotSandboxSettings.Pipeline> known = settings.pipelines().stream().filter(p -> p.id().equals(pipeline)).findFirst();
        if (known.isEmpty()) {
            throw new HubSpotError(400, "VALIDATION_ERROR", "INVALID_OPTION",
                    "Property values were not valid: [{\"isValid\":false,\"message\":\"" + pipeline
                            + " was not one of the allowed options\",\"error\":\"INVALID_OPTION\",\"name\":\"pipeline\"}]");
        }
        if (known.get().stages().stream().noneMatch(st -> st.id().equals(stage))) {
            throw new HubSpotError(400, "VALIDATION_ERROR", "INVALID_OPTION",
                    "Property values were not valid: [{\"isValid\":false,\"message\":\"" + stage
                            + " is not a valid stage of pipeline " + pipeline + "\",\"error\":\"INVALID_OPTION\",\"name\":\"dealstage\"}]");
        }
    }

    private CrmObject put(String type, String id, Map<String, String> properties, Instant now, CrmObject previous,
                          List<StageChange> changes) {
        Map<String, String> merged = new LinkedHashMap<>(previous == null ? Map.of() : previous.properties());
        properties.forEach((k, v) -> {
            if (v == null || v.isEmpty()) {
                merged.remove(k);
            } else {
                merged.put(k, v);
            }
        });
        if (type.equals("contacts") && merged.containsKey("email")) {
            merged.put("email", merged.get("email").trim().toLowerCase(Locale.ROOT));
        }
        if (type.equals("deals") && merged.containsKey("dealstage") && !merged.containsKey("pipeline")) {
            merged.put("pipeline", "default");
        }
        merged.put("hs_object_id", id);
        merged.put(type.equals("contacts") ? "lastmodifieddate" : "hs_lastmodifieddate", now.toString());
        merged.putIfAbsent("createdate", now.toString());
        CrmObject object = new CrmObject(type, id, Map.copyOf(merged), previous == null ? now : previous.createdAt(), now, false);
        objects.get(type).put(id, object);
        if (type.equals("deals") && properties.containsKey("dealstage")
                && (previous == null || !Objects.equals(previous.properties().get("dealstage"), merged.get("dealstage")))) {
            changes.add(new StageChange(id, merged.get("pipeline"), merged.get("dealstage"), now));
        }
        return object;
    }

    private CrmObject update(String type, String idOrValue, String idProperty, JsonNode props, Instant now, List<StageChange> changes) {
        CrmObject existing = find(type, idOrValue, idProperty);
        Map<String, String> properties = properties(props);
        if (type.equals("deals")) {
            Map<String, String> next = new LinkedHashMap<>(existing.properties());
            next.putAll(properties);
            checkStage(next);
        }
        if (type.equals("contacts") && properties.containsKey("email")) {
            Optional<CrmObject> other = findBy(type, "email", properties.get("email"));
            if (other.isPresent() && !other.get().id().equals(existing.id())) {
                throw new HubSpotError(409, "CONFLICT", "A contact with the email '" + properties.get("email")
                        + "' already exists. Existing ID: " + other.get().id());
            }
        }
        return put(type, existing.id(), properties, now, existing, changes);
    }

    private void archive(String type, String id, Instant now) {
        CrmObject existing = objects.get(type).get(id);
        if (existing != null) {
            objects.get(type).put(id, new CrmObject(type, id, existing.properties(), existing.createdAt(), now, true));
        }
    }

    private CrmObject find(String type, String idOrValue, String idProperty) {
        if (idProperty != null && !idProperty.isBlank() && !idProperty.equals("hs_object_id")) {
            requireUniqueProperty(type, idProperty);
            return findBy(type, idProperty, idOrValue).orElseThrow(() -> notFound(type, idOrValue));
        }
        CrmObject object = objects.get(type).get(idOrValue);
        if (object == null || object.archived()) {
            throw notFound(type, idOrValue);
        }
        return object;
    }

    private static HubSpotError notFound(String type, String id) {
        return new HubSpotError(404, "OBJECT_NOT_FOUND", "resource not found: " + singular(type) + " " + id);
    }

    /** HubSpot only matches records on email (contacts) or a custom property that requires unique values. */
    private void requireUniqueProperty(String type, String property) {
        if (property.equals("hs_object_id") || (type.equals("contacts") && property.equals("email"))) {
            return;
        }
        ObjectNode definition = customProperties.getOrDefault(type, Map.of()).get(property);
        if (definition == null) {
            throw new HubSpotError(400, "VALIDATION_ERROR", "Property '" + property + "' does not exist on " + type);
        }
        if (!definition.path("hasUniqueValue").asBoolean(false)) {
            throw new HubSpotError(400, "VALIDATION_ERROR", "Property '" + property + "' is not a unique value property and cannot be used as idProperty");
        }
    }

    private Optional<CrmObject> findBy(String type, String property, String value) {
        String wanted = property.equals("email") ? value.trim().toLowerCase(Locale.ROOT) : value;
        return objects.get(type).values().stream()
                .filter(o -> !o.archived() && wanted.equalsIgnoreCase(o.properties().getOrDefault(property, "")))
                .findFirst();
    }

    private Answer list(String type, Map<String, String> query) {
        int limit = Math.min(100, Integer.parseInt(query.getOrDefault("limit", "10")));
        long after = Long.parseLong(query.getOrDefault("after", "0"));
        List<CrmObject> page = objects.get(type).values().stream()
                .filter(o -> !o.archived() && Long.parseLong(o.id()) > after)
                .sorted(Comparator.comparingLong(o -> Long.parseLong(o.id())))
                .limit(limit + 1L).toList();
        ObjectNode answer = JSON.createObjectNode();
        ArrayNode results = answer.putArray("results");
        page.stream().limit(limit).forEach(o -> results.add(view(o, query)));
        if (page.size() > limit) {
            answer.putObject("paging").putObject("next").put("after", page.get(limit - 1).id());
        }
        return Answer.of(200, answer);
    }

    private Answer batch(String type, String operation, JsonNode body, Instant now, List<StageChange> changes) {
        JsonNode inputs = body.path("inputs");
        if (!inputs.isArray()) {
            throw new HubSpotError(400, "VALIDATION_ERROR", "Invalid input JSON: inputs must be an array");
        }
        if (inputs.size() > 100) {
            throw new HubSpotError(400, "VALIDATION_ERROR", "Too many inputs: " + inputs.size() + " (at most 100 per batch)");
        }
        Instant started = now;
        ArrayNode results = JSON.createArrayNode();
        ArrayNode errors = JSON.createArrayNode();
        switch (operation) {
            case "create" -> {
                // The whole batch is validated first: HubSpot creates nothing when one input is rejected.
                List<String> emails = new ArrayList<>();
                for (JsonNode input : inputs) {
                    Map<String, String> properties = properties(input.path("properties"));
                    checkCreate(type, properties, emails);
                    if (properties.containsKey("email")) {
                        emails.add(properties.get("email").trim().toLowerCase(Locale.ROOT));
                    }
                }
                for (JsonNode input : inputs) {
                    results.add(traced(view(create(type, input, now, changes), Map.of()), input));
                }
                return batchAnswer(201, results, errors, started, now);
            }
            case "read" -> {
                String idProperty = body.path("idProperty").asString(null);
                for (JsonNode input : inputs) {
                    String id = input.path("id").asString("");
                    try {
                        results.add(view(find(type, id, idProperty), Map.of()));
                    } catch (HubSpotError e) {
                        errors.add(batchError(e, id));
                    }
                }
                return batchAnswer(200, results, errors, started, now);
            }
            case "update" -> {
                for (JsonNode input : inputs) {
                    String id = input.path("id").asString("");
                    try {
                        results.add(traced(view(update(type, id, input.path("idProperty").asString(null), input.path("properties"), now,
                                changes), Map.of()), input));
                    } catch (HubSpotError e) {
                        errors.add(batchError(e, id));
                    }
                }
                return batchAnswer(200, results, errors, started, now);
            }
            case "upsert" -> {
                for (JsonNode input : inputs) {
                    String idProperty = input.path("idProperty").asString("");
                    String id = input.path("id").asString("");
                    if (idProperty.isBlank() || id.isBlank()) {
                        errors.add(batchError(new HubSpotError(400, "VALIDATION_ERROR", "idProperty and id are required for upsert"), id));
                        continue;
                    }
                    try {
                        requireUniqueProperty(type, idProperty);
                    } catch (HubSpotError e) {
                        errors.add(batchError(e, id));
                        continue;
                    }
                    Optional<CrmObject> existing = findBy(type, idProperty, id);
                    Map<String, String> properties = new LinkedHashMap<>(properties(input.path("properties")));
                    properties.putIfAbsent(idProperty, id);
                    try {
                        if (type.equals("deals")) {
                            Map<String, String> next = new LinkedHashMap<>(existing.map(CrmObject::properties).orElse(Map.of()));
                            next.putAll(properties);
                            checkStage(next);
                        }
                        CrmObject object = put(type, existing.map(CrmObject::id).orElseGet(this::newId), properties, now,
                                existing.orElse(null), changes);
                        ObjectNode view = traced(view(object, Map.of()), input);
                        view.put("new", existing.isEmpty());
                        results.add(view);
                    } catch (HubSpotError e) {
                        errors.add(batchError(e, id));
                    }
                }
                return batchAnswer(200, results, errors, started, now);
            }
            case "archive" -> {
                for (JsonNode input : inputs) {
                    archive(type, input.path("id").asString(""), now);
                }
                return Answer.of(204, null);
            }
            default -> throw new HubSpotError(404, "OBJECT_NOT_FOUND", "Unknown batch operation " + operation);
        }
    }

    /** HubSpot echoes an input's {@code objectWriteTraceId} on its result, so clients can match them. */
    private static ObjectNode traced(ObjectNode result, JsonNode input) {
        JsonNode trace = input.path("objectWriteTraceId");
        if (trace.isValueNode() && !trace.isNull()) {
            result.put("objectWriteTraceId", trace.asString());
        }
        return result;
    }

    private static Answer batchAnswer(int okStatus, ArrayNode results, ArrayNode errors, Instant started, Instant now) {
        ObjectNode answer = JSON.createObjectNode();
        answer.put("status", "COMPLETE");
        answer.set("results", results);
        if (!errors.isEmpty()) {
            answer.put("numErrors", errors.size());
            answer.set("errors", errors);
        }
        answer.put("startedAt", started.toString());
        answer.put("completedAt", now.toString());
        return Answer.of(errors.isEmpty() ? okStatus : 207, answer);
    }

    private static ObjectNode batchError(HubSpotError e, String id) {
        ObjectNode error = JSON.createObjectNode();
        error.put("status", "error");
        error.put("category", e.category);
        if (e.subCategory != null) {
            error.put("subCategory", e.subCategory);
        }
        error.put("message", e.getMessage());
        error.putObject("context").putArray("ids").add(id);
        return error;
    }

    private Answer search(String type, JsonNode body) {
        int limit = Math.max(1, Math.min(200, body.path("limit").asInt(10)));
        int after = body.path("after").asInt(0);
        List<CrmObject> matches = objects.get(type).values().stream().filter(o -> !o.archived()).filter(o -> matches(o, body)).toList();
        JsonNode sorts = body.path("sorts");
        if (sorts.isArray() && !sorts.isEmpty()) {
            JsonNode first = sorts.get(0);
            String property = first.isString() ? first.asString().replaceFirst("^-", "") : first.path("propertyName").asString("");
            boolean descending = first.isString() ? first.asString().startsWith("-") : "DESCENDING".equals(first.path("direction").asString(""));
            Comparator<CrmObject> order = Comparator.comparing(o -> o.properties().getOrDefault(property, ""));
            matches = matches.stream().sorted(descending ? order.reversed() : order).toList();
        }
        ObjectNode answer = JSON.createObjectNode();
        answer.put("total", matches.size());
        ArrayNode results = answer.putArray("results");
        matches.stream().skip(after).limit(limit).forEach(o -> results.add(view(o, Map.of())));
        if (after + limit < matches.size()) {
            answer.putObject("paging").putObject("next").put("after", String.valueOf(after + limit));
        }
        return Answer.of(200, answer);
    }

    private static boolean matches(CrmObject object, JsonNode body) {
        JsonNode groups = body.path("filterGroups");
        if (!groups.isArray() || groups.isEmpty()) {
            String query = body.path("query").asString("");
            return query.isBlank() || object.properties().values().stream()
                    .anyMatch(v -> v.toLowerCase(Locale.ROOT).contains(query.toLowerCase(Locale.ROOT)));
        }
        for (JsonNode group : groups) {
            boolean all = true;
            for (JsonNode filter : group.path("filters")) {
                if (!matchesFilter(object, filter)) {
                    all = false;
                    break;
                }
            }
            if (all) {
                return true;
            }
        }
        return false;
    }

    private static boolean matchesFilter(CrmObject object, JsonNode filter) {
        String property = filter.path("propertyName").asString("");
        String actual = property.equals("hs_object_id") || property.equals("id") ? object.id() : object.properties().get(property);
        String operator = filter.path("operator").asString("EQ");
        String value = filter.path("value").asString("");
        return switch (operator) {
            case "EQ" -> actual != null && actual.equalsIgnoreCase(value);
            case "NEQ" -> actual == null || !actual.equalsIgnoreCase(value);
            case "HAS_PROPERTY" -> actual != null && !actual.isEmpty();
            case "NOT_HAS_PROPERTY" -> actual == null || actual.isEmpty();
            case "CONTAINS_TOKEN" -> actual != null && actual.toLowerCase(Locale.ROOT).contains(value.replace("*", "").toLowerCase(Locale.ROOT));
            case "NOT_CONTAINS_TOKEN" -> actual == null || !actual.toLowerCase(Locale.ROOT).contains(value.replace("*", "").toLowerCase(Locale.ROOT));
            case "IN" -> {
                boolean found = false;
                for (JsonNode v : filter.path("values")) {
                    found |= actual != null && actual.equalsIgnoreCase(v.asString(""));
                }
                yield found;
            }
            case "NOT_IN" -> {
                boolean found = false;
                for (JsonNode v : filter.path("values")) {
                    found |= actual != null && actual.equalsIgnoreCase(v.asString(""));
                }
                yield !found;
            }
            case "GT", "GTE", "LT", "LTE" -> actual != null && compare(actual, value, operator);
            default -> throw new HubSpotError(400, "VALIDATION_ERROR", "Unknown filter operator " + operator);
        };
    }

    private static boolean compare(String actual, String value, String operator) {
        int c;
        try {
            c = Double.compare(Double.parseDouble(actual), Double.parseDouble(value));
        } catch (NumberFormatException e) {
            c = actual.compareTo(value);
        }
        return switch (operator) {
            case "GT" -> c > 0;
            case "GTE" -> c >= 0;
            case "LT" -> c < 0;
            default -> c <= 0;
        };
    }

    // ---------------------------------------------------------------------------------------------
    // Associations

    private Answer objectAssociations(String version, String method, String fromType, String fromId, List<String> rest, JsonNode body) {
        find(fromType, fromId, null);
        if (version.equals("v4") && rest.size() == 1 && method.equals("GET")) {
            String toType = type(rest.get(0));
            ObjectNode answer = JSON.createObjectNode();
            ArrayNode results = answer.putArray("results");
            Map<String, ArrayNode> byTarget = new LinkedHashMap<>();
            for (Association a : associations) {
                if (a.fromType().equals(fromType) && a.fromId().equals(fromId) && a.toType().equals(toType)) {
                    ArrayNode types = byTarget.computeIfAbsent(a.toId(), id -> {
                        ObjectNode result = results.addObject();
                        result.put("toObjectId", Long.parseLong(id));
                        return result.putArray("associationTypes");
                    });
                    ObjectNode t = types.addObject();
                    t.put("category", a.category());
                    t.put("typeId", a.typeId());
                    t.putNull("label");
                }
            }
            return Answer.of(200, answer);
        }
        if (version.equals("v4") && rest.size() == 3 && rest.get(0).equals("default") && method.equals("PUT")) {
            String toType = type(rest.get(1));
            String toId = rest.get(2);
            find(toType, toId, null);
            int typeId = defaultType(fromType, toType);
            associate(fromType, fromId, toType, toId, typeId, "HUBSPOT_DEFINED");
            associate(toType, toId, fromType, fromId, defaultType(toType, fromType), "HUBSPOT_DEFINED");
            ObjectNode answer = JSON.createObjectNode();
            answer.put("status", "COMPLETE");
            ObjectNode result = answer.putArray("results").addObject();
            result.putObject("from").put("id", fromId);
            result.putObject("to").put("id", toId);
            ObjectNode spec = result.putObject("associationSpec");
            spec.put("associationCategory", "HUBSPOT_DEFINED");
            spec.put("associationTypeId", typeId);
            return Answer.of(200, answer);
        }
        if (version.equals("v4") && rest.size() == 2 && method.equals("PUT")) {
            String toType = type(rest.get(0));
            String toId = rest.get(1);
            find(toType, toId, null);
            ArrayNode labels = JSON.createArrayNode();
            for (JsonNode spec : body) {
                associate(fromType, fromId, toType, toId, spec.path("associationTypeId").asInt(defaultType(fromType, toType)),
                        spec.path("associationCategory").asString("HUBSPOT_DEFINED"));
                labels.addNull();
            }
            ObjectNode answer = JSON.createObjectNode();
            answer.put("fromObjectTypeId", TYPE_IDS.get(fromType));
            answer.put("fromObjectId", Long.parseLong(fromId));
            answer.put("toObjectTypeId", TYPE_IDS.get(toType));
            answer.put("toObjectId", Long.parseLong(toId));
            answer.set("labels", JSON.createArrayNode());
            return Answer.of(201, answer);
        }
        if (rest.size() >= 2 && method.equals("DELETE")) {
            String toType = type(rest.get(0));
            String toId = rest.get(1);
            associations.removeIf(a -> a.fromType().equals(fromType) && a.fromId().equals(fromId) && a.toType().equals(toType) && a.toId().equals(toId));
            return Answer.of(204, null);
        }
        if (version.equals("v3") && rest.size() == 3 && method.equals("PUT")) {
            String toType = type(rest.get(0));
            String toId = rest.get(1);
            find(toType, toId, null);
            int typeId = parseTypeId(rest.get(2), fromType, toType);
            associate(fromType, fromId, toType, toId, typeId, "HUBSPOT_DEFINED");
            return Answer.of(200, view(find(fromType, fromId, null), Map.of("associations", toType)));
        }
        throw new HubSpotError(404, "OBJECT_NOT_FOUND", "Unable to route " + method + " associations/" + String.join("/", rest));
    }

    private Answer batchAssociations(String version, String fromType, String toType, String operation, JsonNode body) {
        Instant now = clock.instant();
        ArrayNode results = JSON.createArrayNode();
        ArrayNode errors = JSON.createArrayNode();
        for (JsonNode input : body.path("inputs")) {
            String fromId = input.path("from").path("id").asString(input.path("id").asString(""));
            String toId = input.path("to").path("id").asString("");
            try {
                switch (operation) {
                    case "read" -> {
                        find(fromType, fromId, null);
                        ObjectNode result = results.addObject();
                        result.putObject("from").put("id", fromId);
                        ArrayNode to = result.putArray("to");
                        for (Association a : associations) {
                            if (a.fromType().equals(fromType) && a.fromId().equals(fromId) && a.toType().equals(toType)) {
                                if (version.equals("v4")) {
                                    ObjectNode t = to.addObject();
                                    t.put("toObjectId", Long.parseLong(a.toId()));
                                    ObjectNode type = t.putArray("associationTypes").addObject();
                                    type.put("category", a.category());
                                    type.put("typeId", a.typeId());
                                    type.putNull("label");
                                } else {
                                    to.addObject().put("id", a.toId()).put("type", singular(fromType) + "_to_" + singular(toType));
                                }
                            }
                        }
                    }
                    case "associate", "create" -> {
                        find(fromType, fromId, null);
                        find(toType, toId, null);
                        List<Integer> typeIds = new ArrayList<>();
                        if (operation.equals("associate") || (version.equals("v3") && !input.has("types"))) {
                            typeIds.add(version.equals("v3") && input.has("type")
                                    ? parseTypeId(input.path("type").asString(""), fromType, toType) : defaultType(fromType, toType));
                        } else {
                            for (JsonNode spec : input.path("types")) {
                                typeIds.add(spec.path("associationTypeId").asInt(defaultType(fromType, toType)));
                            }
                        }
                        for (int typeId : typeIds) {
                            associate(fromType, fromId, toType, toId, typeId, "HUBSPOT_DEFINED");
                        }
                        if (operation.equals("associate")) {
                            associate(toType, toId, fromType, fromId, defaultType(toType, fromType), "HUBSPOT_DEFINED");
                        }
                        ObjectNode result = results.addObject();
                        if (version.equals("v4") && operation.equals("associate")) {
                            // batch/associate/default answers with the spec it used and the ids as given.
                            result.putObject("associationSpec").put("associationCategory", "HUBSPOT_DEFINED")
                                    .put("associationTypeId", typeIds.get(0));
                            result.putObject("from").put("id", fromId);
                            result.putObject("to").put("id", toId);
                        } else if (version.equals("v4")) {
                            result.put("fromObjectTypeId", TYPE_IDS.get(fromType));
                            result.put("fromObjectId", Long.parseLong(fromId));
                            result.put("toObjectTypeId", TYPE_IDS.get(toType));
                            result.put("toObjectId", Long.parseLong(toId));
                            result.set("labels", JSON.createArrayNode());
                        } else {
                            result.putObject("from").put("id", fromId);
                            result.putObject("to").put("id", toId);
                            result.put("type", singular(fromType) + "_to_" + singular(toType));
                        }
                    }
                    case "archive" -> associations.removeIf(a -> a.fromType().equals(fromType) && a.fromId().equals(fromId)
                            && a.toType().equals(toType) && (toId.isEmpty() || a.toId().equals(toId)));
                    default -> throw new HubSpotError(404, "OBJECT_NOT_FOUND", "Unknown association batch operation " + operation);
                }
            } catch (HubSpotError e) {
                errors.add(batchError(e, fromId));
            }
        }
        if (operation.equals("archive")) {
            return Answer.of(204, null);
        }
        return batchAnswer(operation.equals("read") ? 200 : 201, results, errors, now, now);
    }

    private void associate(String fromType, String fromId, String toType, String toId, int typeId, String category) {
        Association association = new Association(fromType, fromId, toType, toId, typeId, category);
        associations.add(association);
    }

    private static Optional<Integer> reverseType(String fromType, String toType) {
        return ASSOCIATION_TYPES.stream().filter(t -> t.fromType().equals(fromType) && t.toType().equals(toType) && t.defaultType())
                .map(AssociationType::id).findFirst();
    }

    private static int defaultType(String fromType, String toType) {
        return ASSOCIATION_TYPES.stream().filter(t -> t.fromType().equals(fromType) && t.toType().equals(toType) && t.defaultType())
                .map(AssociationType::id).findFirst()
                .orElseThrow(() -> new HubSpotError(400, "VALIDATION_ERROR", "No default association from " + fromType + " to " + toType));
    }

    private static int parseTypeId(String value, String fromType, String toType) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            return defaultType(fromType, toType);
        }
    }

    /** The object type an inline association points at, from its type id (or, failing that, from where the id exists). */
    private String targetType(String fromType, int typeId, String toId) {
        Optional<String> byType = ASSOCIATION_TYPES.stream().filter(t -> t.fromType().equals(fromType) && t.id() == typeId)
                .map(AssociationType::toType).findFirst();
        if (byType.isPresent()) {
            find(byType.get(), toId, null);
            return byType.get();
        }
        return objects.entrySet().stream().filter(e -> e.getValue().containsKey(toId)).map(Map.Entry::getKey).findFirst()
                .orElseThrow(() -> new HubSpotError(400, "VALIDATION_ERROR", "INVALID_ASSOCIATION",
                        "Association type " + typeId + " from " + fromType + " to object " + toId + " is not valid"));
    }

    // ---------------------------------------------------------------------------------------------
    // Pipelines, properties, owners

    private Answer pipelines(String type, String pipelineId, boolean stagesOnly) {
        if (!type.equals("deals")) {
            return Answer.of(200, JSON.createObjectNode().set("results", JSON.createArrayNode()));
        }
        ArrayNode all = JSON.createArrayNode();
        for (HubSpotSandboxSettings.Pipeline pipeline : settings.pipelines()) {
            ObjectNode p = all.addObject();
            p.put("id", pipeline.id());
            p.put("label", pipeline.label());
            p.put("displayOrder", all.size() - 1);
            p.put("archived", false);
            ArrayNode stages = p.putArray("stages");
            int order = 0;
            for (HubSpotSandboxSettings.Stage stage : pipeline.stages()) {
                ObjectNode st = stages.addObject();
                st.put("id", stage.id());
                st.put("label", stage.label());
                st.put("displayOrder", order++);
                st.putObject("metadata").put("isClosed", String.valueOf(stage.closed())).put("probability", stage.probability());
                st.put("archived", false);
            }
        }
        if (pipelineId == null) {
            return Answer.of(200, JSON.createObjectNode().set("results", all));
        }
        for (JsonNode p : all) {
            if (p.path("id").asString().equals(pipelineId)) {
                return Answer.of(200, stagesOnly ? JSON.createObjectNode().set("results", p.path("stages")) : p);
            }
        }
        throw new HubSpotError(404, "OBJECT_NOT_FOUND", "Pipeline " + pipelineId + " does not exist");
    }

    private Answer properties(String method, String type, List<String> rest, JsonNode body) {
        Map<String, ObjectNode> custom = customProperties.computeIfAbsent(type, t -> new LinkedHashMap<>());
        if (!rest.isEmpty() && rest.get(0).equals("groups")) {
            return propertyGroups(method, type, rest.subList(1, rest.size()), body);
        }
        if (rest.isEmpty() && method.equals("GET")) {
            ArrayNode results = JSON.createArrayNode();
            for (String name : standardProperties(type)) {
                results.add(property(type, name, false));
            }
            custom.values().forEach(results::add);
            return Answer.of(200, JSON.createObjectNode().set("results", results));
        }
        if (rest.isEmpty() && method.equals("POST")) {
            String name = body.path("name").asString("");
            if (name.isBlank()) {
                throw new HubSpotError(400, "VALIDATION_ERROR", "Property name is required");
            }
            if (custom.containsKey(name) || standardProperties(type).contains(name)) {
                throw new HubSpotError(409, "CONFLICT", "A property named '" + name + "' already exists.");
            }
            ObjectNode created = property(type, name, true);
            body.properties().forEach(e -> created.set(e.getKey(), e.getValue()));
            custom.put(name, created);
            return Answer.of(201, created);
        }
        if (rest.size() == 1 && method.equals("GET")) {
            String name = rest.get(0);
            if (custom.containsKey(name)) {
                return Answer.of(200, custom.get(name));
            }
            if (standardProperties(type).contains(name)) {
                return Answer.of(200, property(type, name, false));
            }
            throw new HubSpotError(404, "OBJECT_NOT_FOUND", "Unable to find property named '" + name + "' for object type " + type);
        }
        if (rest.size() == 2 && rest.get(0).equals("batch") && method.equals("POST")) {
            ArrayNode results = JSON.createArrayNode();
            for (JsonNode input : body.path("inputs")) {
                String name = input.path("name").asString("");
                ObjectNode p = custom.computeIfAbsent(name, n -> property(type, n, true));
                if (rest.get(1).equals("create")) {
                    input.properties().forEach(e -> p.set(e.getKey(), e.getValue()));
                }
                results.add(p);
            }
            return batchAnswer(rest.get(1).equals("create") ? 201 : 200, results, JSON.createArrayNode(), clock.instant(), clock.instant());
        }
        throw new HubSpotError(404, "OBJECT_NOT_FOUND", "Unable to route " + method + " properties/" + String.join("/", rest));
    }

    private Answer propertyGroups(String method, String type, List<String> rest, JsonNode body) {
        Map<String, ObjectNode> groups = propertyGroups.computeIfAbsent(type, t -> {
            Map<String, ObjectNode> standard = new LinkedHashMap<>();
            standard.put(singular(t) + "information", group(singular(t) + "information", singular(t) + " information", 0));
            return standard;
        });
        if (rest.isEmpty() && method.equals("GET")) {
            ArrayNode results = JSON.createArrayNode();
            groups.values().forEach(results::add);
            return Answer.of(200, JSON.createObjectNode().set("results", results));
        }
        if (rest.isEmpty() && method.equals("POST")) {
            String name = body.path("name").asString("");
            if (name.isBlank()) {
                throw new HubSpotError(400, "VALIDATION_ERROR", "Property group name is required");
            }
            if (groups.containsKey(name)) {
                throw new HubSpotError(409, "CONFLICT", "A property group named '" + name + "' already exists.");
            }
            ObjectNode created = group(name, body.path("label").asString(name), body.path("displayOrder").asInt(-1));
            groups.put(name, created);
            return Answer.of(201, created);
        }
        if (rest.size() == 1 && method.equals("GET")) {
            ObjectNode group = groups.get(rest.get(0));
            if (group == null) {
                throw new HubSpotError(404, "OBJECT_NOT_FOUND", "Unable to find property group named '" + rest.get(0) + "'");
            }
            return Answer.of(200, group);
        }
        throw new HubSpotError(404, "OBJECT_NOT_FOUND", "Unable to route " + method + " properties/groups/" + String.join("/", rest));
    }

    private static ObjectNode group(String name, String label, int displayOrder) {
        ObjectNode group = JSON.createObjectNode();
        group.put("name", name);
        group.put("label", label);
        group.put("displayOrder", displayOrder);
        group.put("archived", false);
        return group;
    }

    private static ObjectNode property(String type, String name, boolean custom) {
        ObjectNode p = JSON.createObjectNode();
        p.put("name", name);
        p.put("label", name);
        p.put("type", "string");
        p.put("fieldType", "text");
        p.put("groupName", singular(type) + "information");
        p.put("hubspotDefined", !custom);
        p.put("archived", false);
        return p;
    }

    private static List<String> standardProperties(String type) {
        return switch (type) {
            case "contacts" -> List.of("email", "firstname", "lastname", "jobtitle", "company", "country", "website",
                    "lifecyclestage", "hs_lead_status", "hubspot_owner_id", "message");
            case "companies" -> List.of("name", "domain", "country", "industry", "lifecyclestage", "hubspot_owner_id");
            case "deals" -> List.of("dealname", "pipeline", "dealstage", "amount", "closedate", "hubspot_owner_id", "description",
                    "hs_is_closed");
            case "tasks" -> List.of("hs_timestamp", "hs_task_subject", "hs_task_body", "hs_task_status", "hs_task_priority",
                    "hs_task_type", "hubspot_owner_id");
            case "notes" -> List.of("hs_timestamp", "hs_note_body", "hubspot_owner_id");
            default -> List.of();
        };
    }

    private Answer owners(String id, String email) {
        ArrayNode results = JSON.createArrayNode();
        for (HubSpotSandboxSettings.Owner owner : settings.owners()) {
            if ((id == null || id.equals(owner.id())) && (email == null || email.equalsIgnoreCase(owner.email()))) {
                ObjectNode o = results.addObject();
                o.put("id", owner.id());
                o.put("email", owner.email());
                o.put("firstName", owner.firstName());
                o.put("lastName", owner.lastName());
                o.put("userId", Long.parseLong(owner.id()) + 1_000_000);
                o.put("archived", false);
            }
        }
        if (id != null) {
            if (results.isEmpty()) {
                throw new HubSpotError(404, "OBJECT_NOT_FOUND", "Owner " + id + " does not exist");
            }
            return Answer.of(200, results.get(0));
        }
        return Answer.of(200, JSON.createObjectNode().set("results", results));
    }

    // ---------------------------------------------------------------------------------------------
    // Rate limits, errors, views

    private Optional<Answer> rateLimit(Instant now, boolean search) {
        long at = now.toEpochMilli();
        prune(window, at - settings.rateWindow().toMillis());
        prune(searchWindow, at - 1000);
        if (window.size() >= settings.rateLimit()) {
            return Optional.of(tooMany("TEN_SECONDLY_ROLLING", "You have reached your ten_secondly_rolling limit.",
                    retryAfter(window, at, settings.rateWindow())));
        }
        if (search && searchWindow.size() >= settings.searchRateLimit()) {
            return Optional.of(tooMany("SECONDLY", "You have reached your secondly limit.", retryAfter(searchWindow, at, Duration.ofSeconds(1))));
        }
        window.addLast(at);
        if (search) {
            searchWindow.addLast(at);
        }
        return Optional.empty();
    }

    private static long retryAfter(Deque<Long> window, long now, Duration length) {
        long oldest = window.isEmpty() ? now : window.peekFirst();
        return Math.max(1, (oldest + length.toMillis() - now + 999) / 1000);
    }

    private static void prune(Deque<Long> window, long before) {
        while (!window.isEmpty() && window.peekFirst() <= before) {
            window.removeFirst();
        }
    }

    private Answer tooMany(String policy, String message, long retryAfterSeconds) {
        ObjectNode body = JSON.createObjectNode();
        body.put("status", "error");
        body.put("message", message);
        body.put("errorType", "RATE_LIMIT");
        body.put("correlationId", UUID.randomUUID().toString());
        body.put("policyName", policy);
        body.put("groupName", "leadflow-local-sandbox");
        Map<String, String> headers = new LinkedHashMap<>(rateHeaders(0));
        headers.put("Retry-After", String.valueOf(retryAfterSeconds));
        return new Answer(429, body, headers);
    }

    private Answer withRateHeaders(Answer answer, Instant now) {
        Map<String, String> headers = new LinkedHashMap<>(answer.headers());
        headers.putAll(rateHeaders(Math.max(0, settings.rateLimit() - window.size())));
        return new Answer(answer.status(), answer.body(), headers);
    }

    private Map<String, String> rateHeaders(int remaining) {
        return Map.of("X-HubSpot-RateLimit-Interval-Milliseconds", String.valueOf(settings.rateWindow().toMillis()),
                "X-HubSpot-RateLimit-Max", String.valueOf(settings.rateLimit()),
                "X-HubSpot-RateLimit-Remaining", String.valueOf(remaining));
    }

    private static Answer error(HubSpotError e) {
        ObjectNode body = JSON.createObjectNode();
        body.put("status", "error");
        body.put("message", e.getMessage());
        body.put("correlationId", UUID.randomUUID().toString());
        body.put("category", e.category);
        if (e.subCategory != null) {
            body.put("subCategory", e.subCategory);
        }
        return Answer.of(e.status, body);
    }

    private ObjectNode view(CrmObject object, Map<String, String> query) {
        ObjectNode node = JSON.createObjectNode();
        node.put("id", object.id());
        ObjectNode props = node.putObject("properties");
        object.properties().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> props.put(e.getKey(), e.getValue()));
        if (object.type().equals("deals")) {
            // calculated by HubSpot from the stage's metadata.isClosed (closed won or closed lost)
            props.put("hs_is_closed", String.valueOf(closedStage(object.properties())));
        }
        node.put("createdAt", object.createdAt().toString());
        node.put("updatedAt", object.updatedAt().toString());
        node.put("archived", object.archived());
        String wanted = query.get("associations");
        if (wanted != null && !wanted.isBlank()) {
            ObjectNode assoc = node.putObject("associations");
            for (String raw : wanted.split(",")) {
                String toType = type(raw.trim());
                ArrayNode results = assoc.putObject(toType).putArray("results");
                for (Association a : associations) {
                    if (a.fromType().equals(object.type()) && a.fromId().equals(object.id()) && a.toType().equals(toType)) {
                        results.addObject().put("id", a.toId()).put("type", singular(object.type()) + "_to_" + singular(toType));
                    }
                }
            }
        }
        return node;
    }

    private boolean closedStage(Map<String, String> deal) {
        String pipeline = deal.getOrDefault("pipeline", "default");
        String stage = deal.get("dealstage");
        return settings.pipelines().stream().filter(p -> p.id().equals(pipeline))
                .flatMap(p -> p.stages().stream()).anyMatch(st -> st.id().equals(stage) && st.closed());
    }

    private static Map<String, String> properties(JsonNode node) {
        Map<String, String> properties = new LinkedHashMap<>();
        if (node != null && node.isObject()) {
            node.properties().forEach(e -> properties.put(e.getKey(), e.getValue().isNull() ? "" : e.getValue().asString("")));
        }
        return properties;
    }

    private String newId() {
        return String.valueOf(nextId.getAndIncrement());
    }

    private static String type(String raw) {
        String type = TYPE_ALIASES.get(raw.toLowerCase(Locale.ROOT));
        if (type == null) {
            throw new HubSpotError(400, "VALIDATION_ERROR", "Unable to infer object type from: " + raw);
        }
        return type;
    }

    private static String singular(String type) {
        return type.equals("companies") ? "company" : type.substring(0, type.length() - 1);
    }

    private static List<String> segments(String path) {
        List<String> segments = new ArrayList<>();
        for (String s : path.split("/")) {
            if (!s.isEmpty()) {
                segments.add(java.net.URLDecoder.decode(s, java.nio.charset.StandardCharsets.UTF_8));
            }
        }
        return segments;
    }

    /** The path with ids replaced, so call counts group by endpoint. */
    static String template(String path) {
        return path.replaceAll("/\\d+(?=/|$)", "/{id}").replaceAll("/[^/]+@[^/]+", "/{id}");
    }

    private static String summary(Answer answer) {
        if (answer.body() == null) {
            return "";
        }
        String text = answer.body().toString();
        return text.length() > 300 ? text.substring(0, 300) + "…" : text;
    }

    private static String summarizeRequest(String body) {
        if (body == null) {
            return "";
        }
        return body.length() > 300 ? body.substring(0, 300) + "…" : body;
    }

    // ---------------------------------------------------------------------------------------------
    // What the console shows

    /** Every live object of a type, newest first, as HubSpot would return it (with associations to the main types). */
    public ArrayNode objects(String rawType) {
        String type = type(rawType);
        synchronized (lock) {
            ArrayNode all = JSON.createArrayNode();
            List<CrmObject> list = new ArrayList<>(objects.get(type).values());
            java.util.Collections.reverse(list);
            for (CrmObject object : list) {
                if (!object.archived()) {
                    all.add(view(object, Map.of("associations", "contacts,companies,deals")));
                }
            }
            return all;
        }
    }

    /** The most recent calls, newest first. */
    public List<RecordedCall> calls(int limit) {
        synchronized (lock) {
            List<RecordedCall> list = new ArrayList<>(calls);
            java.util.Collections.reverse(list);
            return list.stream().limit(limit).toList();
        }
    }

    /** Calls per endpoint since start, and how many were answered 429. */
    public Map<String, Long> callCounts() {
        synchronized (lock) {
            Map<String, Long> counts = new LinkedHashMap<>(callCounts);
            counts.put("429 answers", rateLimited);
            return counts;
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Persistence: the sandbox keeps its CRM across restarts of the local stack, as a real portal would.

    /** Writes the whole state to {@code store}. */
    public void saveTo(SandboxStore store) {
        ObjectNode root = JSON.createObjectNode();
        synchronized (lock) {
            root.put("nextId", nextId.get());
            ObjectNode all = root.putObject("objects");
            objects.forEach((type, byId) -> {
                ArrayNode list = all.putArray(type);
                byId.values().forEach(o -> {
                    ObjectNode n = list.addObject();
                    n.put("id", o.id());
                    n.put("createdAt", o.createdAt().toString());
                    n.put("updatedAt", o.updatedAt().toString());
                    n.put("archived", o.archived());
                    ObjectNode props = n.putObject("properties");
                    o.properties().forEach(props::put);
                });
            });
            ObjectNode props = root.putObject("properties");
            customProperties.forEach((type, byName) -> {
                ArrayNode list = props.putArray(type);
                byName.values().forEach(list::add);
            });
            ArrayNode assoc = root.putArray("associations");
            associations.forEach(a -> assoc.addObject().put("fromType", a.fromType()).put("fromId", a.fromId())
                    .put("toType", a.toType()).put("toId", a.toId()).put("typeId", a.typeId()).put("category", a.category()));
        }
        store.write(root);
    }

    /** Restores what {@link #saveTo} wrote, if anything. */
    public void loadFrom(SandboxStore store) {
        store.read().ifPresent(root -> {
            synchronized (lock) {
                nextId.set(Math.max(nextId.get(), root.path("nextId").asLong(10_001)));
                root.path("objects").properties().forEach(e -> {
                    Map<String, CrmObject> byId = objects.computeIfAbsent(e.getKey(), t -> new LinkedHashMap<>());
                    for (JsonNode n : e.getValue()) {
                        byId.put(n.path("id").asString(), new CrmObject(e.getKey(), n.path("id").asString(),
                                Map.copyOf(properties(n.path("properties"))), Instant.parse(n.path("createdAt").asString()),
                                Instant.parse(n.path("updatedAt").asString()), n.path("archived").asBoolean(false)));
                    }
                });
                root.path("properties").properties().forEach(e -> {
                    Map<String, ObjectNode> byName = customProperties.computeIfAbsent(e.getKey(), t -> new LinkedHashMap<>());
                    for (JsonNode p : e.getValue()) {
                        byName.put(p.path("name").asString(), (ObjectNode) p);
                    }
                });
                for (JsonNode a : root.path("associations")) {
                    associations.add(new Association(a.path("fromType").asString(), a.path("fromId").asString(),
                            a.path("toType").asString(), a.path("toId").asString(), a.path("typeId").asInt(), a.path("category").asString()));
                }
            }
        });
    }
}
