package io.leadflow.registry;

/**
 * One version of a subject as the store holds it.
 *
 * @param canonical  the schema in canonical form (Avro's {@code Schema.toString()}), which decides sameness
 *                   and ids across subjects
 * @param normalized the schema's {@link AvroNormalization normalised} text, which decides sameness within a
 *                   subject (a schema that differs only in the order of properties or aliases is the same version)
 * @param schemaType null for Avro, else the type another registry wrote (JSON, PROTOBUF)
 */
record StoredSchema(String subject, int version, int id, String schema, String schemaType, boolean deleted, String canonical,
        String normalized) {

    boolean isAvro() {
        return schemaType == null || schemaType.equals("AVRO");
    }

    StoredSchema asDeleted() {
        return new StoredSchema(subject, version, id, schema, schemaType, true, canonical, normalized);
    }
}
