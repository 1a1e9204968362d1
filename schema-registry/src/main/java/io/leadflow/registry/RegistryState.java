package io.leadflow.registry;

import io.leadflow.schemas.registry.CompatibilityLevel;
import org.apache.avro.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What the store topic says, folded in order: every subject's versions, schemas by id, and the
 * compatibility configs. Only the store's reader thread changes it; HTTP threads read it.
 */
final class RegistryState {

    private static final Logger log = LoggerFactory.getLogger(RegistryState.class);

    private final Map<String, TreeMap<Integer, StoredSchema>> subjects = new TreeMap<>();
    private final Map<Integer, StoredSchema> byId = new HashMap<>();
    private final Map<String, Integer> idByCanonical = new HashMap<>();
    private final Map<String, CompatibilityLevel> subjectConfigs = new HashMap<>();
    private CompatibilityLevel globalConfig;
    private int maxId;

    /** Applies one record of the store topic (value null = tombstone). Unknown or malformed records are skipped. */
    synchronized void apply(String keyJson, String valueJson) {
        JsonNode key;
        try {
            key = StoreRecords.parse(keyJson);
        } catch (IllegalArgumentException e) {
            log.warn("Skipping a store record whose key is not JSON: {}", e.getMessage());
            return;
        }
        String keyType = key.path("keytype").asString("");
        try {
            switch (keyType) {
                case StoreRecords.SCHEMA -> applySchema(key, valueJson);
                case StoreRecords.CONFIG -> applyConfig(key, valueJson);
                default -> {
                    // NOOP, and what Confluent writes for features we do not have (MODE, CONTEXT, DELETE_SUBJECT,
                    // CLEAR_SUBJECT): the SCHEMA records that follow them carry the state we need.
                }
            }
        } catch (RuntimeException e) {
            log.warn("Skipping store record {}: {}", keyJson, e.toString());
        }
    }

    private void applySchema(JsonNode key, String valueJson) {
        String subject = key.path("subject").asString();
        int version = key.path("version").asInt();
        TreeMap<Integer, StoredSchema> versions = subjects.computeIfAbsent(subject, s -> new TreeMap<>());
        if (valueJson == null) {
            StoredSchema removed = versions.remove(version);
            if (versions.isEmpty()) {
                subjects.remove(subject);
            }
            if (removed != null) {
                forgetIdIfUnused(removed);
            }
            return;
        }
        JsonNode value = StoreRecords.parse(valueJson);
        String schemaText = value.path("schema").asString();
        String schemaType = value.hasNonNull("schemaType") && !value.get("schemaType").asString().equals("AVRO")
                ? value.get("schemaType").asString() : null;
        int id = value.path("id").asInt();
        StoredSchema stored = new StoredSchema(subject, version, id, schemaText, schemaType,
                value.path("deleted").asBoolean(false), canonical(schemaText, schemaType), normalized(schemaText, schemaType));
        StoredSchema sameId = byId.get(id);
        if (sameId != null && !sameId.canonical().equals(stored.canonical())) {
            log.warn("Schema id {} names two different schemas (subjects {} and {}); was a second registry writing to the store?",
                    id, sameId.subject(), subject);
        }
        versions.put(version, stored);
        byId.putIfAbsent(id, stored);
        idByCanonical.putIfAbsent(stored.canonical(), id);
        maxId = Math.max(maxId, id);
    }

    private void forgetIdIfUnused(StoredSchema removed) {
        boolean used = subjects.values().stream().flatMap(v -> v.values().stream()).anyMatch(s -> s.id() == removed.id());
        if (!used) {
            byId.remove(removed.id());
            idByCanonical.remove(removed.canonical(), removed.id());
        } else if (byId.get(removed.id()) == removed) {
            subjects.values().stream().flatMap(v -> v.values().stream()).filter(s -> s.id() == removed.id())
                    .findFirst().ifPresent(s -> byId.put(s.id(), s));
        }
    }

    private void applyConfig(JsonNode key, String valueJson) {
        String subject = key.hasNonNull("subject") && !key.get("subject").asString().isEmpty() ? key.get("subject").asString() : null;
        CompatibilityLevel level = null;
        if (valueJson != null) {
            JsonNode value = StoreRecords.parse(valueJson);
            if (value.hasNonNull("compatibilityLevel")) {
                level = CompatibilityLevel.valueOf(value.get("compatibilityLevel").asString().toUpperCase(Locale.ROOT));
            } else {
                return;
            }
        }
        if (subject == null) {
            globalConfig = level;
        } else if (level == null) {
            subjectConfigs.remove(subject);
        } else {
            subjectConfigs.put(subject, level);
        }
    }

    /** Avro's canonical text of a schema, so that whitespace or key order never makes two schemas differ. */
    static String canonical(String schemaText, String schemaType) {
        if (schemaType != null && !schemaType.equals("AVRO")) {
            return schemaText;
        }
        try {
            return new Schema.Parser().parse(schemaText).toString();
        } catch (RuntimeException e) {
            return schemaText;
        }
    }

    /** The {@link AvroNormalization normalised} text of a schema; the text itself when it is not Avro or not valid. */
    static String normalized(String schemaText, String schemaType) {
        if (schemaType != null && !schemaType.equals("AVRO")) {
            return schemaText;
        }
        try {
            return AvroNormalization.normalize(new Schema.Parser().parse(schemaText));
        } catch (RuntimeException e) {
            return schemaText;
        }
    }

    // ---- queries -------------------------------------------------------------------------------

    /** Versions of a subject, oldest first; soft-deleted ones only when asked. */
    synchronized List<StoredSchema> versions(String subject, boolean includeDeleted) {
        TreeMap<Integer, StoredSchema> versions = subjects.get(subject);
        if (versions == null) {
            return List.of();
        }
        return versions.values().stream().filter(s -> includeDeleted || !s.deleted()).toList();
    }

    synchronized List<String> subjects(boolean includeDeleted) {
        List<String> names = new ArrayList<>();
        subjects.forEach((name, versions) -> {
            if (includeDeleted || versions.values().stream().anyMatch(s -> !s.deleted())) {
                names.add(name);
            }
        });
        return names;
    }

    synchronized Optional<StoredSchema> byId(int id) {
        return Optional.ofNullable(byId.get(id));
    }

    /** Every (subject, version) that holds the schema with this id. */
    synchronized List<StoredSchema> usesOfId(int id, boolean includeDeleted) {
        return subjects.values().stream().flatMap(v -> v.values().stream())
                .filter(s -> s.id() == id && (includeDeleted || !s.deleted())).toList();
    }

    synchronized Optional<Integer> idOf(String canonical) {
        return Optional.ofNullable(idByCanonical.get(canonical));
    }

    synchronized int maxId() {
        return maxId;
    }

    synchronized Optional<CompatibilityLevel> globalConfig() {
        return Optional.ofNullable(globalConfig);
    }

    synchronized Optional<CompatibilityLevel> subjectConfig(String subject) {
        return Optional.ofNullable(subjectConfigs.get(subject));
    }
}
