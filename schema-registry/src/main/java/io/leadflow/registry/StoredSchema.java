package io.leadflow.registry;

/**
 * One version of a subject as the store holds it.
 *
 * @param canonical the schema in canonical form (Avro's {@code Schema.toString()}), which decides sameness
 * @param schemaType null for Avro, else the type another registry wrote (JSON, PROTOBUF)
 */
record StoredSchema(String subject, int version, int id, String schema, String schemaType, boolean deleted, String canonical) {

    boolean isAvro() {
        return schemaType == null || schemaType.equals("AVRO");
    }
}
