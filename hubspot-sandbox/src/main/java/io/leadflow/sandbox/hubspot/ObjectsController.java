package io.leadflow.sandbox.hubspot;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import static io.leadflow.sandbox.hubspot.Answers.JSON;

/**
 * CRM objects v3: one record (create, read, update, archive), pages of records, and the batch endpoints
 * (create, read, update, upsert, archive; at most 100 inputs, 207 when some fail).
 */
@RestController
@RequestMapping(HubSpotSandboxWeb.BASE_PATH + "/crm/{version:v[34]}/objects/{type}")
class ObjectsController {

    private final Crm crm;
    private final Faults faults;

    ObjectsController(HubSpotSandbox sandbox) {
        this.crm = sandbox.crm();
        this.faults = sandbox.faults();
    }

    @PostMapping
    ResponseEntity<String> create(@PathVariable String type, @RequestParam(required = false) String associations,
                                  @RequestBody(required = false) String body) {
        String t = Types.type(type);
        JsonNode input = Answers.read(body);
        return Answers.json(201, crm.write(() -> crm.view(crm.create(t, input, crm.clock.instant()), associations)));
    }

    @GetMapping
    ResponseEntity<String> list(@PathVariable String type, @RequestParam(defaultValue = "10") String limit,
                                @RequestParam(defaultValue = "0") String after, @RequestParam(required = false) String associations) {
        String t = Types.type(type);
        int max = Math.min(100, Integer.parseInt(limit));
        long from = Long.parseLong(after);
        return Answers.json(200, crm.read(() -> {
            List<Crm.CrmObject> page = crm.objects.get(t).values().stream()
                    .filter(o -> !o.archived() && Long.parseLong(o.id()) > from)
                    .sorted(Comparator.comparingLong(o -> Long.parseLong(o.id())))
                    .limit(max + 1L).toList();
            ObjectNode answer = JSON.createObjectNode();
            ArrayNode results = answer.putArray("results");
            page.stream().limit(max).forEach(o -> results.add(crm.view(o, associations)));
            if (page.size() > max) {
                answer.putObject("paging").putObject("next").put("after", page.get(max - 1).id());
            }
            return answer;
        }));
    }

    @GetMapping("/{id}")
    ResponseEntity<String> get(@PathVariable String type, @PathVariable String id, @RequestParam(required = false) String idProperty,
                               @RequestParam(required = false) String associations) {
        String t = Types.type(type);
        return Answers.json(200, crm.read(() -> crm.view(crm.find(t, id, idProperty), associations)));
    }

    @PatchMapping("/{id}")
    ResponseEntity<String> update(@PathVariable String type, @PathVariable String id, @RequestParam(required = false) String idProperty,
                                  @RequestParam(required = false) String associations, @RequestBody(required = false) String body) {
        String t = Types.type(type);
        JsonNode input = Answers.read(body);
        return Answers.json(200, crm.write(() ->
                crm.view(crm.update(t, id, idProperty, input.path("properties"), crm.clock.instant()), associations)));
    }

    @DeleteMapping("/{id}")
    ResponseEntity<String> archive(@PathVariable String type, @PathVariable String id) {
        String t = Types.type(type);
        crm.write(() -> {
            crm.archive(t, id, crm.clock.instant());
            return null;
        });
        return Answers.empty(204);
    }

    @PostMapping("/batch/{operation}")
    ResponseEntity<String> batch(@PathVariable String type, @PathVariable String operation, @RequestBody(required = false) String body) {
        String t = Types.type(type);
        JsonNode request = Answers.read(body);
        JsonNode inputs = request.path("inputs");
        if (!inputs.isArray()) {
            throw new HubSpotError(400, "VALIDATION_ERROR", "Invalid input JSON: inputs must be an array");
        }
        if (inputs.size() > 100) {
            throw new HubSpotError(400, "VALIDATION_ERROR", "Too many inputs: " + inputs.size() + " (at most 100 per batch)");
        }
        return crm.write(() -> {
            Instant now = crm.clock.instant();
            return switch (operation) {
                case "create" -> create(t, inputs, now);
                case "read" -> read(t, inputs, request.path("idProperty").asString(null), now);
                case "update" -> update(t, inputs, now);
                case "upsert" -> upsert(t, inputs, now);
                case "archive" -> {
                    for (JsonNode input : inputs) {
                        crm.archive(t, input.path("id").asString(""), now);
                    }
                    yield Answers.empty(204);
                }
                default -> throw new HubSpotError(404, "OBJECT_NOT_FOUND", "Unknown batch operation " + operation);
            };
        });
    }

    private ResponseEntity<String> create(String type, JsonNode inputs, Instant now) {
        // The whole batch is validated first: HubSpot creates nothing when one input is rejected.
        List<String> emails = new ArrayList<>();
        for (JsonNode input : inputs) {
            Map<String, String> properties = Crm.properties(input.path("properties"));
            crm.checkCreate(type, properties, emails);
            if (properties.containsKey("email")) {
                emails.add(properties.get("email").trim().toLowerCase(Locale.ROOT));
            }
        }
        ArrayNode results = JSON.createArrayNode();
        for (JsonNode input : inputs) {
            results.add(Answers.traced(crm.view(crm.create(type, input, now), null), input));
        }
        return Answers.batch(201, results, JSON.createArrayNode(), now, now);
    }

    private ResponseEntity<String> read(String type, JsonNode inputs, String idProperty, Instant now) {
        ArrayNode results = JSON.createArrayNode();
        ArrayNode errors = JSON.createArrayNode();
        for (JsonNode input : inputs) {
            String id = input.path("id").asString("");
            try {
                results.add(crm.view(crm.find(type, id, idProperty), null));
            } catch (HubSpotError e) {
                errors.add(Answers.batchError(e, id));
            }
        }
        return Answers.batch(200, results, errors, now, now);
    }

    private ResponseEntity<String> update(String type, JsonNode inputs, Instant now) {
        ArrayNode results = JSON.createArrayNode();
        ArrayNode errors = JSON.createArrayNode();
        for (JsonNode input : inputs) {
            String id = input.path("id").asString("");
            try {
                refuseIfAsked(id);
                Crm.CrmObject updated = crm.update(type, id, input.path("idProperty").asString(null), input.path("properties"), now);
                results.add(Answers.traced(crm.view(updated, null), input));
            } catch (HubSpotError e) {
                errors.add(Answers.batchError(e, id));
            }
        }
        return Answers.batch(200, results, errors, now, now);
    }

    private ResponseEntity<String> upsert(String type, JsonNode inputs, Instant now) {
        ArrayNode results = JSON.createArrayNode();
        ArrayNode errors = JSON.createArrayNode();
        for (JsonNode input : inputs) {
            String idProperty = input.path("idProperty").asString("");
            String id = input.path("id").asString("");
            try {
                refuseIfAsked(id);
                if (idProperty.isBlank() || id.isBlank()) {
                    throw new HubSpotError(400, "VALIDATION_ERROR", "idProperty and id are required for upsert");
                }
                crm.requireUniqueProperty(type, idProperty);
                Optional<Crm.CrmObject> existing = crm.findBy(type, idProperty, id);
                Map<String, String> properties = new LinkedHashMap<>(Crm.properties(input.path("properties")));
                properties.putIfAbsent(idProperty, id);
                if (type.equals("deals")) {
                    Map<String, String> next = new LinkedHashMap<>(existing.map(Crm.CrmObject::properties).orElse(Map.of()));
                    next.putAll(properties);
                    crm.checkStage(next);
                }
                Crm.CrmObject object = crm.put(type, existing.map(Crm.CrmObject::id).orElseGet(crm::newId), properties, now,
                        existing.orElse(null));
                ObjectNode view = Answers.traced(crm.view(object, null), input);
                view.put("new", existing.isEmpty());
                results.add(view);
            } catch (HubSpotError e) {
                errors.add(Answers.batchError(e, id));
            }
        }
        return Answers.batch(200, results, errors, now, now);
    }

    private void refuseIfAsked(String id) {
        Optional<HubSpotError> refused = faults.refusedItem(id);
        if (refused.isPresent()) {
            throw refused.get();
        }
    }
}
