package io.leadflow.crm;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

/**
 * A WireMock HubSpot that behaves like the real CRM API for the endpoints crm-sync calls: it keeps contacts, companies,
 * deals, notes, tasks and associations in memory (so duplicates can be counted), answers batch calls with 207 and
 * per-item errors, enforces a rolling rate limit with HubSpot's 429 body ({@code policyName: TEN_SECONDLY_ROLLING})
 * and rate-limit headers, can limit CRM searches per second as HubSpot does (429 {@code policyName: SECONDLY}), and can
 * be told to fail (503 storms, 429 storms, an outage, a refused item, refused
 * credentials: 401 {@code INVALID_AUTHENTICATION} or 403 {@code MISSING_SCOPES} with the scopes it requires).
 * Deals carry HubSpot's calculated {@code hs_is_closed}, from their stage's {@code metadata.isClosed}.
 */
public final class FakeHubSpot implements ResponseDefinitionTransformerV2 {

    public static final String TOKEN = "pat-na1-test-token-0000";
    public static final String PORTAL_ID = "4242";

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Pattern ASSOCIATE = Pattern.compile("/crm/v4/associations/(\\w+)/(\\w+)/batch/associate/default");
    private static final Pattern READ_ASSOCIATIONS = Pattern.compile("/crm/v4/associations/(\\w+)/(\\w+)/batch/read");
    private static final Pattern OBJECT_CALL = Pattern.compile("/crm/v3/objects/(\\w+)/(search|batch/create|batch/upsert|batch/read|batch/update)");
    /** Stages whose {@code metadata.isClosed} is true, as in the pipelines below. */
    private static final Set<String> CLOSED_STAGES = Set.of("closedwon");
    private static final Pattern PROPERTY = Pattern.compile("/crm/v3/properties/(\\w+)/(\\w+)");
    private static FakeHubSpot shared;

    private final WireMockServer server;
    private final AtomicLong ids = new AtomicLong(1000);

    final Map<String, String> contacts = new ConcurrentHashMap<>();
    final Map<String, ObjectNode> companies = new ConcurrentHashMap<>();
    final Map<String, ObjectNode> deals = new ConcurrentHashMap<>();
    final Map<String, ObjectNode> notes = new ConcurrentHashMap<>();
    final Map<String, ObjectNode> tasks = new ConcurrentHashMap<>();
    final Set<String> associations = ConcurrentHashMap.newKeySet();
    private final Map<String, ObjectNode> contactProperties = new ConcurrentHashMap<>();

    private volatile int rateLimit = Integer.MAX_VALUE;
    private volatile long rateWindowMillis = 10_000;
    private final Deque<Long> recent = new ArrayDeque<>();
    private volatile int searchesPerSecond = Integer.MAX_VALUE;
    private final Deque<Long> recentSearches = new ArrayDeque<>();
    final AtomicInteger served429 = new AtomicInteger();
    final AtomicInteger injectedFailuresLeft = new AtomicInteger();
    private volatile int injectedStatus = 503;
    private volatile boolean down;
    private volatile int refusedCredentials;
    private volatile List<String> missingScopes = List.of();
    final Set<String> refusedEmails = ConcurrentHashMap.newKeySet();

    private FakeHubSpot() {
        this.server = new WireMockServer(wireMockConfig().dynamicPort().containerThreads(20).extensions(this));
        server.start();
        server.stubFor(any(anyUrl()).willReturn(aResponse().withTransformers(getName())));
    }

    /** The JVM-wide fake; the Spring context of the tests points at it. */
    public static synchronized FakeHubSpot shared() {
        if (shared == null) {
            shared = new FakeHubSpot();
            Runtime.getRuntime().addShutdownHook(new Thread(shared.server::stop));
        }
        return shared;
    }

    public String baseUrl() {
        return server.baseUrl();
    }

    public WireMockServer wireMock() {
        return server;
    }

    @Override
    public String getName() {
        return "fake-hubspot";
    }

    @Override
    public boolean applyGlobally() {
        return false;
    }

    // ---- test controls ---------------------------------------------------------------------------------------

    public void enforceRateLimit(int requests, long windowMillis) {
        synchronized (recent) {
            recent.clear();
        }
        this.rateLimit = requests;
        this.rateWindowMillis = windowMillis;
    }

    /** From now on at most {@code perSecond} CRM searches are answered in any second; more get HubSpot's SECONDLY 429. */
    public void enforceSearchRateLimit(int perSecond) {
        synchronized (recentSearches) {
            recentSearches.clear();
        }
        this.searchesPerSecond = perSecond;
    }

    public void failNext(int calls, int status) {
        injectedStatus = status;
        injectedFailuresLeft.set(calls);
    }

    public void down(boolean down) {
        this.down = down;
    }

    public void refuseEmail(String email) {
        refusedEmails.add(email.toLowerCase(java.util.Locale.ROOT));
    }

    /** From now on every call is answered 401 {@code INVALID_AUTHENTICATION}, as for a revoked or wrong token. */
    public void refuseToken() {
        refusedCredentials = 401;
    }

    /** From now on every call is answered 403 {@code MISSING_SCOPES}, listing {@code scopes} as required. */
    public void refuseScopes(String... scopes) {
        missingScopes = List.of(scopes);
        refusedCredentials = 403;
    }

    public void acceptCredentials() {
        refusedCredentials = 0;
    }

    public void resetFaults() {
        refusedCredentials = 0;
        down = false;
        injectedFailuresLeft.set(0);
        rateLimit = Integer.MAX_VALUE;
        searchesPerSecond = Integer.MAX_VALUE;
        served429.set(0);
    }

    public List<LoggedRequest> requests(String method, String path) {
        return server.getAllServeEvents().stream().map(ServeEvent::getRequest)
                .filter(r -> r.getMethod().getName().equals(method) && r.getUrl().startsWith(path)).toList();
    }

    public long companiesWithDomain(String domain) {
        return companies.values().stream().filter(c -> c.path("properties").path("domain").asString("").equals(domain)).count();
    }

    /** Contacts with this email (HubSpot keeps one per email). */
    public long contactsWithEmail(String email) {
        return contacts.keySet().stream().filter(e -> e.equalsIgnoreCase(email)).count();
    }

    /** A property of the contact of this email, as last written (null when never written). */
    public String contactProperty(String email, String property) {
        ObjectNode stored = contactProperties.get(email.toLowerCase(java.util.Locale.ROOT));
        return stored == null ? null : stored.path(property).asString(null);
    }

    public String contactId(String email) {
        return contacts.get(email.toLowerCase(java.util.Locale.ROOT));
    }

    /** Every deal associated with the contact of this email (the deals of a person). */
    public List<JsonNode> dealsOfContact(String email) {
        String contactId = contactId(email);
        return deals.values().stream()
                .filter(d -> associations.contains("deals:" + d.path("id").asString() + "->contacts:" + contactId))
                .map(this::dealView).map(JsonNode.class::cast).toList();
    }

    /** Notes or tasks associated with a deal, oldest first. */
    public List<JsonNode> engagementsOnDeal(String objectType, String dealId) {
        Map<String, ObjectNode> store = objectType.equals("notes") ? notes : tasks;
        int toDeal = objectType.equals("notes") ? 214 : 216;
        return store.values().stream()
                .filter(e -> associations.contains("engagement:" + e.path("id").asString() + "->" + toDeal + ":" + dealId))
                .sorted((a, b) -> Long.compare(a.path("id").asLong(), b.path("id").asLong()))
                .map(JsonNode.class::cast).toList();
    }

    /** Moves a deal to another stage, as a rep would in HubSpot. */
    public void moveDeal(String dealId, String stage) {
        deals.values().stream().filter(d -> d.path("id").asString().equals(dealId)).findFirst()
                .map(d -> (ObjectNode) d.path("properties")).orElseThrow().put("dealstage", stage);
    }

    public String seedCompany(String domain, String name) {
        String id = nextId();
        companies.put(id, object(id, Map.of("domain", domain, "name", name, "createdate", Instant.now().toString())));
        return id;
    }

    // ---- HubSpot ---------------------------------------------------------------------------------------------

    @Override
    public ResponseDefinition transform(ServeEvent event) {
        LoggedRequest request = event.getRequest();
        String path = request.getUrl().split("\\?")[0];
        String correlationId = UUID.randomUUID().toString();
        if (!("Bearer " + TOKEN).equals(request.getHeader("Authorization")) || refusedCredentials == 401) {
            return error(401, "INVALID_AUTHENTICATION", "Authentication credentials not found. This API supports OAuth 2.0 "
                    + "authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview",
                    correlationId, null).build();
        }
        if (refusedCredentials == 403) {
            // https://developers.hubspot.com/docs/api-reference/error-handling: category MISSING_SCOPES, the scopes in errors[].context
            ObjectNode body = errorBody("This app hasn't been granted all required scopes to make this call. Read more about "
                    + "required scopes here: https://developers.hubspot.com/scopes.", "MISSING_SCOPES", correlationId);
            ObjectNode detail = body.putArray("errors").addObject().put("message", "One or more of the following scopes are required.");
            ArrayNode scopes = detail.putObject("context").putArray("requiredGranularScopes");
            missingScopes.forEach(scopes::add);
            body.putObject("links").put("scopes", "https://developers.hubspot.com/scopes");
            return respond(403, body).withHeader("X-HubSpot-Correlation-Id", correlationId).build();
        }
        int remaining = admit();
        if (remaining < 0) {
            served429.incrementAndGet();
            ObjectNode body = errorBody("You have reached your ten_secondly_rolling limit.", "RATE_LIMIT", correlationId);
            body.put("errorType", "RATE_LIMIT");
            body.put("policyName", "TEN_SECONDLY_ROLLING");
            return rateHeaders(respond(429, body), 0).build();
        }
        if (path.endsWith("/search") && !admitSearch()) {
            served429.incrementAndGet();
            ObjectNode body = errorBody("You have reached your secondly limit.", "RATE_LIMIT", correlationId);
            body.put("errorType", "RATE_LIMIT");
            body.put("policyName", "SECONDLY");
            return rateHeaders(respond(429, body), remaining).withHeader("Retry-After", "1").build();
        }
        if (down) {
            return error(503, "INTERNAL_ERROR", "Service Unavailable", correlationId, null).build();
        }
        if (injectedFailuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            if (injectedStatus == 429) {
                served429.incrementAndGet();
                ObjectNode body = errorBody("You have reached your ten_secondly_rolling limit.", "RATE_LIMIT", correlationId);
                body.put("policyName", "TEN_SECONDLY_ROLLING");
                return rateHeaders(respond(429, body), 0).withHeader("Retry-After", "0").build();
            }
            return error(injectedStatus, "INTERNAL_ERROR", "internal error", correlationId, null).build();
        }
        JsonNode body = request.getBodyAsString().isEmpty() ? JSON.createObjectNode() : JSON.readTree(request.getBodyAsString());
        String method = request.getMethod().getName();
        ResponseDefinitionBuilder response = route(method, path, body, correlationId);
        return rateHeaders(response, remaining).build();
    }

    private ResponseDefinitionBuilder route(String method, String path, JsonNode body, String correlationId) {
        if (method.equals("GET") && path.equals("/crm/v3/pipelines/deals")) {
            return respond(200, JSON.readTree("""
                    {"results":[
                      {"id":"default","label":"Self-serve","stages":[
                        {"id":"appointmentscheduled","label":"New","metadata":{"isClosed":"false","probability":"0.2"}},
                        {"id":"closedwon","label":"Won","metadata":{"isClosed":"true","probability":"1.0"}}]},
                      {"id":"hands-on","label":"Hands-on","stages":[
                        {"id":"hands-on-qualified","label":"Qualified","metadata":{"isClosed":"false","probability":"0.2"}},
                        {"id":"hands-on-evaluation","label":"Evaluation","metadata":{"isClosed":"false","probability":"0.6"}}]}
                    ]}"""));
        }
        Matcher property = PROPERTY.matcher(path);
        if (method.equals("GET") && property.matches()) {
            String type = property.group(1);
            String name = property.group(2);
            boolean known = (type.equals("deals") && name.equals("leadflow_lead_id"))
                    || ((type.equals("notes") || type.equals("tasks")) && name.equals("leadflow_key"));
            if (!known) {
                return error(404, "OBJECT_NOT_FOUND", "Unable to find property " + name, correlationId, null);
            }
            return respond(200, JSON.createObjectNode().put("name", name).put("type", "string")
                    .put("hasUniqueValue", type.equals("deals")));
        }
        Matcher associate = ASSOCIATE.matcher(path);
        if (method.equals("POST") && associate.matches()) {
            ArrayNode results = JSON.createArrayNode();
            for (JsonNode input : body.path("inputs")) {
                associations.add(associate.group(1) + ":" + input.path("from").path("id").asString() + "->"
                        + associate.group(2) + ":" + input.path("to").path("id").asString());
                ObjectNode result = results.addObject();
                result.putObject("from").put("id", input.path("from").path("id").asString());
                result.putObject("to").put("id", input.path("to").path("id").asString());
                result.putObject("associationSpec").put("associationCategory", "HUBSPOT_DEFINED").put("associationTypeId", 1);
            }
            return respond(200, batch(results, JSON.createArrayNode()));
        }
        Matcher readAssociations = READ_ASSOCIATIONS.matcher(path);
        if (method.equals("POST") && readAssociations.matches()) {
            return readAssociations(readAssociations.group(1), readAssociations.group(2), body, correlationId);
        }
        Matcher object = OBJECT_CALL.matcher(path);
        if (method.equals("POST") && object.matches()) {
            String type = object.group(1);
            String op = object.group(2);
            return switch (type + " " + op) {
                case "contacts batch/upsert" -> upsertContacts(body, correlationId);
                case "companies search" -> search(companies, "domain", body);
                case "companies batch/create" -> create(companies, body, "domain");
                case "deals batch/read" -> readDeals(body);
                case "deals batch/upsert" -> upsertDeals(body);
                case "deals batch/create" -> createDeals(body, correlationId);
                case "deals batch/update" -> updateDeals(body, correlationId);
                case "notes search" -> search(notes, "leadflow_key", body);
                case "tasks search" -> search(tasks, "leadflow_key", body);
                case "notes batch/create" -> create(notes, body, "leadflow_key");
                case "tasks batch/create" -> create(tasks, body, "leadflow_key");
                case "tasks batch/update" -> updateTasks(body, correlationId);
                default -> error(404, "OBJECT_NOT_FOUND", "unknown " + path, correlationId, null);
            };
        }
        return error(404, "OBJECT_NOT_FOUND", "no route " + method + " " + path, correlationId, null);
    }

    private ResponseDefinitionBuilder upsertContacts(JsonNode body, String correlationId) {
        ArrayNode results = JSON.createArrayNode();
        ArrayNode errors = JSON.createArrayNode();
        for (JsonNode input : body.path("inputs")) {
            String email = input.path("id").asString().trim().toLowerCase(java.util.Locale.ROOT);
            if (refusedEmails.contains(email)) {
                ObjectNode error = errors.addObject();
                error.put("status", "error").put("category", "VALIDATION_ERROR")
                        .put("message", "Property values were not valid: [{\"isValid\":false,\"message\":\"Email address " + email
                                + " is invalid\",\"error\":\"INVALID_EMAIL\",\"name\":\"email\"}]");
                error.putObject("context").putArray("ids").add(email);
                error.put("correlationId", correlationId);
                continue;
            }
            boolean isNew = !contacts.containsKey(email);
            String id = contacts.computeIfAbsent(email, e -> nextId());
            ObjectNode stored = contactProperties.computeIfAbsent(email, e -> JSON.createObjectNode());
            input.path("properties").propertyNames().forEach(n -> stored.put(n, input.path("properties").path(n).asString()));
            ObjectNode result = object(id, Map.of("email", email));
            result.put("new", isNew);
            result.put("objectWriteTraceId", input.path("objectWriteTraceId").asString());
            results.add(result);
        }
        return respond(errors.isEmpty() ? 200 : 207, batch(results, errors));
    }

    private ResponseDefinitionBuilder search(Map<String, ObjectNode> store, String property, JsonNode body) {
        // filter groups are OR'ed; crm-sync sends one IN filter per group
        Set<String> values = new HashSet<>();
        for (JsonNode group : body.path("filterGroups")) {
            for (JsonNode value : group.path("filters").path(0).path("values")) {
                values.add(value.asString());
            }
        }
        List<ObjectNode> matches = store.values().stream()
                .filter(o -> values.contains(o.path("properties").path(property).asString("")))
                .sorted((a, b) -> Long.compare(a.path("id").asLong(), b.path("id").asLong()))
                .toList();
        int after = body.path("after").asInt(0);
        int limit = body.path("limit").asInt(10);
        ObjectNode response = JSON.createObjectNode();
        response.put("total", matches.size());
        ArrayNode results = response.putArray("results");
        matches.stream().skip(after).limit(limit).forEach(results::add);
        if (after + limit < matches.size()) {
            response.putObject("paging").putObject("next").put("after", String.valueOf(after + limit));
        }
        return respond(200, response);
    }

    private ResponseDefinitionBuilder create(Map<String, ObjectNode> store, JsonNode body, String traceProperty) {
        ArrayNode results = JSON.createArrayNode();
        for (JsonNode input : body.path("inputs")) {
            String id = nextId();
            Map<String, String> props = new LinkedHashMap<>();
            input.path("properties").propertyNames().forEach(n -> props.put(n, input.path("properties").path(n).asString()));
            props.putIfAbsent("createdate", Instant.now().toString());
            ObjectNode created = object(id, props);
            store.put(id, created);
            for (JsonNode association : input.path("associations")) {
                associations.add("engagement:" + id + "->" + association.path("types").path(0).path("associationTypeId").asInt()
                        + ":" + association.path("to").path("id").asString());
            }
            ObjectNode result = created.deepCopy();
            result.put("objectWriteTraceId", input.path("objectWriteTraceId").asString());
            results.add(result);
        }
        return respond(201, batch(results, JSON.createArrayNode()));
    }

    /** By {@code leadflow_lead_id} when that is the {@code idProperty}, else by HubSpot id; unknown ids are errors (207). */
    private ResponseDefinitionBuilder readDeals(JsonNode body) {
        boolean byLeadId = "leadflow_lead_id".equals(body.path("idProperty").asString(""));
        ArrayNode results = JSON.createArrayNode();
        ArrayNode errors = JSON.createArrayNode();
        for (JsonNode input : body.path("inputs")) {
            String id = input.path("id").asString();
            ObjectNode deal = byLeadId ? deals.get(id)
                    : deals.values().stream().filter(d -> d.path("id").asString().equals(id)).findFirst().orElse(null);
            if (deal != null) {
                results.add(dealView(deal));
            } else {
                ObjectNode error = errors.addObject().put("status", "error").put("category", "OBJECT_NOT_FOUND")
                        .put("message", "Could not get some DEAL objects, they may be deleted or not exist. Check that ids are valid.");
                error.putObject("context").putArray("ids").add(id);
            }
        }
        return respond(errors.isEmpty() ? 200 : 207, batch(results, errors));
    }

    /** A deal as HubSpot returns it: with the calculated {@code hs_is_closed}. */
    private ObjectNode dealView(ObjectNode deal) {
        ObjectNode view = deal.deepCopy();
        ((ObjectNode) view.path("properties")).put("hs_is_closed",
                String.valueOf(CLOSED_STAGES.contains(view.path("properties").path("dealstage").asString(""))));
        return view;
    }

    /**
     * Associations v4 batch read: for each input id, the ids it is associated with (associations are two-way), each
     * with its association types; an id of no record is an error (207).
     */
    private ResponseDefinitionBuilder readAssociations(String fromType, String toType, JsonNode body, String correlationId) {
        ArrayNode results = JSON.createArrayNode();
        ArrayNode errors = JSON.createArrayNode();
        for (JsonNode input : body.path("inputs")) {
            String fromId = input.path("id").asString();
            if (!exists(fromType, fromId)) {
                ObjectNode error = errors.addObject().put("status", "error").put("category", "OBJECT_NOT_FOUND")
                        .put("message", fromType + " " + fromId + " does not exist").put("correlationId", correlationId);
                error.putObject("context").putArray("ids").add(fromId);
                continue;
            }
            ObjectNode result = results.addObject();
            result.putObject("from").put("id", fromId);
            ArrayNode to = result.putArray("to");
            Set<String> seen = new HashSet<>();
            for (String association : associations) {
                String toId = null;
                if (association.startsWith(fromType + ":" + fromId + "->" + toType + ":")) {
                    toId = association.substring(association.lastIndexOf(':') + 1);
                } else if (association.startsWith(toType + ":") && association.endsWith("->" + fromType + ":" + fromId)) {
                    toId = association.substring(toType.length() + 1, association.indexOf("->"));
                }
                if (toId != null && seen.add(toId)) {
                    ObjectNode target = to.addObject().put("toObjectId", Long.parseLong(toId));
                    target.putArray("associationTypes").addObject().put("category", "HUBSPOT_DEFINED").put("typeId", 1).putNull("label");
                }
            }
        }
        return respond(errors.isEmpty() ? 200 : 207, batch(results, errors));
    }

    private boolean exists(String type, String id) {
        return switch (type) {
            case "contacts" -> contacts.containsValue(id);
            case "companies" -> companies.containsKey(id);
            case "deals" -> deals.values().stream().anyMatch(d -> d.path("id").asString().equals(id));
            default -> false;
        };
    }

    /** Tasks batch update by id: properties merged; an unknown id is an error (207). */
    private ResponseDefinitionBuilder updateTasks(JsonNode body, String correlationId) {
        ArrayNode results = JSON.createArrayNode();
        ArrayNode errors = JSON.createArrayNode();
        for (JsonNode input : body.path("inputs")) {
            String id = input.path("id").asString();
            ObjectNode task = tasks.get(id);
            if (task == null) {
                ObjectNode error = errors.addObject().put("status", "error").put("category", "OBJECT_NOT_FOUND")
                        .put("message", "resource not found").put("correlationId", correlationId);
                error.putObject("context").putArray("ids").add(id);
                continue;
            }
            ObjectNode props = (ObjectNode) task.path("properties");
            input.path("properties").propertyNames().forEach(n -> props.put(n, input.path("properties").path(n).asString()));
            ObjectNode result = task.deepCopy();
            result.put("objectWriteTraceId", input.path("objectWriteTraceId").asString());
            results.add(result);
        }
        return respond(errors.isEmpty() ? 200 : 207, batch(results, errors));
    }

    /**
     * Deals batch create: {@code leadflow_lead_id} requires unique values, so a second deal for a lead is refused (the
     * whole call, as for any invalid input); inline associations to contacts (3) and companies (341) are kept.
     */
    private ResponseDefinitionBuilder createDeals(JsonNode body, String correlationId) {
        for (JsonNode input : body.path("inputs")) {
            if (deals.containsKey(input.path("properties").path("leadflow_lead_id").asString())) {
                return error(400, "VALIDATION_ERROR", "A deal with this leadflow_lead_id already exists", correlationId, null);
            }
        }
        ArrayNode results = JSON.createArrayNode();
        for (JsonNode input : body.path("inputs")) {
            String leadId = input.path("properties").path("leadflow_lead_id").asString();
            ObjectNode deal = object(nextId(), Map.of("createdate", Instant.now().toString()));
            ObjectNode props = (ObjectNode) deal.path("properties");
            input.path("properties").propertyNames().forEach(n -> props.put(n, input.path("properties").path(n).asString()));
            deals.put(leadId, deal);
            for (JsonNode association : input.path("associations")) {
                int typeId = association.path("types").path(0).path("associationTypeId").asInt();
                String toType = typeId == 3 ? "contacts" : typeId == 341 ? "companies" : "unknown";
                associations.add("deals:" + deal.path("id").asString() + "->" + toType + ":" + association.path("to").path("id").asString());
            }
            ObjectNode result = dealView(deal);
            result.put("objectWriteTraceId", input.path("objectWriteTraceId").asString());
            results.add(result);
        }
        return respond(201, batch(results, JSON.createArrayNode()));
    }

    /** Deals batch update by id: properties merged; an unknown id is an error (207). */
    private ResponseDefinitionBuilder updateDeals(JsonNode body, String correlationId) {
        ArrayNode results = JSON.createArrayNode();
        ArrayNode errors = JSON.createArrayNode();
        for (JsonNode input : body.path("inputs")) {
            String id = input.path("id").asString();
            ObjectNode deal = deals.values().stream().filter(d -> d.path("id").asString().equals(id)).findFirst().orElse(null);
            if (deal == null) {
                ObjectNode error = errors.addObject().put("status", "error").put("category", "OBJECT_NOT_FOUND")
                        .put("message", "resource not found").put("correlationId", correlationId);
                error.putObject("context").putArray("ids").add(id);
                continue;
            }
            ObjectNode props = (ObjectNode) deal.path("properties");
            input.path("properties").propertyNames().forEach(n -> props.put(n, input.path("properties").path(n).asString()));
            ObjectNode result = dealView(deal);
            result.put("objectWriteTraceId", input.path("objectWriteTraceId").asString());
            results.add(result);
        }
        return respond(errors.isEmpty() ? 200 : 207, batch(results, errors));
    }

    private ResponseDefinitionBuilder upsertDeals(JsonNode body) {
        ArrayNode results = JSON.createArrayNode();
        for (JsonNode input : body.path("inputs")) {
            String leadId = input.path("id").asString();
            boolean isNew = !deals.containsKey(leadId);
            ObjectNode deal = deals.computeIfAbsent(leadId, l -> object(nextId(), Map.of("leadflow_lead_id", l,
                    "createdate", Instant.now().toString())));
            ObjectNode props = (ObjectNode) deal.path("properties");
            input.path("properties").propertyNames().forEach(n -> props.put(n, input.path("properties").path(n).asString()));
            ObjectNode result = dealView(deal);
            result.put("new", isNew);
            result.put("objectWriteTraceId", input.path("objectWriteTraceId").asString());
            results.add(result);
        }
        return respond(200, batch(results, JSON.createArrayNode()));
    }

    // ---- plumbing --------------------------------------------------------------------------------------------

    /** Counts the request against the rolling window; -1 when over the limit, else what is left. */
    private int admit() {
        synchronized (recent) {
            long now = System.currentTimeMillis();
            while (!recent.isEmpty() && recent.peekFirst() <= now - rateWindowMillis) {
                recent.pollFirst();
            }
            if (recent.size() >= rateLimit) {
                return -1;
            }
            recent.addLast(now);
            return rateLimit == Integer.MAX_VALUE ? 100 : rateLimit - recent.size();
        }
    }

    /** Counts a search against the rolling second; false when it is over the search limit. */
    private boolean admitSearch() {
        synchronized (recentSearches) {
            long now = System.currentTimeMillis();
            while (!recentSearches.isEmpty() && recentSearches.peekFirst() <= now - 1000) {
                recentSearches.pollFirst();
            }
            if (recentSearches.size() >= searchesPerSecond) {
                return false;
            }
            recentSearches.addLast(now);
            return true;
        }
    }

    private ResponseDefinitionBuilder rateHeaders(ResponseDefinitionBuilder builder, int remaining) {
        int max = rateLimit == Integer.MAX_VALUE ? 100 : rateLimit;
        return builder.withHeader("X-HubSpot-RateLimit-Max", String.valueOf(max))
                .withHeader("X-HubSpot-RateLimit-Remaining", String.valueOf(Math.max(remaining, 0)))
                .withHeader("X-HubSpot-RateLimit-Interval-Milliseconds", String.valueOf(rateWindowMillis));
    }

    private ResponseDefinitionBuilder error(int status, String category, String message, String correlationId, String unused) {
        ObjectNode body = errorBody(message, category, correlationId);
        return respond(status, body).withHeader("X-HubSpot-Correlation-Id", correlationId);
    }

    private static ObjectNode errorBody(String message, String category, String correlationId) {
        return JSON.createObjectNode().put("status", "error").put("message", message).put("correlationId", correlationId)
                .put("category", category);
    }

    private static ObjectNode batch(ArrayNode results, ArrayNode errors) {
        ObjectNode body = JSON.createObjectNode();
        body.put("status", "COMPLETE");
        body.set("results", results);
        if (!errors.isEmpty()) {
            body.put("numErrors", errors.size());
            body.set("errors", errors);
        }
        body.put("startedAt", Instant.now().toString());
        body.put("completedAt", Instant.now().toString());
        return body;
    }

    private static ResponseDefinitionBuilder respond(int status, JsonNode body) {
        return ResponseDefinitionBuilder.responseDefinition().withStatus(status)
                .withHeader("Content-Type", "application/json;charset=utf-8").withBody(JSON.writeValueAsString(body));
    }

    private ObjectNode object(String id, Map<String, String> properties) {
        ObjectNode node = JSON.createObjectNode();
        node.put("id", id);
        ObjectNode props = node.putObject("properties");
        properties.forEach(props::put);
        props.put("hs_object_id", id);
        node.put("archived", false);
        return node;
    }

    private String nextId() {
        return String.valueOf(ids.incrementAndGet());
    }

    /** A stable snapshot for "nothing new was created" assertions. */
    public Map<String, Integer> counts() {
        return Map.of("contacts", contacts.size(), "companies", companies.size(), "deals", deals.size(),
                "notes", notes.size(), "tasks", tasks.size(), "associations", associations.size());
    }

    @SuppressWarnings("unused")
    private static List<String> list(Iterable<JsonNode> nodes) {
        List<String> values = new ArrayList<>();
        nodes.forEach(n -> values.add(n.asString()));
        return values;
    }
}
