package io.leadflow.sandbox.hubspot;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;

import static io.leadflow.sandbox.hubspot.Answers.JSON;

/**
 * The portal's records: CRM objects, associations and custom properties, and the rules HubSpot applies when they are
 * written (one contact per email, deal stages of the deal's pipeline, unique-value properties as {@code idProperty}).
 *
 * <p>Thread-safe: every read and write runs under one lock ({@link #read}, {@link #write}); calls are tiny. Deal stage
 * changes made by a write are reported to the listener after the lock is released; the records it changed are given to
 * the journal ({@link #journalTo}) before the lock is released, so before the call that made them is answered.
 */
final class Crm {

    private static final Logger log = LoggerFactory.getLogger(Crm.class);

    /** One CRM record. Properties are strings, as HubSpot returns them. */
    record CrmObject(String type, String id, Map<String, String> properties, Instant createdAt, Instant updatedAt, boolean archived) {
    }

    record Association(String fromType, String fromId, String toType, String toId, int typeId, String category) {
    }

    final Object lock = new Object();
    final HubSpotSandboxSettings settings;
    final Clock clock;
    final Map<String, Map<String, CrmObject>> objects = new LinkedHashMap<>();
    // insertion-ordered, and a set: a portal holds tens of thousands of associations, each checked before it is added
    final Set<Association> associations = new LinkedHashSet<>();
    final Map<String, Map<String, ObjectNode>> customProperties = new LinkedHashMap<>();
    final Map<String, Map<String, ObjectNode>> propertyGroups = new LinkedHashMap<>();
    final AtomicLong nextId = new AtomicLong(10_001);
    private List<HubSpotSandbox.StageChange> changes = new ArrayList<>();
    private volatile Consumer<HubSpotSandbox.StageChange> stageListener = change -> { };
    /** Where each write's changes go before it is answered (see {@link #journalTo}); null: nowhere. */
    private Consumer<ObjectNode> journal;
    private ArrayNode ops;

    Crm(HubSpotSandboxSettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        clear();
    }

    void onDealStageChange(Consumer<HubSpotSandbox.StageChange> listener) {
        this.stageListener = Objects.requireNonNull(listener);
    }

    /**
     * From now on the changes of every {@link #write} are given to {@code journal}, as one entry, under the lock and before
     * the write returns (so before its call is answered): {@code {"nextId": n, "ops": [...]}}, replayed by {@link #replay}.
     */
    void journalTo(Consumer<ObjectNode> journal) {
        synchronized (lock) {
            this.journal = journal;
        }
    }

    /** Forgets every record, as a new portal. */
    void clear() {
        synchronized (lock) {
            op("clear");
            objects.clear();
            Types.IDS.keySet().forEach(type -> objects.put(type, new LinkedHashMap<>()));
            associations.clear();
            customProperties.clear();
            propertyGroups.clear();
            nextId.set(10_001);
        }
    }

    <T> T read(Supplier<T> work) {
        synchronized (lock) {
            return work.get();
        }
    }

    /** Runs {@code work} under the lock, then reports the deal stage changes it made. */
    <T> T write(Supplier<T> work) {
        T result;
        List<HubSpotSandbox.StageChange> made;
        synchronized (lock) {
            changes = new ArrayList<>();
            ops = journal == null ? null : JSON.createArrayNode();
            try {
                result = work.get();
            } finally {
                made = changes;
                changes = new ArrayList<>();
                ArrayNode written = ops;
                ops = null;
                // even when the work failed halfway (a batch refused at its tenth input): what it changed is journalled
                if (written != null && !written.isEmpty()) {
                    ObjectNode entry = JSON.createObjectNode();
                    entry.put("nextId", nextId.get());
                    entry.set("ops", written);
                    journal.accept(entry);
                }
            }
        }
        for (HubSpotSandbox.StageChange change : made) {
            try {
                stageListener.accept(change);
            } catch (RuntimeException e) {
                log.warn("HubSpot sandbox could not report the stage change of deal {}: {}", change.dealId(), e.getMessage());
            }
        }
        return result;
    }

    CrmObject create(String type, JsonNode input, Instant now) {
        Map<String, String> properties = properties(input.path("properties"));
        checkCreate(type, properties, List.of());
        CrmObject created = put(type, newId(), properties, now, null);
        for (JsonNode association : input.path("associations")) {
            String toId = association.path("to").path("id").asString("");
            for (JsonNode spec : association.path("types")) {
                int typeId = spec.path("associationTypeId").asInt(0);
                String toType = targetType(type, typeId, toId);
                associate(type, created.id(), toType, toId, typeId, spec.path("associationCategory").asString("HUBSPOT_DEFINED"));
                // an association is seen from both records, as one made with batch/associate/default is
                Types.defaultAssociationIfAny(toType, type)
                        .ifPresent(reverse -> associate(toType, toId, type, created.id(), reverse, "HUBSPOT_DEFINED"));
            }
        }
        return created;
    }

    /** HubSpot rejects a new contact whose email another contact already has. */
    void checkCreate(String type, Map<String, String> properties, List<String> batchEmails) {
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
        if (type.equals("emails")) {
            checkEmail(properties);
        }
    }

    /**
     * An email engagement as HubSpot's emails API takes it: {@code hs_timestamp} required, direction and status among
     * their options (https://developers.hubspot.com/docs/api-reference/legacy/crm/activities/emails/guide).
     */
    static void checkEmail(Map<String, String> properties) {
        if (properties.getOrDefault("hs_timestamp", "").isBlank()) {
            throw new HubSpotError(400, "VALIDATION_ERROR", "Property values were not valid: hs_timestamp is required");
        }
        option(properties, "hs_email_direction", List.of("EMAIL", "INCOMING_EMAIL", "FORWARDED_EMAIL"));
        option(properties, "hs_email_status", List.of("BOUNCED", "FAILED", "SCHEDULED", "SENDING", "SENT"));
    }

    private static void option(Map<String, String> properties, String name, List<String> options) {
        String value = properties.get(name);
        if (value != null && !options.contains(value)) {
            throw new HubSpotError(400, "VALIDATION_ERROR", "Property values were not valid: " + value + " was not one of the allowed options for "
                    + name + ": " + String.join(", ", options));
        }
    }

    void checkStage(Map<String, String> properties) {
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

    CrmObject put(String type, String id, Map<String, String> properties, Instant now, CrmObject previous) {
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
        store(object);
        if (type.equals("deals") && properties.containsKey("dealstage")
                && (previous == null || !Objects.equals(previous.properties().get("dealstage"), merged.get("dealstage")))) {
            changes.add(new HubSpotSandbox.StageChange(id, merged.get("pipeline"), merged.get("dealstage"), now));
        }
        return object;
    }

    CrmObject update(String type, String idOrValue, String idProperty, JsonNode props, Instant now) {
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
        return put(type, existing.id(), properties, now, existing);
    }

    void archive(String type, String id, Instant now) {
        CrmObject existing = objects.get(type).get(id);
        if (existing != null) {
            store(new CrmObject(type, id, existing.properties(), existing.createdAt(), now, true));
        }
    }

    /**
     * Removes a record for good, with every association of it in either direction, as HubSpot's permanent (GDPR) delete
     * does: it cannot be read, searched, listed as archived or restored afterwards. The journal keeps only its id.
     */
    void purge(String type, String id) {
        if (objects.get(type).remove(id) != null) {
            op("purge").put("type", type).put("id", id);
        }
        dissociate(a -> (a.fromType().equals(type) && a.fromId().equals(id)) || (a.toType().equals(type) && a.toId().equals(id)));
    }

    CrmObject find(String type, String idOrValue, String idProperty) {
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
        return new HubSpotError(404, "OBJECT_NOT_FOUND", "resource not found: " + Types.singular(type) + " " + id);
    }

    /** HubSpot only matches records on email (contacts) or a custom property that requires unique values. */
    void requireUniqueProperty(String type, String property) {
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

    Optional<CrmObject> findBy(String type, String property, String value) {
        String wanted = property.equals("email") ? value.trim().toLowerCase(Locale.ROOT) : value;
        return objects.get(type).values().stream()
                .filter(o -> !o.archived() && wanted.equalsIgnoreCase(o.properties().getOrDefault(property, "")))
                .findFirst();
    }

    void associate(String fromType, String fromId, String toType, String toId, int typeId, String category) {
        Association association = new Association(fromType, fromId, toType, toId, typeId, category);
        if (associations.add(association)) {
            op("associate").set("association", SandboxState.json(association));
        }
    }

    /** Removes every association {@code which} matches. */
    void dissociate(Predicate<Association> which) {
        for (Iterator<Association> i = associations.iterator(); i.hasNext(); ) {
            Association association = i.next();
            if (which.test(association)) {
                i.remove();
                op("dissociate").set("association", SandboxState.json(association));
            }
        }
    }

    /** Defines (or redefines) a custom property of {@code type}. */
    void defineProperty(String type, ObjectNode definition) {
        customProperties.computeIfAbsent(type, t -> new LinkedHashMap<>()).put(definition.path("name").asString(""), definition);
        op("property").put("type", type).set("definition", definition.deepCopy());
    }

    /** The property groups of {@code type}: HubSpot's standard one ({@code contactinformation}, …) and those defined. */
    Map<String, ObjectNode> groupsOf(String type) {
        return propertyGroups.computeIfAbsent(type, t -> {
            Map<String, ObjectNode> standard = new LinkedHashMap<>();
            String name = Types.singular(t) + "information";
            standard.put(name, PropertiesController.group(name, Types.singular(t) + " information", 0));
            return standard;
        });
    }

    /** Defines a property group of {@code type}. */
    void defineGroup(String type, ObjectNode group, Map<String, ObjectNode> groups) {
        groups.put(group.path("name").asString(""), group);
        op("group").put("type", type).set("definition", group.deepCopy());
    }

    private void store(CrmObject object) {
        objects.get(object.type()).put(object.id(), object);
        ObjectNode op = op("put");
        if (op != null) {
            op.put("type", object.type()).set("object", SandboxState.json(object));
        }
    }

    /** A new op of the current write's journal entry, or a throwaway node when nothing is journalled. */
    private ObjectNode op(String kind) {
        return ops == null ? JSON.createObjectNode() : ops.addObject().put("op", kind);
    }

    /** Applies a journal entry {@link #journalTo} gave out, as restored after a restart: no listener is told. */
    void replay(JsonNode entry) {
        synchronized (lock) {
            for (JsonNode op : entry.path("ops")) {
                switch (op.path("op").asString("")) {
                    case "clear" -> clear();
                    case "put" -> {
                        CrmObject object = SandboxState.object(op.path("type").asString(), op.path("object"));
                        objects.computeIfAbsent(object.type(), t -> new LinkedHashMap<>()).put(object.id(), object);
                    }
                    case "purge" -> {
                        Map<String, CrmObject> byId = objects.get(op.path("type").asString());
                        if (byId != null) {
                            byId.remove(op.path("id").asString());
                        }
                    }
                    case "associate" -> associations.add(SandboxState.association(op.path("association")));
                    case "dissociate" -> associations.remove(SandboxState.association(op.path("association")));
                    case "property" -> customProperties.computeIfAbsent(op.path("type").asString(), t -> new LinkedHashMap<>())
                            .put(op.path("definition").path("name").asString(""), (ObjectNode) op.path("definition"));
                    case "group" -> groupsOf(op.path("type").asString()).put(op.path("definition").path("name").asString(""), (ObjectNode) op.path("definition"));
                    default -> log.warn("Skipping an unknown change in the HubSpot sandbox's journal: {}", op.path("op").asString(""));
                }
            }
            nextId.set(Math.max(nextId.get(), entry.path("nextId").asLong(10_001)));
        }
    }

    /** The object type an inline association points at, from its type id (or, failing that, from where the id exists). */
    private String targetType(String fromType, int typeId, String toId) {
        Optional<String> byType = Types.associationTarget(fromType, typeId);
        if (byType.isPresent()) {
            find(byType.get(), toId, null);
            return byType.get();
        }
        return objects.entrySet().stream().filter(e -> e.getValue().containsKey(toId)).map(Map.Entry::getKey).findFirst()
                .orElseThrow(() -> new HubSpotError(400, "VALIDATION_ERROR", "INVALID_ASSOCIATION",
                        "Association type " + typeId + " from " + fromType + " to object " + toId + " is not valid"));
    }

    /** A record as HubSpot returns it; {@code associations} (comma-separated types) adds its v3 associations. */
    ObjectNode view(CrmObject object, String associationTypes) {
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
        if (associationTypes != null && !associationTypes.isBlank()) {
            ObjectNode assoc = node.putObject("associations");
            for (String raw : associationTypes.split(",")) {
                String toType = Types.type(raw.trim());
                ArrayNode results = assoc.putObject(toType).putArray("results");
                for (Association a : associations) {
                    if (a.fromType().equals(object.type()) && a.fromId().equals(object.id()) && a.toType().equals(toType)) {
                        results.addObject().put("id", a.toId()).put("type", Types.singular(object.type()) + "_to_" + Types.singular(toType));
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

    static Map<String, String> properties(JsonNode node) {
        Map<String, String> properties = new LinkedHashMap<>();
        if (node != null && node.isObject()) {
            node.properties().forEach(e -> properties.put(e.getKey(), e.getValue().isNull() ? "" : e.getValue().asString("")));
        }
        return properties;
    }

    String newId() {
        return String.valueOf(nextId.getAndIncrement());
    }
}
