package io.leadflow.crm.hubspot;

import org.springframework.http.HttpMethod;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * HubSpot's CRM API as crm-sync uses it: only batch endpoints (100 inputs a call), each input tagged with an
 * {@code objectWriteTraceId} (the caller's key) so that results and per-item errors of a 207 map back to the input
 * that caused them. An item HubSpot refuses for good becomes a {@link Rejection}; the rest of the batch proceeds.
 */
public class HubSpotCrm {

    /** HubSpot batch endpoints take at most 100 inputs; search IN filters at most 100 values. */
    public static final int MAX_BATCH = 100;
    /**
     * A search takes up to five filter groups (OR'ed), so one search asks for up to 500 values, an IN filter of 100 in
     * each group (https://developers.hubspot.com/changelog/breaking-change-expanded-filtering-capabilities-and-error-messaging-in-hubspots-search-api).
     */
    static final int SEARCH_GROUPS = 5;

    /** Custom deal property holding the Leadflow lead id; unique, so deals can be upserted on it. */
    public static final String LEAD_ID_PROPERTY = "leadflow_lead_id";
    /** Custom note and task property holding a deterministic key, looked up before anything is created. */
    public static final String KEY_PROPERTY = "leadflow_key";

    // HubSpot-defined association type ids (engagement to record), used inline when notes and tasks are created.
    static final int NOTE_TO_CONTACT = 202;
    static final int NOTE_TO_DEAL = 214;
    static final int TASK_TO_CONTACT = 204;
    static final int TASK_TO_DEAL = 216;
    /**
     * HubSpot-defined unlabelled association types of a deal to its contact and its company, used inline when a deal is
     * created (https://developers.hubspot.com/docs/api/crm/associations, "HubSpot defined association types").
     */
    static final int DEAL_TO_CONTACT = 3;
    static final int DEAL_TO_COMPANY = 341;

    /** What crm-sync reads of a deal: its lead, where it is, and whether HubSpot counts it as closed (won or lost). */
    static final List<String> DEAL_PROPERTIES = List.of(LEAD_ID_PROPERTY, "pipeline", "dealstage", "hs_is_closed",
            "hubspot_owner_id", "createdate");

    private final HubSpotGateway gateway;
    private final java.util.concurrent.ExecutorService chunks;

    /** Sends the chunks of a batch one after the other. */
    public HubSpotCrm(HubSpotGateway gateway) {
        this(gateway, 1);
    }

    /**
     * @param parallelCalls how many chunks of 100 inputs of one batch are sent at once. HubSpot's budget is counted in
     *                      calls per window, which the gateway's rate limiter keeps whatever the parallelism; sending
     *                      chunks side by side only stops a large batch from waiting on each answer in turn.
     */
    public HubSpotCrm(HubSpotGateway gateway, int parallelCalls) {
        this.gateway = gateway;
        if (parallelCalls > 1) {
            java.util.concurrent.atomic.AtomicInteger threads = new java.util.concurrent.atomic.AtomicInteger();
            this.chunks = java.util.concurrent.Executors.newFixedThreadPool(parallelCalls, r -> {
                Thread thread = new Thread(r, "hubspot-batch-" + threads.incrementAndGet());
                thread.setDaemon(true);
                return thread;
            });
        } else {
            this.chunks = null;
        }
    }

    /** An input of a batch call: the caller's key (sent as objectWriteTraceId) and the input object HubSpot documents. */
    public record Input(String key, Map<String, Object> body) {
    }

    /** Contacts: {@code POST /crm/v3/objects/contacts/batch/upsert}, matched on {@code email}. Keys are the emails. */
    public BatchOutcome upsertContacts(Map<String, Map<String, Object>> propertiesByEmail) {
        List<Input> inputs = new ArrayList<>();
        propertiesByEmail.forEach((email, properties) -> inputs.add(new Input(email, input(
                "idProperty", "email", "id", email, "properties", properties, "objectWriteTraceId", email))));
        return batch("contacts.upsert", "/crm/v3/objects/contacts/batch/upsert", inputs,
                result -> result.path("properties").path("email").asString(null), Map.of());
    }

    /**
     * Companies by domain: {@code POST /crm/v3/objects/companies/search} with {@code IN} filters on {@code domain}
     * (values lower-case, as HubSpot requires for IN on text), oldest company first so the same one always wins.
     */
    public Map<String, String> findCompaniesByDomain(Collection<String> domains) {
        Map<String, String> found = new LinkedHashMap<>();
        for (List<String> chunk : chunks(new ArrayList<>(domains), MAX_BATCH * SEARCH_GROUPS)) {
            search("companies.search", "companies", "domain", chunk, List.of("domain", "name"), "createdate")
                    .forEach((domain, company) -> found.put(domain, company.path("id").asString()));
        }
        return found;
    }

    /** Companies: {@code POST /crm/v3/objects/companies/batch/create}. Keys are the domains. */
    public BatchOutcome createCompanies(Map<String, Map<String, Object>> propertiesByDomain) {
        List<Input> inputs = new ArrayList<>();
        propertiesByDomain.forEach((domain, properties) -> inputs.add(new Input(domain, input(
                "properties", properties, "objectWriteTraceId", domain))));
        return batch("companies.create", "/crm/v3/objects/companies/batch/create", inputs,
                result -> result.path("properties").path("domain").asString(null), Map.of());
    }

    /**
     * Deals that already exist for these leads: {@code POST /crm/v3/objects/deals/batch/read} with
     * {@code idProperty: leadflow_lead_id}. Missing ones are simply absent from the result.
     */
    public Map<String, JsonNode> readDealsByLeadId(Collection<String> leadIds) {
        Map<String, JsonNode> found = new HashMap<>();
        for (List<String> chunk : chunks(new ArrayList<>(leadIds))) {
            List<Map<String, Object>> inputs = chunk.stream().<Map<String, Object>>map(id -> Map.of("id", id)).toList();
            HubSpotResponse response = gateway.call("deals.read", HttpMethod.POST, "/crm/v3/objects/deals/batch/read",
                    input("idProperty", LEAD_ID_PROPERTY, "inputs", inputs, "properties", DEAL_PROPERTIES));
            for (JsonNode result : response.body().path("results")) {
                String leadId = result.path("properties").path(LEAD_ID_PROPERTY).asString(null);
                if (leadId != null) {
                    found.put(leadId, result);
                }
            }
        }
        return found;
    }

    /** Deals: {@code POST /crm/v3/objects/deals/batch/upsert} on the unique {@code leadflow_lead_id}. Keys are lead ids. */
    public BatchOutcome upsertDeals(Map<String, Map<String, Object>> propertiesByLeadId) {
        List<Input> inputs = new ArrayList<>();
        propertiesByLeadId.forEach((leadId, properties) -> inputs.add(new Input(leadId, input(
                "idProperty", LEAD_ID_PROPERTY, "id", leadId, "properties", properties, "objectWriteTraceId", leadId))));
        return batch("deals.upsert", "/crm/v3/objects/deals/batch/upsert", inputs,
                result -> result.path("properties").path(LEAD_ID_PROPERTY).asString(null), Map.of());
    }

    /** A deal to create, under the caller's key (the lead id), with the contact and company it belongs to (either may be null). */
    public record NewDeal(String leadId, Map<String, Object> properties, String contactId, String companyId) {
    }

    /**
     * Deals that cannot exist yet: {@code POST /crm/v3/objects/deals/batch/create}, associated inline to their contact and
     * company, so no association call follows
     * (https://developers.hubspot.com/docs/api-reference/legacy/crm/objects/deals/batch/create-deals). Keys are lead ids.
     * Only for leads HubSpot cannot have a deal for: {@code leadflow_lead_id} is unique, and a second deal for a lead is
     * refused, never created.
     */
    public BatchOutcome createDeals(List<NewDeal> deals) {
        List<Input> inputs = new ArrayList<>();
        for (NewDeal deal : deals) {
            List<Map<String, Object>> associations = new ArrayList<>();
            if (deal.contactId() != null) {
                associations.add(association(deal.contactId(), DEAL_TO_CONTACT));
            }
            if (deal.companyId() != null) {
                associations.add(association(deal.companyId(), DEAL_TO_COMPANY));
            }
            inputs.add(new Input(deal.leadId(), input("properties", deal.properties(), "associations", associations,
                    "objectWriteTraceId", deal.leadId())));
        }
        return batch("deals.create", "/crm/v3/objects/deals/batch/create", inputs,
                result -> result.path("properties").path(LEAD_ID_PROPERTY).asString(null), Map.of());
    }

    /** Deals: {@code POST /crm/v3/objects/deals/batch/update} by HubSpot id. Keys are the deals' ids. */
    public BatchOutcome updateDeals(Map<String, Map<String, Object>> propertiesById) {
        List<Input> inputs = new ArrayList<>();
        propertiesById.forEach((id, properties) -> inputs.add(new Input(id, input(
                "id", id, "properties", properties, "objectWriteTraceId", id))));
        return batch("deals.update", "/crm/v3/objects/deals/batch/update", inputs, result -> result.path("id").asString(null), Map.of());
    }

    /** A pair of records to associate, under the caller's key. */
    public record Pair(String key, String fromId, String toId) {
    }

    /**
     * Associations v4, default (unlabelled) type:
     * {@code POST /crm/v4/associations/{from}/{to}/batch/associate/default}. Creating an association that exists is a no-op.
     * Each distinct from→to pair is sent once, however many callers' keys share it (several leads of one person share
     * a contact–company pair), and HubSpot's answer for the pair is given to every one of those keys.
     */
    public BatchOutcome associate(String fromType, String toType, List<Pair> pairs) {
        Map<String, List<String>> keysByPair = new LinkedHashMap<>();
        List<Input> inputs = new ArrayList<>();
        for (Pair pair : pairs) {
            String id = pairId(pair.fromId(), pair.toId());
            keysByPair.computeIfAbsent(id, k -> {
                inputs.add(new Input(id, input("from", Map.of("id", pair.fromId()), "to", Map.of("id", pair.toId()))));
                return new ArrayList<>();
            }).add(pair.key());
        }
        String endpoint = "associations." + fromType + "-" + toType;
        BatchOutcome byPair = batch(endpoint, "/crm/v4/associations/" + fromType + "/" + toType + "/batch/associate/default", inputs,
                result -> pairId(result.path("from").path("id").asString(""), result.path("to").path("id").asString("")), Map.of());
        BatchOutcome outcome = new BatchOutcome();
        byPair.results().forEach((id, result) -> keysByPair.get(id).forEach(key -> outcome.result(key, result)));
        byPair.rejected().forEach((id, rejection) -> keysByPair.get(id).forEach(key -> outcome.reject(key, rejection)));
        return outcome;
    }

    private static String pairId(String fromId, String toId) {
        return fromId + "->" + toId;
    }

    /**
     * The ids of the {@code toType} records associated with each {@code fromType} record:
     * {@code POST /crm/v4/associations/{fromObjectType}/{toObjectType}/batch/read}, following each record's
     * {@code paging.next.after}. A record with no associations (or one HubSpot no longer has) is simply absent.
     * https://developers.hubspot.com/docs/api-reference/legacy/crm/associations/associate-records/batch/get-associations
     */
    public Map<String, List<String>> associatedIds(String fromType, String toType, Collection<String> fromIds) {
        String endpoint = "associations." + fromType + "-" + toType + ".read";
        String path = "/crm/v4/associations/" + fromType + "/" + toType + "/batch/read";
        Map<String, List<String>> found = new LinkedHashMap<>();
        for (List<String> chunk : chunks(List.copyOf(new LinkedHashSet<>(fromIds)))) {
            List<Map<String, Object>> inputs = chunk.stream().<Map<String, Object>>map(id -> Map.of("id", id)).toList();
            for (int page = 0; page < 20 && !inputs.isEmpty(); page++) {
                HubSpotResponse response = gateway.call(endpoint, HttpMethod.POST, path, Map.of("inputs", inputs));
                List<Map<String, Object>> next = new ArrayList<>();
                for (JsonNode result : response.body().path("results")) {
                    String from = result.path("from").path("id").asString(null);
                    if (from == null) {
                        continue;
                    }
                    List<String> to = found.computeIfAbsent(from, f -> new ArrayList<>());
                    for (JsonNode target : result.path("to")) {
                        String id = target.path("toObjectId").asString(null);
                        if (id != null && !to.contains(id)) {
                            to.add(id);
                        }
                    }
                    String after = result.path("paging").path("next").path("after").asString(null);
                    if (after != null) {
                        next.add(Map.of("id", from, "after", after));
                    }
                }
                failOnTransientErrors(endpoint, response);
                inputs = next;
            }
        }
        return found;
    }

    /**
     * Deals by HubSpot id: {@code POST /crm/v3/objects/deals/batch/read} with their pipeline, stage and whether HubSpot
     * counts them as closed ({@code hs_is_closed}). Deals HubSpot no longer has are absent.
     */
    public Map<String, JsonNode> readDeals(Collection<String> dealIds) {
        Map<String, JsonNode> found = new LinkedHashMap<>();
        for (List<String> chunk : chunks(List.copyOf(new LinkedHashSet<>(dealIds)))) {
            List<Map<String, Object>> inputs = chunk.stream().<Map<String, Object>>map(id -> Map.of("id", id)).toList();
            HubSpotResponse response = gateway.call("deals.read", HttpMethod.POST, "/crm/v3/objects/deals/batch/read",
                    input("inputs", inputs, "properties", DEAL_PROPERTIES));
            for (JsonNode result : response.body().path("results")) {
                String id = result.path("id").asString(null);
                if (id != null) {
                    found.put(id, result);
                }
            }
            failOnTransientErrors("deals.read", response);
        }
        return found;
    }

    /** Tasks: {@code POST /crm/v3/objects/tasks/batch/update}. Keys are the tasks' HubSpot ids. */
    public BatchOutcome updateTasks(Map<String, Map<String, Object>> propertiesById) {
        List<Input> inputs = new ArrayList<>();
        propertiesById.forEach((id, properties) -> inputs.add(new Input(id, input(
                "id", id, "properties", properties, "objectWriteTraceId", id))));
        return batch("tasks.update", "/crm/v3/objects/tasks/batch/update", inputs, result -> result.path("id").asString(null), Map.of());
    }

    /**
     * Notes or tasks carrying these {@code leadflow_key} values: {@code POST /crm/v3/objects/{notes|tasks}/search}
     * with {@code IN} filters. Key to the object found, with {@code leadflow_key} and the {@code properties} asked for.
     */
    public Map<String, JsonNode> findByKey(String objectType, Collection<String> keys, String... properties) {
        List<String> wanted = new ArrayList<>(List.of(KEY_PROPERTY));
        wanted.addAll(List.of(properties));
        Map<String, JsonNode> found = new LinkedHashMap<>();
        for (List<String> chunk : chunks(new ArrayList<>(keys), MAX_BATCH * SEARCH_GROUPS)) {
            found.putAll(search(objectType + ".search", objectType, KEY_PROPERTY, chunk, wanted, null));
        }
        return found;
    }

    /** An engagement (note or task) to create: properties, and the contact and deal it belongs on. */
    public record Engagement(String key, Map<String, Object> properties, String contactId, String dealId) {
    }

    /** Notes: {@code POST /crm/v3/objects/notes/batch/create}, associated inline to the contact and the deal. */
    public BatchOutcome createNotes(List<Engagement> notes) {
        return createEngagements("notes", notes, NOTE_TO_CONTACT, NOTE_TO_DEAL);
    }

    /** HubSpot-defined association type of an email engagement to a contact. */
    static final int EMAIL_TO_CONTACT = 198;

    /**
     * Logs an email sent outside HubSpot on the contact's timeline: {@code POST /crm/v3/objects/emails} with its
     * properties (hs_timestamp, hs_email_direction, hs_email_status, hs_email_subject, hs_email_text, hs_email_headers)
     * and the contact associated inline, as
     * https://developers.hubspot.com/docs/api-reference/legacy/crm/activities/emails/guide describes. Returns its id.
     */
    public String logEmail(Map<String, Object> properties, String contactId) {
        Map<String, Object> body = Map.of("properties", properties,
                "associations", List.of(association(contactId, EMAIL_TO_CONTACT)));
        return gateway.call("emails.create", HttpMethod.POST, "/crm/v3/objects/emails", body).body().path("id").asString(null);
    }

    /** Tasks: {@code POST /crm/v3/objects/tasks/batch/create}, associated inline to the contact and the deal. */
    public BatchOutcome createTasks(List<Engagement> tasks) {
        return createEngagements("tasks", tasks, TASK_TO_CONTACT, TASK_TO_DEAL);
    }

    private BatchOutcome createEngagements(String objectType, List<Engagement> engagements, int toContact, int toDeal) {
        List<Input> inputs = new ArrayList<>();
        for (Engagement engagement : engagements) {
            Map<String, Object> properties = new LinkedHashMap<>(engagement.properties());
            properties.put(KEY_PROPERTY, engagement.key());
            List<Map<String, Object>> associations = new ArrayList<>();
            if (engagement.contactId() != null) {
                associations.add(association(engagement.contactId(), toContact));
            }
            if (engagement.dealId() != null) {
                associations.add(association(engagement.dealId(), toDeal));
            }
            inputs.add(new Input(engagement.key(), input("properties", properties, "associations", associations,
                    "objectWriteTraceId", engagement.key())));
        }
        return batch(objectType + ".create", "/crm/v3/objects/" + objectType + "/batch/create", inputs,
                result -> result.path("properties").path(KEY_PROPERTY).asString(null), Map.of());
    }

    private static Map<String, Object> association(String toId, int typeId) {
        return Map.of("to", Map.of("id", toId),
                "types", List.of(Map.of("associationCategory", "HUBSPOT_DEFINED", "associationTypeId", typeId)));
    }

    /** Deal pipelines and their stages: {@code GET /crm/v3/pipelines/deals}. */
    public JsonNode dealPipelines() {
        return gateway.call("pipelines.read", HttpMethod.GET, "/crm/v3/pipelines/deals", null).body();
    }

    /** A property definition: {@code GET /crm/v3/properties/{objectType}/{name}}; empty on 404. */
    public Optional<JsonNode> property(String objectType, String name) {
        try {
            return Optional.of(gateway.call("properties.read", HttpMethod.GET, "/crm/v3/properties/" + objectType + "/" + name, null).body());
        } catch (HubSpotException.Rejected e) {
            if (e.status() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** Creates a property: {@code POST /crm/v3/properties/{objectType}}. */
    public JsonNode createProperty(String objectType, Map<String, Object> definition) {
        return gateway.call("properties.create", HttpMethod.POST, "/crm/v3/properties/" + objectType, definition).body();
    }

    /** Creates a property group: {@code POST /crm/v3/properties/{objectType}/groups} (409 when it exists). */
    public JsonNode createPropertyGroup(String objectType, Map<String, Object> group) {
        return gateway.call("properties.groups.create", HttpMethod.POST, "/crm/v3/properties/" + objectType + "/groups", group).body();
    }

    private Map<String, JsonNode> search(String endpoint, String objectType, String property, List<String> values,
                                         List<String> properties, String sortAscending) {
        // HubSpot compares IN values of text properties in lower case: send them so, and map answers back
        Map<String, String> wanted = new LinkedHashMap<>();
        values.forEach(v -> wanted.putIfAbsent(v.toLowerCase(java.util.Locale.ROOT), v));
        List<String> lowered = new ArrayList<>(wanted.keySet());
        List<Map<String, Object>> groups = new ArrayList<>();
        for (List<String> group : chunks(lowered)) {
            groups.add(Map.of("filters", List.of(Map.of("propertyName", property, "operator", "IN", "values", group))));
        }
        Map<String, JsonNode> found = new LinkedHashMap<>();
        String after = null;
        for (int page = 0; page < 20; page++) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("filterGroups", groups);
            body.put("properties", properties);
            if (sortAscending != null) {
                body.put("sorts", List.of(Map.of("propertyName", sortAscending, "direction", "ASCENDING")));
            }
            body.put("limit", MAX_BATCH);
            if (after != null) {
                body.put("after", after);
            }
            JsonNode response = gateway.call(endpoint, HttpMethod.POST, "/crm/v3/objects/" + objectType + "/search", body).body();
            for (JsonNode result : response.path("results")) {
                String value = result.path("properties").path(property).asString("").toLowerCase(java.util.Locale.ROOT);
                if (wanted.containsKey(value)) {
                    found.putIfAbsent(wanted.get(value), result);
                }
            }
            after = response.path("paging").path("next").path("after").asString(null);
            if (after == null) {
                break;
            }
        }
        return found;
    }

    /**
     * Sends inputs in chunks of 100. A 2xx/207 answer maps results and per-item errors to keys. A whole-call 4xx, or an
     * error that cannot be tied to an input, splits the chunk in halves until the refused input is alone, so one bad
     * record never takes its neighbours down with it. Per-item errors HubSpot marks as transient fail the whole call.
     */
    private BatchOutcome batch(String endpoint, String path, List<Input> inputs, Function<JsonNode, String> keyOfResult,
                               Map<String, String> idsToKeys) {
        BatchOutcome outcome = new BatchOutcome();
        List<List<Input>> all = chunks(inputs);
        if (chunks == null || all.size() < 2) {
            for (List<Input> chunk : all) {
                outcome.addAll(send(endpoint, path, chunk, keyOfResult, idsToKeys));
            }
            return outcome;
        }
        // chunks hold distinct keys, so they are independent; every chunk is awaited before anything is rethrown
        List<java.util.concurrent.Future<BatchOutcome>> sent = new ArrayList<>();
        for (List<Input> chunk : all) {
            sent.add(this.chunks.submit(HubSpotGateway.countedAsThisThread(() -> send(endpoint, path, chunk, keyOfResult, idsToKeys))));
        }
        RuntimeException failure = null;
        for (java.util.concurrent.Future<BatchOutcome> future : sent) {
            try {
                outcome.addAll(future.get());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failure = failure != null ? failure : new IllegalStateException(endpoint + ": interrupted", e);
            } catch (java.util.concurrent.ExecutionException e) {
                RuntimeException cause = e.getCause() instanceof RuntimeException runtime ? runtime
                        : new IllegalStateException(endpoint + ": " + e.getCause().getMessage(), e.getCause());
                failure = failure != null ? failure : cause;
            }
        }
        if (failure != null) {
            throw failure;
        }
        return outcome;
    }

    private BatchOutcome send(String endpoint, String path, List<Input> chunk, Function<JsonNode, String> keyOfResult,
                              Map<String, String> idsToKeys) {
        BatchOutcome outcome = new BatchOutcome();
        if (chunk.isEmpty()) {
            return outcome;
        }
        HubSpotResponse response;
        try {
            response = gateway.call(endpoint, HttpMethod.POST, path, Map.of("inputs", chunk.stream().map(Input::body).toList()));
        } catch (HubSpotException.Rejected e) {
            if (chunk.size() == 1) {
                outcome.reject(chunk.get(0).key(), new Rejection(endpoint, e.status(), e.category(), e.getMessage(), e.correlationId()));
                return outcome;
            }
            return bisect(endpoint, path, chunk, keyOfResult, idsToKeys);
        }
        Map<String, Input> byKey = new LinkedHashMap<>();
        chunk.forEach(input -> byKey.put(input.key(), input));
        JsonNode results = response.body().path("results");
        for (JsonNode result : results) {
            String key = result.path("objectWriteTraceId").asString(null);
            if (key == null || !byKey.containsKey(key)) {
                key = keyOfResult.apply(result);
            }
            if (key == null && chunk.size() == 1) {
                key = chunk.get(0).key();
            }
            if (key != null && byKey.containsKey(key)) {
                outcome.result(key, result);
            }
        }
        boolean unmatched = false;
        for (JsonNode error : response.body().path("errors")) {
            if (isTransient(error)) {
                throw new HubSpotException.Unavailable(endpoint + ": " + error.path("message").asString("item failed"),
                        response.status(), error.path("category").asString(null), response.correlationId(), null, null);
            }
            List<String> keys = keysOf(error, byKey.keySet(), idsToKeys);
            if (keys.isEmpty() && chunk.size() == 1) {
                keys = List.of(chunk.get(0).key());
            }
            if (keys.isEmpty()) {
                unmatched = true;
                continue;
            }
            String correlationId = error.path("correlationId").asString(null);
            Rejection rejection = new Rejection(endpoint, response.status(), error.path("category").asString(null),
                    error.path("message").asString("rejected"), correlationId != null ? correlationId : response.correlationId());
            keys.forEach(key -> outcome.reject(key, rejection));
        }
        List<Input> unanswered = chunk.stream()
                .filter(input -> !outcome.results().containsKey(input.key()) && !outcome.rejected().containsKey(input.key()))
                .toList();
        if (!unanswered.isEmpty()) {
            if (unmatched && unanswered.size() < chunk.size()) {
                outcome.addAll(send(endpoint, path, unanswered, keyOfResult, idsToKeys));
            } else if (unmatched && chunk.size() > 1) {
                return bisect(endpoint, path, chunk, keyOfResult, idsToKeys);
            } else {
                for (Input input : unanswered) {
                    outcome.reject(input.key(), new Rejection(endpoint, response.status(), "UNCONFIRMED",
                            "HubSpot did not confirm this input", response.correlationId()));
                }
            }
        }
        return outcome;
    }

    private BatchOutcome bisect(String endpoint, String path, List<Input> chunk, Function<JsonNode, String> keyOfResult,
                                Map<String, String> idsToKeys) {
        BatchOutcome outcome = new BatchOutcome();
        int middle = chunk.size() / 2;
        outcome.addAll(send(endpoint, path, chunk.subList(0, middle), keyOfResult, idsToKeys));
        outcome.addAll(send(endpoint, path, chunk.subList(middle, chunk.size()), keyOfResult, idsToKeys));
        return outcome;
    }

    /** A read answered 207: errors about single ids (not found, nothing associated) leave them out; transient ones fail the call. */
    private static void failOnTransientErrors(String endpoint, HubSpotResponse response) {
        for (JsonNode error : response.body().path("errors")) {
            if (isTransient(error)) {
                throw new HubSpotException.Unavailable(endpoint + ": " + error.path("message").asString("item failed"),
                        response.status(), error.path("category").asString(null), response.correlationId(), null, null);
            }
        }
    }

    private static boolean isTransient(JsonNode error) {
        String category = error.path("category").asString("");
        return category.equals("RATE_LIMITS") || category.equals("INTERNAL_ERROR") || category.equals("TIMEOUT");
    }

    /** Which inputs a per-item error is about: its objectWriteTraceId, else the ids HubSpot lists in its context. */
    private static List<String> keysOf(JsonNode error, Set<String> keys, Map<String, String> idsToKeys) {
        List<String> found = new ArrayList<>();
        String trace = error.path("objectWriteTraceId").asString(null);
        if (trace != null && keys.contains(trace)) {
            found.add(trace);
        }
        for (String field : List.of("objectWriteTraceId", "ids", "id")) {
            for (JsonNode value : error.path("context").path(field)) {
                String candidate = value.asString("");
                String key = keys.contains(candidate) ? candidate : idsToKeys.get(candidate);
                if (key != null && keys.contains(key) && !found.contains(key)) {
                    found.add(key);
                }
            }
        }
        return found;
    }

    private static Map<String, Object> input(Object... keyValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            map.put((String) keyValues[i], keyValues[i + 1]);
        }
        return map;
    }

    private static <T> List<List<T>> chunks(List<T> items) {
        return chunks(items, MAX_BATCH);
    }

    private static <T> List<List<T>> chunks(List<T> items, int size) {
        List<List<T>> chunks = new ArrayList<>();
        for (int i = 0; i < items.size(); i += size) {
            chunks.add(items.subList(i, Math.min(items.size(), i + size)));
        }
        return chunks;
    }
}
