package io.leadflow.schemas.registry;

import org.apache.avro.Schema;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Caches ids and schemas both ways, so the serde's hot path makes no HTTP call after the first record
 * of each schema. Ids are immutable in a registry, so nothing here ever expires except {@code latest}.
 */
final class CachingSchemaRegistryClient implements SchemaRegistryClient {

    private record SubjectSchema(String subject, Schema schema) {
    }

    private final SchemaRegistryClient delegate;
    private final Map<SubjectSchema, Integer> registered = new ConcurrentHashMap<>();
    private final Map<SubjectSchema, Integer> lookedUp = new ConcurrentHashMap<>();
    private final Map<Integer, Schema> byId = new ConcurrentHashMap<>();
    private final Map<String, RegisteredSchema> latest = new ConcurrentHashMap<>();

    CachingSchemaRegistryClient(SchemaRegistryClient delegate) {
        this.delegate = delegate;
    }

    @Override
    public int register(String subject, Schema schema) {
        return registered.computeIfAbsent(new SubjectSchema(subject, schema), k -> remember(delegate.register(subject, schema), schema));
    }

    @Override
    public int getId(String subject, Schema schema) {
        return lookedUp.computeIfAbsent(new SubjectSchema(subject, schema), k -> remember(delegate.getId(subject, schema), schema));
    }

    @Override
    public Schema getById(int id) {
        return byId.computeIfAbsent(id, delegate::getById);
    }

    /** Cached for the life of the client: {@code use.latest.version} pins the version seen first, as Confluent's does by default. */
    @Override
    public RegisteredSchema getLatest(String subject) {
        return latest.computeIfAbsent(subject, s -> {
            RegisteredSchema found = delegate.getLatest(s);
            byId.putIfAbsent(found.id(), found.schema());
            return found;
        });
    }

    @Override
    public boolean isCompatible(String subject, Schema schema) {
        return delegate.isCompatible(subject, schema);
    }

    private int remember(int id, Schema schema) {
        byId.putIfAbsent(id, schema);
        return id;
    }
}
