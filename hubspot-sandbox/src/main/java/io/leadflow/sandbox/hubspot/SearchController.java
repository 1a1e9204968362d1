package io.leadflow.sandbox.hubspot;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;

import static io.leadflow.sandbox.hubspot.Answers.JSON;

/**
 * CRM search: filter groups (OR of ANDed filters) or a free-text query, one sort, pages of at most 200.
 * Search has its own, lower rate limit (see {@link RateLimits}).
 */
@RestController
class SearchController {

    private final Crm crm;

    SearchController(HubSpotSandbox sandbox) {
        this.crm = sandbox.crm();
    }

    @PostMapping(HubSpotSandboxWeb.BASE_PATH + "/crm/{version:v[34]}/objects/{type}/search")
    ResponseEntity<String> search(@PathVariable String type, @RequestBody(required = false) String request) {
        String t = Types.type(type);
        JsonNode body = Answers.read(request);
        int limit = Math.max(1, Math.min(200, body.path("limit").asInt(10)));
        int after = body.path("after").asInt(0);
        return Answers.json(200, crm.read(() -> {
            List<Crm.CrmObject> matches = crm.objects.get(t).values().stream().filter(o -> !o.archived()).filter(o -> matches(o, body)).toList();
            JsonNode sorts = body.path("sorts");
            if (sorts.isArray() && !sorts.isEmpty()) {
                JsonNode first = sorts.get(0);
                String property = first.isString() ? first.asString().replaceFirst("^-", "") : first.path("propertyName").asString("");
                boolean descending = first.isString() ? first.asString().startsWith("-") : "DESCENDING".equals(first.path("direction").asString(""));
                Comparator<Crm.CrmObject> order = Comparator.comparing(o -> o.properties().getOrDefault(property, ""));
                matches = matches.stream().sorted(descending ? order.reversed() : order).toList();
            }
            ObjectNode answer = JSON.createObjectNode();
            answer.put("total", matches.size());
            ArrayNode results = answer.putArray("results");
            matches.stream().skip(after).limit(limit).forEach(o -> results.add(crm.view(o, null)));
            if (after + limit < matches.size()) {
                answer.putObject("paging").putObject("next").put("after", String.valueOf(after + limit));
            }
            return answer;
        }));
    }

    private static boolean matches(Crm.CrmObject object, JsonNode body) {
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

    private static boolean matchesFilter(Crm.CrmObject object, JsonNode filter) {
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
            case "IN" -> anyOf(actual, filter.path("values"));
            case "NOT_IN" -> !anyOf(actual, filter.path("values"));
            case "GT", "GTE", "LT", "LTE" -> actual != null && compare(actual, value, operator);
            default -> throw new HubSpotError(400, "VALIDATION_ERROR", "Unknown filter operator " + operator);
        };
    }

    private static boolean anyOf(String actual, JsonNode values) {
        boolean found = false;
        for (JsonNode v : values) {
            found |= actual != null && actual.equalsIgnoreCase(v.asString(""));
        }
        return found;
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
}
