package io.leadflow.registry;

import tools.jackson.databind.JsonNode;

/**
 * The body of register, look-up and compatibility calls: {@code {"schema":"...","schemaType":"AVRO","references":[]}}.
 * Fields Confluent added later (metadata, ruleSet) are rejected when set rather than silently dropped.
 */
record SchemaRequest(String schema, String schemaType, boolean hasReferences, boolean hasDataContract) {

    static SchemaRequest from(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw RegistryError.invalidSchema("The request body must be a JSON object with a \"schema\" field");
        }
        JsonNode schema = body.get("schema");
        JsonNode type = body.get("schemaType");
        JsonNode references = body.get("references");
        return new SchemaRequest(
                schema == null || schema.isNull() ? null : schema.isString() ? schema.asString() : schema.toString(),
                type == null || type.isNull() ? null : type.asString(type.toString()),
                references != null && references.isArray() && !references.isEmpty(),
                isSet(body.get("metadata")) || isSet(body.get("ruleSet")));
    }

    private static boolean isSet(JsonNode node) {
        return node != null && !node.isNull() && !(node.isContainer() && node.isEmpty());
    }
}
