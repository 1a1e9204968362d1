package io.leadflow.schemas.registry;

import org.apache.avro.Schema;

/**
 * The calls Leadflow makes to a Confluent Schema Registry (REST API v1). Implementations: {@link
 * RestSchemaRegistryClient} over HTTP and {@link MockSchemaRegistry} in memory for {@code mock://} URLs.
 */
public interface SchemaRegistryClient {

    /** {@code POST /subjects/{subject}/versions}: registers the schema (or finds it) and returns its global id. */
    int register(String subject, Schema schema);

    /** {@code POST /subjects/{subject}}: the id of a schema already registered under the subject. */
    int getId(String subject, Schema schema);

    /** {@code GET /schemas/ids/{id}}: the schema with that global id. */
    Schema getById(int id);

    /** {@code GET /subjects/{subject}/versions/latest}. */
    RegisteredSchema getLatest(String subject);

    /** {@code POST /compatibility/subjects/{subject}/versions/latest}: whether the schema may be registered. */
    boolean isCompatible(String subject, Schema schema);
}
