package io.leadflow.intake.system;

import tools.jackson.databind.JsonNode;

import java.time.Instant;
import java.time.format.DateTimeParseException;

/** Reading provider JSON by path, with errors that name the field. */
public final class Json {

    private Json() {
    }

    /** The node at a dotted path ({@code payload.scheduled_event.start_time}); a missing node when absent. */
    public static JsonNode at(JsonNode root, String path) {
        JsonNode node = root;
        for (String part : path.split("\\.")) {
            node = node == null ? null : node.path(part);
        }
        return node;
    }

    /** Text at a path; null when absent, null or not a scalar. */
    public static String text(JsonNode root, String path) {
        JsonNode node = at(root, path);
        if (node == null || node.isMissingNode() || node.isNull() || node.isContainer()) {
            return null;
        }
        String s = node.asString();
        return s == null || s.isBlank() ? null : s.trim();
    }

    public static String requiredText(JsonNode root, String path) {
        String s = text(root, path);
        if (s == null) {
            throw RejectedRequest.invalid(path, "is required");
        }
        return s;
    }

    /** An ISO-8601 instant at a path; null when absent. */
    public static Instant instant(JsonNode root, String path) {
        String s = text(root, path);
        if (s == null) {
            return null;
        }
        try {
            return Instant.parse(s);
        } catch (DateTimeParseException e) {
            try {
                return java.time.OffsetDateTime.parse(s).toInstant();
            } catch (DateTimeParseException again) {
                throw RejectedRequest.invalid(path, "must be an ISO-8601 timestamp");
            }
        }
    }

    /** The root must be a JSON object. */
    public static JsonNode requireObject(JsonNode root) {
        if (root == null || !root.isObject()) {
            throw RejectedRequest.invalid("body", "must be a JSON object");
        }
        return root;
    }
}
