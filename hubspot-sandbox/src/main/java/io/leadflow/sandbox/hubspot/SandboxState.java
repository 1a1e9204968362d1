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
 * The portal's records as one JSON document, so the sandbox keeps its CRM across restarts as a real portal would. The
 * {@link SandboxStore} replaces its file atomically, so a crash leaves the previous state or the new one, never half.
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
            crm.customProperties.forEach((type, byName) -> {
                ArrayNode list = props.putArray(type);
                byName.values().forEach(list::add);
            });
            ArrayNode assoc = root.putArray("associations");
            crm.associations.forEach(a -> assoc.addObject().put("fromType", a.fromType()).put("fromId", a.fromId())
                    .put("toType", a.toType()).put("toId", a.toId()).put("typeId", a.typeId()).put("category", a.category()));
        }
        return root;
    }

    static void load(Crm crm, JsonNode root) {
        synchronized (crm.lock) {
            crm.nextId.set(Math.max(crm.nextId.get(), root.path("nextId").asLong(10_001)));
            root.path("objects").properties().forEach(e -> {
                Map<String, Crm.CrmObject> byId = crm.objects.computeIfAbsent(e.getKey(), t -> new LinkedHashMap<>());
                for (JsonNode n : e.getValue()) {
                    byId.put(n.path("id").asString(), new Crm.CrmObject(e.getKey(), n.path("id").asString(),
                            Map.copyOf(Crm.properties(n.path("properties"))), Instant.parse(n.path("createdAt").asString()),
                            Instant.parse(n.path("updatedAt").asString()), n.path("archived").asBoolean(false)));
                }
            });
            root.path("properties").properties().forEach(e -> {
                Map<String, ObjectNode> byName = crm.customProperties.computeIfAbsent(e.getKey(), t -> new LinkedHashMap<>());
                for (JsonNode p : e.getValue()) {
                    byName.put(p.path("name").asString(), (ObjectNode) p);
                }
            });
            for (JsonNode a : root.path("associations")) {
                crm.associations.add(new Crm.Association(a.path("fromType").asString(), a.path("fromId").asString(),
                        a.path("toType").asString(), a.path("toId").asString(), a.path("typeId").asInt(), a.path("category").asString()));
            }
        }
    }
}
