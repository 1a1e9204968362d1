package io.leadflow.registry;

import org.apache.avro.Schema;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The normalised text of an Avro schema, what Confluent Schema Registry registers and looks up with
 * {@code ?normalize=true}: Avro's canonical text ({@link Schema#toString()}), with the custom properties of
 * every type and field in alphabetical order (also inside their values and inside default values) and
 * aliases sorted. Two schemas that differ only in the order of properties or aliases normalise to the
 * same text; everything Avro reads (names, fields, docs, defaults, symbols, logical types) is kept.
 */
final class AvroNormalization {

    private AvroNormalization() {
    }

    static String normalize(Schema schema) {
        JsonNode sorted = schemaNode(StoreRecords.parse(schema.toString()));
        return new Schema.Parser().setValidateDefaults(false).parse(sorted.toString()).toString();
    }

    /** A schema: a name or primitive (text), a union (array) or a type with attributes (object). */
    private static JsonNode schemaNode(JsonNode schema) {
        if (schema.isArray()) {
            ArrayNode branches = StoreRecords.JSON.createArrayNode();
            schema.forEach(branch -> branches.add(schemaNode(branch)));
            return branches;
        }
        if (!schema.isObject()) {
            return schema;
        }
        ObjectNode out = StoreRecords.JSON.createObjectNode();
        for (Map.Entry<String, JsonNode> attribute : sortedProperties(schema)) {
            JsonNode value = attribute.getValue();
            switch (attribute.getKey()) {
                case "fields" -> {
                    ArrayNode fields = out.putArray("fields");
                    value.forEach(field -> fields.add(fieldNode(field)));
                }
                case "items", "values" -> out.set(attribute.getKey(), schemaNode(value));
                case "aliases" -> out.set("aliases", sortedTexts(value));
                default -> out.set(attribute.getKey(), sortedKeys(value));
            }
        }
        return out;
    }

    private static JsonNode fieldNode(JsonNode field) {
        ObjectNode out = StoreRecords.JSON.createObjectNode();
        for (Map.Entry<String, JsonNode> attribute : sortedProperties(field)) {
            switch (attribute.getKey()) {
                case "type" -> out.set("type", schemaNode(attribute.getValue()));
                case "aliases" -> out.set("aliases", sortedTexts(attribute.getValue()));
                default -> out.set(attribute.getKey(), sortedKeys(attribute.getValue()));
            }
        }
        return out;
    }

    /** Any JSON value with the keys of every object in it sorted; arrays keep their order. */
    private static JsonNode sortedKeys(JsonNode value) {
        if (value.isObject()) {
            ObjectNode out = StoreRecords.JSON.createObjectNode();
            sortedProperties(value).forEach(e -> out.set(e.getKey(), sortedKeys(e.getValue())));
            return out;
        }
        if (value.isArray()) {
            ArrayNode out = StoreRecords.JSON.createArrayNode();
            value.forEach(element -> out.add(sortedKeys(element)));
            return out;
        }
        return value;
    }

    private static JsonNode sortedTexts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(alias -> texts.add(alias.asString()));
        texts.sort(null);
        ArrayNode out = StoreRecords.JSON.createArrayNode();
        texts.forEach(out::add);
        return out;
    }

    private static Iterable<Map.Entry<String, JsonNode>> sortedProperties(JsonNode object) {
        Map<String, JsonNode> sorted = new TreeMap<>();
        object.properties().forEach(e -> sorted.put(e.getKey(), e.getValue()));
        return sorted.entrySet();
    }
}
