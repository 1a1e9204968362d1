package io.leadflow.crm.hubspot;

import tools.jackson.databind.JsonNode;

import java.util.LinkedHashMap;
import java.util.Map;

/** What HubSpot did with each input of a batch call, by the caller's key: a result object or a rejection. */
public final class BatchOutcome {

    private final Map<String, JsonNode> results = new LinkedHashMap<>();
    private final Map<String, Rejection> rejected = new LinkedHashMap<>();

    void result(String key, JsonNode result) {
        results.put(key, result);
    }

    void reject(String key, Rejection rejection) {
        rejected.put(key, rejection);
    }

    public void addAll(BatchOutcome other) {
        results.putAll(other.results);
        rejected.putAll(other.rejected);
    }

    public Map<String, JsonNode> results() {
        return results;
    }

    public Map<String, Rejection> rejected() {
        return rejected;
    }

    /** The HubSpot id of the object created or updated for a key, or null. */
    public String id(String key) {
        JsonNode node = results.get(key);
        return node == null ? null : node.path("id").asString(null);
    }
}
