package io.leadflow.schemas.registry;

import org.apache.avro.Schema;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An in-memory registry for {@code mock://<scope>} URLs, shared by every client of the same scope in
 * the JVM, as Confluent's clients do for unit tests. Enforces BACKWARD compatibility like a fresh
 * registry.
 */
public final class MockSchemaRegistry implements SchemaRegistryClient {

    public static final String SCHEME = "mock://";

    private static final Map<String, MockSchemaRegistry> SCOPES = new ConcurrentHashMap<>();
    /**
     * One id space for every scope of the JVM, as one registry serves a whole cluster: scopes keep their own subjects and
     * versions, but an id names one schema everywhere, so a record another scope wrote on a shared broker reads right.
     */
    private static final java.util.concurrent.atomic.AtomicInteger NEXT_ID = new java.util.concurrent.atomic.AtomicInteger();
    private static final Map<Integer, Schema> EVERY_SCOPE_BY_ID = new ConcurrentHashMap<>();

    private final Map<Integer, Schema> byId = new ConcurrentHashMap<>();
    private final Map<Schema, Integer> idBySchema = new ConcurrentHashMap<>();
    private final Map<String, List<Schema>> versions = new ConcurrentHashMap<>();

    private MockSchemaRegistry() {
    }

    /** The registry of one scope; {@code mock://orders} and {@code orders} name the same scope. */
    public static MockSchemaRegistry scope(String urlOrScope) {
        String scope = urlOrScope.startsWith(SCHEME) ? urlOrScope.substring(SCHEME.length()) : urlOrScope;
        return SCOPES.computeIfAbsent(scope, s -> new MockSchemaRegistry());
    }

    public static void drop(String urlOrScope) {
        String scope = urlOrScope.startsWith(SCHEME) ? urlOrScope.substring(SCHEME.length()) : urlOrScope;
        SCOPES.remove(scope);
    }

    @Override
    public synchronized int register(String subject, Schema schema) {
        List<Schema> subjectVersions = versions.computeIfAbsent(subject, s -> new ArrayList<>());
        if (subjectVersions.contains(schema)) {
            return idBySchema.get(schema);
        }
        List<String> problems = CompatibilityLevel.BACKWARD.problems(schema, subjectVersions);
        if (!problems.isEmpty()) {
            throw new SchemaRegistryException(409, SchemaRegistryException.INCOMPATIBLE_SCHEMA,
                    "Schema being registered is incompatible with an earlier schema for subject \"" + subject + "\", details: " + problems);
        }
        int id = idBySchema.computeIfAbsent(schema, s -> {
            int next = NEXT_ID.incrementAndGet();
            byId.put(next, s);
            EVERY_SCOPE_BY_ID.put(next, s);
            return next;
        });
        subjectVersions.add(schema);
        return id;
    }

    @Override
    public synchronized int getId(String subject, Schema schema) {
        List<Schema> subjectVersions = versions.get(subject);
        if (subjectVersions == null) {
            throw new SchemaRegistryException(404, SchemaRegistryException.SUBJECT_NOT_FOUND, "Subject '" + subject + "' not found.");
        }
        if (!subjectVersions.contains(schema)) {
            throw new SchemaRegistryException(404, SchemaRegistryException.SCHEMA_NOT_FOUND, "Schema not found");
        }
        return idBySchema.get(schema);
    }

    @Override
    public Schema getById(int id) {
        Schema schema = byId.get(id);
        if (schema == null) {
            schema = EVERY_SCOPE_BY_ID.get(id);
        }
        if (schema == null) {
            throw new SchemaRegistryException(404, SchemaRegistryException.SCHEMA_NOT_FOUND, "Schema " + id + " not found");
        }
        return schema;
    }

    @Override
    public synchronized RegisteredSchema getLatest(String subject) {
        List<Schema> subjectVersions = versions.get(subject);
        if (subjectVersions == null || subjectVersions.isEmpty()) {
            throw new SchemaRegistryException(404, SchemaRegistryException.SUBJECT_NOT_FOUND, "Subject '" + subject + "' not found.");
        }
        Schema latest = subjectVersions.get(subjectVersions.size() - 1);
        return new RegisteredSchema(subject, subjectVersions.size(), idBySchema.get(latest), latest);
    }

    @Override
    public synchronized boolean isCompatible(String subject, Schema schema) {
        return CompatibilityLevel.BACKWARD.problems(schema, versions.getOrDefault(subject, List.of())).isEmpty();
    }
}
