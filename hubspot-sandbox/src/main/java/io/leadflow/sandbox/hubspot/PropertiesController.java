package io.leadflow.sandbox.hubspot;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.leadflow.sandbox.hubspot.Answers.JSON;

/**
 * Properties and property groups: HubSpot's standard properties of each type, and the custom ones an app creates
 * (singly or in batch), such as a unique-value property to upsert by.
 */
@RestController
@RequestMapping(HubSpotSandboxWeb.BASE_PATH + "/crm/{version:v[34]}/properties/{type}")
class PropertiesController {

    private final Crm crm;

    PropertiesController(HubSpotSandbox sandbox) {
        this.crm = sandbox.crm();
    }

    @GetMapping
    ResponseEntity<String> list(@PathVariable String type) {
        String t = Types.type(type);
        return Answers.json(200, crm.read(() -> {
            ArrayNode results = JSON.createArrayNode();
            for (String name : standardProperties(t)) {
                results.add(property(t, name, false));
            }
            custom(t).values().forEach(results::add);
            return JSON.createObjectNode().set("results", results);
        }));
    }

    @PostMapping
    ResponseEntity<String> create(@PathVariable String type, @RequestBody(required = false) String request) {
        String t = Types.type(type);
        JsonNode body = Answers.read(request);
        return Answers.json(201, crm.write(() -> {
            Map<String, ObjectNode> custom = custom(t);
            String name = body.path("name").asString("");
            if (name.isBlank()) {
                throw new HubSpotError(400, "VALIDATION_ERROR", "Property name is required");
            }
            if (custom.containsKey(name) || standardProperties(t).contains(name)) {
                throw new HubSpotError(409, "CONFLICT", "A property named '" + name + "' already exists.");
            }
            ObjectNode created = property(t, name, true);
            body.properties().forEach(e -> created.set(e.getKey(), e.getValue()));
            crm.defineProperty(t, created);
            return created;
        }));
    }

    @GetMapping("/{name}")
    ResponseEntity<String> get(@PathVariable String type, @PathVariable String name) {
        String t = Types.type(type);
        return Answers.json(200, crm.read(() -> {
            ObjectNode custom = custom(t).get(name);
            if (custom != null) {
                return custom;
            }
            if (standardProperties(t).contains(name)) {
                return property(t, name, false);
            }
            throw new HubSpotError(404, "OBJECT_NOT_FOUND", "Unable to find property named '" + name + "' for object type " + t);
        }));
    }

    @PostMapping("/batch/{operation}")
    ResponseEntity<String> batch(@PathVariable String type, @PathVariable String operation, @RequestBody(required = false) String request) {
        String t = Types.type(type);
        JsonNode body = Answers.read(request);
        return crm.write(() -> {
            Map<String, ObjectNode> custom = custom(t);
            ArrayNode results = JSON.createArrayNode();
            for (JsonNode input : body.path("inputs")) {
                String name = input.path("name").asString("");
                ObjectNode p = custom.containsKey(name) ? custom.get(name) : property(t, name, true);
                if (operation.equals("create")) {
                    input.properties().forEach(e -> p.set(e.getKey(), e.getValue()));
                }
                if (operation.equals("create") || !custom.containsKey(name)) {
                    crm.defineProperty(t, p);
                }
                results.add(p);
            }
            return Answers.batch(operation.equals("create") ? 201 : 200, results, JSON.createArrayNode(), crm.clock.instant(),
                    crm.clock.instant());
        });
    }

    @GetMapping("/groups")
    ResponseEntity<String> listGroups(@PathVariable String type) {
        String t = Types.type(type);
        return Answers.json(200, crm.write(() -> {
            ArrayNode results = JSON.createArrayNode();
            groups(t).values().forEach(results::add);
            return JSON.createObjectNode().set("results", results);
        }));
    }

    @PostMapping("/groups")
    ResponseEntity<String> createGroup(@PathVariable String type, @RequestBody(required = false) String request) {
        String t = Types.type(type);
        JsonNode body = Answers.read(request);
        return Answers.json(201, crm.write(() -> {
            Map<String, ObjectNode> groups = groups(t);
            String name = body.path("name").asString("");
            if (name.isBlank()) {
                throw new HubSpotError(400, "VALIDATION_ERROR", "Property group name is required");
            }
            if (groups.containsKey(name)) {
                throw new HubSpotError(409, "CONFLICT", "A property group named '" + name + "' already exists.");
            }
            ObjectNode created = group(name, body.path("label").asString(name), body.path("displayOrder").asInt(-1));
            crm.defineGroup(t, created, groups);
            return created;
        }));
    }

    @GetMapping("/groups/{name}")
    ResponseEntity<String> getGroup(@PathVariable String type, @PathVariable String name) {
        String t = Types.type(type);
        return Answers.json(200, crm.write(() -> {
            ObjectNode group = groups(t).get(name);
            if (group == null) {
                throw new HubSpotError(404, "OBJECT_NOT_FOUND", "Unable to find property group named '" + name + "'");
            }
            return group;
        }));
    }

    private Map<String, ObjectNode> custom(String type) {
        return crm.customProperties.computeIfAbsent(type, t -> new LinkedHashMap<>());
    }

    private Map<String, ObjectNode> groups(String type) {
        return crm.groupsOf(type);
    }

    static ObjectNode group(String name, String label, int displayOrder) {
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
        p.put("groupName", Types.singular(type) + "information");
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
            case "emails" -> List.of("hs_timestamp", "hs_email_direction", "hs_email_status", "hs_email_subject", "hs_email_text",
                    "hs_email_html", "hs_email_headers", "hubspot_owner_id");
            default -> List.of();
        };
    }
}
