package io.leadflow.sandbox.hubspot;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.leadflow.sandbox.hubspot.Answers.JSON;

/**
 * Associations v4 (and the v3 shapes still in use): one record's associations, default and labelled ones, and the
 * batch endpoints (read, create, associate/default, archive).
 */
@RestController
@RequestMapping(HubSpotSandboxWeb.BASE_PATH + "/crm")
class AssociationsController {

    private static final String OBJECT = "/{version:v[34]}/objects/{fromType}/{fromId}/associations";

    private final Crm crm;

    AssociationsController(HubSpotSandbox sandbox) {
        this.crm = sandbox.crm();
    }

    @GetMapping("/v4/objects/{fromType}/{fromId}/associations/{toType}")
    ResponseEntity<String> list(@PathVariable String fromType, @PathVariable String fromId, @PathVariable String toType) {
        String from = Types.type(fromType);
        return Answers.json(200, crm.read(() -> {
            crm.find(from, fromId, null);
            String to = Types.type(toType);
            ObjectNode answer = JSON.createObjectNode();
            ArrayNode results = answer.putArray("results");
            Map<String, ArrayNode> byTarget = new LinkedHashMap<>();
            for (Crm.Association a : crm.associations) {
                if (a.fromType().equals(from) && a.fromId().equals(fromId) && a.toType().equals(to)) {
                    ArrayNode types = byTarget.computeIfAbsent(a.toId(), id -> {
                        ObjectNode result = results.addObject();
                        result.put("toObjectId", Long.parseLong(id));
                        return result.putArray("associationTypes");
                    });
                    types.addObject().put("category", a.category()).put("typeId", a.typeId()).putNull("label");
                }
            }
            return answer;
        }));
    }

    @PutMapping("/v4/objects/{fromType}/{fromId}/associations/default/{toType}/{toId}")
    ResponseEntity<String> associateDefault(@PathVariable String fromType, @PathVariable String fromId, @PathVariable String toType,
                                            @PathVariable String toId) {
        String from = Types.type(fromType);
        return Answers.json(200, crm.write(() -> {
            crm.find(from, fromId, null);
            String to = Types.type(toType);
            crm.find(to, toId, null);
            int typeId = Types.defaultAssociation(from, to);
            crm.associate(from, fromId, to, toId, typeId, "HUBSPOT_DEFINED");
            crm.associate(to, toId, from, fromId, Types.defaultAssociation(to, from), "HUBSPOT_DEFINED");
            ObjectNode answer = JSON.createObjectNode();
            answer.put("status", "COMPLETE");
            ObjectNode result = answer.putArray("results").addObject();
            result.putObject("from").put("id", fromId);
            result.putObject("to").put("id", toId);
            result.putObject("associationSpec").put("associationCategory", "HUBSPOT_DEFINED").put("associationTypeId", typeId);
            return answer;
        }));
    }

    @PutMapping("/v4/objects/{fromType}/{fromId}/associations/{toType}/{toId}")
    ResponseEntity<String> associateLabelled(@PathVariable String fromType, @PathVariable String fromId, @PathVariable String toType,
                                             @PathVariable String toId, @RequestBody(required = false) String body) {
        String from = Types.type(fromType);
        JsonNode specs = Answers.read(body);
        return Answers.json(201, crm.write(() -> {
            crm.find(from, fromId, null);
            String to = Types.type(toType);
            crm.find(to, toId, null);
            for (JsonNode spec : specs) {
                crm.associate(from, fromId, to, toId, spec.path("associationTypeId").asInt(Types.defaultAssociation(from, to)),
                        spec.path("associationCategory").asString("HUBSPOT_DEFINED"));
            }
            return v4Result(from, fromId, to, toId, JSON.createObjectNode());
        }));
    }

    @PutMapping("/v3/objects/{fromType}/{fromId}/associations/{toType}/{toId}/{typeId}")
    ResponseEntity<String> associateV3(@PathVariable String fromType, @PathVariable String fromId, @PathVariable String toType,
                                       @PathVariable String toId, @PathVariable String typeId) {
        String from = Types.type(fromType);
        return Answers.json(200, crm.write(() -> {
            crm.find(from, fromId, null);
            String to = Types.type(toType);
            crm.find(to, toId, null);
            crm.associate(from, fromId, to, toId, Types.parseAssociation(typeId, from, to), "HUBSPOT_DEFINED");
            return crm.view(crm.find(from, fromId, null), to);
        }));
    }

    @DeleteMapping({OBJECT + "/{toType}/{toId}", OBJECT + "/{toType}/{toId}/{typeId}"})
    ResponseEntity<String> remove(@PathVariable String fromType, @PathVariable String fromId, @PathVariable String toType,
                                  @PathVariable String toId) {
        String from = Types.type(fromType);
        crm.write(() -> {
            crm.find(from, fromId, null);
            String to = Types.type(toType);
            crm.dissociate(a -> a.fromType().equals(from) && a.fromId().equals(fromId) && a.toType().equals(to) && a.toId().equals(toId));
            return null;
        });
        return Answers.empty(204);
    }

    @PostMapping({"/{version:v[34]}/associations/{fromType}/{toType}/batch/{operation}",
            "/{version:v[34]}/associations/{fromType}/{toType}/batch/{operation}/{variant}"})
    ResponseEntity<String> batch(@PathVariable String version, @PathVariable String fromType, @PathVariable String toType,
                                 @PathVariable String operation, @RequestBody(required = false) String body) {
        String from = Types.type(fromType);
        String to = Types.type(toType);
        JsonNode request = Answers.read(body);
        return crm.write(() -> {
            Instant now = crm.clock.instant();
            ArrayNode results = JSON.createArrayNode();
            ArrayNode errors = JSON.createArrayNode();
            for (JsonNode input : request.path("inputs")) {
                String fromId = input.path("from").path("id").asString(input.path("id").asString(""));
                String toId = input.path("to").path("id").asString("");
                try {
                    switch (operation) {
                        case "read" -> read(version, from, fromId, to, results);
                        case "associate", "create" -> create(version, operation, from, fromId, to, toId, input, results);
                        case "archive" -> crm.dissociate(a -> a.fromType().equals(from) && a.fromId().equals(fromId)
                                && a.toType().equals(to) && (toId.isEmpty() || a.toId().equals(toId)));
                        default -> throw new HubSpotError(404, "OBJECT_NOT_FOUND", "Unknown association batch operation " + operation);
                    }
                } catch (HubSpotError e) {
                    errors.add(Answers.batchError(e, fromId));
                }
            }
            if (operation.equals("archive")) {
                return Answers.empty(204);
            }
            return Answers.batch(operation.equals("read") ? 200 : 201, results, errors, now, now);
        });
    }

    private void read(String version, String from, String fromId, String to, ArrayNode results) {
        crm.find(from, fromId, null);
        ObjectNode result = results.addObject();
        result.putObject("from").put("id", fromId);
        ArrayNode targets = result.putArray("to");
        for (Crm.Association a : crm.associations) {
            if (a.fromType().equals(from) && a.fromId().equals(fromId) && a.toType().equals(to)) {
                if (version.equals("v4")) {
                    ObjectNode t = targets.addObject();
                    t.put("toObjectId", Long.parseLong(a.toId()));
                    t.putArray("associationTypes").addObject().put("category", a.category()).put("typeId", a.typeId()).putNull("label");
                } else {
                    targets.addObject().put("id", a.toId()).put("type", Types.singular(from) + "_to_" + Types.singular(to));
                }
            }
        }
    }

    private void create(String version, String operation, String from, String fromId, String to, String toId, JsonNode input,
                        ArrayNode results) {
        crm.find(from, fromId, null);
        crm.find(to, toId, null);
        List<Integer> typeIds = new ArrayList<>();
        if (operation.equals("associate") || (version.equals("v3") && !input.has("types"))) {
            typeIds.add(version.equals("v3") && input.has("type")
                    ? Types.parseAssociation(input.path("type").asString(""), from, to) : Types.defaultAssociation(from, to));
        } else {
            for (JsonNode spec : input.path("types")) {
                typeIds.add(spec.path("associationTypeId").asInt(Types.defaultAssociation(from, to)));
            }
        }
        for (int typeId : typeIds) {
            crm.associate(from, fromId, to, toId, typeId, "HUBSPOT_DEFINED");
        }
        if (operation.equals("associate")) {
            crm.associate(to, toId, from, fromId, Types.defaultAssociation(to, from), "HUBSPOT_DEFINED");
        }
        ObjectNode result = results.addObject();
        if (version.equals("v4") && operation.equals("associate")) {
            // batch/associate/default answers with the spec it used and the ids as given.
            result.putObject("associationSpec").put("associationCategory", "HUBSPOT_DEFINED").put("associationTypeId", typeIds.get(0));
            result.putObject("from").put("id", fromId);
            result.putObject("to").put("id", toId);
        } else if (version.equals("v4")) {
            v4Result(from, fromId, to, toId, result);
        } else {
            result.putObject("from").put("id", fromId);
            result.putObject("to").put("id", toId);
            result.put("type", Types.singular(from) + "_to_" + Types.singular(to));
        }
    }

    private static ObjectNode v4Result(String from, String fromId, String to, String toId, ObjectNode result) {
        result.put("fromObjectTypeId", Types.IDS.get(from));
        result.put("fromObjectId", Long.parseLong(fromId));
        result.put("toObjectTypeId", Types.IDS.get(to));
        result.put("toObjectId", Long.parseLong(toId));
        result.set("labels", JSON.createArrayNode());
        return result;
    }
}
