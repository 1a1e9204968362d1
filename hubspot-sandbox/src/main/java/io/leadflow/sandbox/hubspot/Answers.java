package io.leadflow.sandbox.hubspot;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.UUID;

/** HubSpot's answer shapes: JSON bodies, its error body, and batch answers (207 when any input failed). */
final class Answers {

    static final ObjectMapper JSON = JsonMapper.builder().build();

    private Answers() {
    }

    /** The request body as JSON; an empty body is an empty object. A malformed one is HubSpot's 400. */
    static JsonNode read(String body) {
        return body == null || body.isBlank() ? JSON.createObjectNode() : JSON.readTree(body);
    }

    static ResponseEntity<String> json(int status, JsonNode body) {
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON).body(body.toString());
    }

    static ResponseEntity<String> empty(int status) {
        return ResponseEntity.status(status).build();
    }

    /**
     * HubSpot's error body, {@code {"status":"error","message","correlationId","category"}} (plus {@code subCategory}):
     * https://developers.hubspot.com/docs/faq/api-error-responses
     */
    static ObjectNode errorBody(HubSpotError e) {
        ObjectNode body = JSON.createObjectNode();
        body.put("status", "error");
        body.put("message", e.getMessage());
        body.put("correlationId", UUID.randomUUID().toString());
        body.put("category", e.category);
        if (e.subCategory != null) {
            body.put("subCategory", e.subCategory);
        }
        return body;
    }

    static ResponseEntity<String> error(HubSpotError e) {
        return json(e.status, errorBody(e));
    }

    static ResponseEntity<String> batch(int okStatus, ArrayNode results, ArrayNode errors, Instant started, Instant now) {
        ObjectNode answer = JSON.createObjectNode();
        answer.put("status", "COMPLETE");
        answer.set("results", results);
        if (!errors.isEmpty()) {
            answer.put("numErrors", errors.size());
            answer.set("errors", errors);
        }
        answer.put("startedAt", started.toString());
        answer.put("completedAt", now.toString());
        return json(errors.isEmpty() ? okStatus : 207, answer);
    }

    static ObjectNode batchError(HubSpotError e, String id) {
        ObjectNode error = JSON.createObjectNode();
        error.put("status", "error");
        error.put("category", e.category);
        if (e.subCategory != null) {
            error.put("subCategory", e.subCategory);
        }
        error.put("message", e.getMessage());
        error.putObject("context").putArray("ids").add(id);
        return error;
    }

    /** HubSpot echoes an input's {@code objectWriteTraceId} on its result, so clients can match them. */
    static ObjectNode traced(ObjectNode result, JsonNode input) {
        JsonNode trace = input.path("objectWriteTraceId");
        if (trace.isValueNode() && !trace.isNull()) {
            result.put("objectWriteTraceId", trace.asString());
        }
        return result;
    }
}
