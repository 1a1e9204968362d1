package io.leadflow.registry;

import io.leadflow.schemas.registry.CompatibilityLevel;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Keys and values of the store topic in Confluent's own layout (JSON, fields in Confluent's order), so
 * that a Confluent Schema Registry pointed at the same topic reads what we wrote and the other way round.
 * Compaction works on key bytes, so keys are written exactly as Confluent writes them.
 */
final class StoreRecords {

    static final ObjectMapper JSON = new ObjectMapper();

    static final String SCHEMA = "SCHEMA";
    static final String CONFIG = "CONFIG";
    static final String NOOP = "NOOP";

    private StoreRecords() {
    }

    /** {@code {"keytype":"SCHEMA","subject":"s","version":1,"magic":1}}. */
    static String schemaKey(String subject, int version) {
        ObjectNode key = JSON.createObjectNode();
        key.put("keytype", SCHEMA);
        key.put("subject", subject);
        key.put("version", version);
        key.put("magic", 1);
        return key.toString();
    }

    /** {@code {"subject":"s","version":1,"id":7,"schema":"...","deleted":false}}; schemaType only for non-Avro, as Confluent. */
    static String schemaValue(StoredSchema schema) {
        ObjectNode value = JSON.createObjectNode();
        value.put("subject", schema.subject());
        value.put("version", schema.version());
        value.put("id", schema.id());
        if (!schema.isAvro()) {
            value.put("schemaType", schema.schemaType());
        }
        value.put("schema", schema.schema());
        value.put("deleted", schema.deleted());
        return value.toString();
    }

    /**
     * {@code {"keytype":"CONFIG","subject":"s","magic":0}}, or {@code {"keytype":"CONFIG","magic":0}} for the
     * global level: current Confluent releases leave out a null subject (older ones wrote {@code "subject":null};
     * both are read).
     */
    static String configKey(String subjectOrNull) {
        ObjectNode key = JSON.createObjectNode();
        key.put("keytype", CONFIG);
        if (subjectOrNull != null) {
            key.put("subject", subjectOrNull);
        }
        key.put("magic", 0);
        return key.toString();
    }

    /** {@code {"compatibilityLevel":"BACKWARD"}}. */
    static String configValue(CompatibilityLevel level) {
        ObjectNode value = JSON.createObjectNode();
        value.put("compatibilityLevel", level.name());
        return value.toString();
    }

    /** {@code {"keytype":"NOOP","magic":0}}, written with a null value to learn how far the log goes. */
    static String noopKey() {
        ObjectNode key = JSON.createObjectNode();
        key.put("keytype", NOOP);
        key.put("magic", 0);
        return key.toString();
    }

    static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("not JSON: " + e.getMessage(), e);
        }
    }
}
