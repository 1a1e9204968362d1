package io.leadflow.sandbox.hubspot;

import io.leadflow.sandbox.SandboxStore;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import static io.leadflow.sandbox.hubspot.Answers.JSON;

/**
 * The portal's records as JSON, so the sandbox keeps its CRM across restarts as a real portal would: the whole state
 * as one document (the {@link SandboxStore}'s snapshot), and one record or association at a time (its journal's
 * changes, see {@link Crm#journalTo}).
 */
final class SandboxState {

    private SandboxState() {
    }

    static ObjectNode save(Crm crm) {
        ObjectNode root = JSON.createObjectNode();
        synchronized (crm.lock) {
            root.put("nextId", crm.nextId.get());
            ObjectNode all = root.putObject("objects");
            crm.objects.forEach((type, byId) -> {
                ArrayNode list = all.putArray(type);
                byId.values().forEach(o -> list.add(json(o)));
            });
            ObjectNode props = root.putObject("properties");
            crm.customProperties.forEach((type, byName) -> {
                ArrayNode list = props.putArray(type);
                byName.values().forEach(list::add);
            });
            ObjectNode groups = root.putObject("propertyGroups");
            crm.propertyGroups.forEach((type, byName) -> {
                ArrayNode list = groups.putArray(type);
                byName.values().forEach(list::add);
            });
            ArrayNode assoc = root.putArray("associations");
            crm.associations.forEach(a -> assoc.add(json(a)));
        }
        return root;
    }

    static void load(Crm crm, JsonNode root) {
        synchronized (crm.lock) {
            crm.nextId.set(Math.max(crm.nextId.get(), root.path("nextId").asLong(10_001)));
            root.path("objects").properties().forEach(e -> {
                Map<String, Crm.CrmObject> byId = crm.objects.computeIfAbsent(e.getKey(), t -> new LinkedHashMap<>());
                for (JsonNode n : e.getValue()) {
                    byId.put(n.path("id").asString(), object(e.getKey(), n));
                }
            });
            root.path("properties").properties().forEach(e -> {
                Map<String, ObjectNode> byName = crm.customProperties.computeIfAbsent(e.getKey(), t -> new LinkedHashMap<>());
                for (JsonNode p : e.getValue()) {
                    byName.put(p.path("name").asString(), (ObjectNode) p);
                }
            });
            root.path("propertyGroups").properties().forEach(e -> {
                Map<String, ObjectNode> byName = crm.groupsOf(e.getKey());
                for (JsonNode g : e.getValue()) {
                    byName.put(g.path("name").asString(), (ObjectNode) g);
                }
            });
            for (JsonNode a : root.path("associations")) {
                crm.associations.add(association(a));
            }
        }
    }

    static ObjectNode json(Crm.CrmObject o) {
        ObjectNode n = JSON.createObjectNode();
        n.put("id", o.id());
        n.put("createdAt", o.createdAt().toString());
        n.put("updatedAt", o.updatedAt().toString());
        n.put("archived", o.archived());
        ObjectNode props = n.putObject("properties");
        o.properties().forEach(props::put);
        return n;
    }

    static Crm.CrmObject object(String type, JsonNode n) {
        return new Crm.CrmObject(type, n.path("id").asString(), Map.copyOf(Crm.properties(n.path("properties"))),
                Instant.parse(n.path("createdAt").asString()), Instant.parse(n.path("updatedAt").asString()), n.path("archived").asBoolean(false));
    }

    static ObjectNode json(Crm.Association a) {
        return JSON.createObjectNode().put("fromType", a.fromType()).put("fromId", a.fromId()).put("toType", a.toType())
                .put("toId", a.toId()).put("typeId", a.typeId()).put("category", a.category());
    }

    static Crm.Association association(JsonNode a) {
        return new Crm.Association(a.path("fromType").asString(), a.path("fromId").asString(), a.path("toType").asString(),
                a.path("toId").asString(), a.path("typeId").asInt(), a.path("category").asString());
    }
}
