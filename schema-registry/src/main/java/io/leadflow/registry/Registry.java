package io.leadflow.registry;

import io.leadflow.schemas.registry.CompatibilityLevel;
import org.apache.avro.Schema;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The registry's rules over {@link RegistryState} and {@link KafkaStore}: ids are global and reused for
 * the same (canonical) schema in any subject, versions count per subject, compatibility is checked with
 * {@link CompatibilityLevel} against the versions that are not soft-deleted. Writes are serialised here
 * (one writer), reads come straight from the state.
 */
final class Registry {

    /** Compatibility check outcome: problems empty means compatible. */
    record Compatibility(CompatibilityLevel level, List<String> problems) {
    }

    private final RegistryState state;
    private final KafkaStore store;
    private final CompatibilityLevel defaultLevel;
    private final Object writeLock = new Object();

    Registry(RegistryState state, KafkaStore store, CompatibilityLevel defaultLevel) {
        this.state = state;
        this.store = store;
        this.defaultLevel = defaultLevel;
    }

    // ---- schemas -------------------------------------------------------------------------------

    int register(String subject, SchemaRequest request) {
        Schema candidate = parse(request);
        String canonical = candidate.toString();
        synchronized (writeLock) {
            List<StoredSchema> all = state.versions(subject, true);
            List<StoredSchema> live = all.stream().filter(s -> !s.deleted()).toList();
            Optional<StoredSchema> same = live.stream().filter(s -> s.canonical().equals(canonical)).findFirst();
            if (same.isPresent()) {
                return same.get().id();
            }
            CompatibilityLevel level = effectiveLevel(subject);
            List<String> problems = problems(level, candidate, live);
            if (!problems.isEmpty()) {
                throw RegistryError.incompatible(subject, problems);
            }
            int id = state.idOf(canonical).orElse(state.maxId() + 1);
            int version = all.isEmpty() ? 1 : all.get(all.size() - 1).version() + 1;
            StoredSchema stored = new StoredSchema(subject, version, id, canonical, null, false, canonical);
            store.put(StoreRecords.schemaKey(subject, version), StoreRecords.schemaValue(stored));
            return id;
        }
    }

    StoredSchema lookup(String subject, SchemaRequest request, boolean includeDeleted) {
        List<StoredSchema> versions = state.versions(subject, includeDeleted);
        if (versions.isEmpty()) {
            throw RegistryError.subjectNotFound(subject);
        }
        String canonical = parse(request).toString();
        return versions.stream().filter(s -> s.canonical().equals(canonical)).reduce((a, b) -> b)
                .orElseThrow(() -> RegistryError.schemaNotFound("Schema not found"));
    }

    StoredSchema byId(int id) {
        return state.byId(id).orElseThrow(() -> RegistryError.schemaNotFound("Schema " + id + " not found"));
    }

    List<StoredSchema> usesOfId(int id, boolean includeDeleted) {
        byId(id);
        return state.usesOfId(id, includeDeleted);
    }

    List<String> subjects(boolean includeDeleted, String prefix) {
        return state.subjects(includeDeleted).stream().filter(s -> prefix == null || s.startsWith(prefix)).toList();
    }

    List<Integer> versions(String subject, boolean includeDeleted) {
        List<StoredSchema> versions = state.versions(subject, includeDeleted);
        if (versions.isEmpty()) {
            throw RegistryError.subjectNotFound(subject);
        }
        return versions.stream().map(StoredSchema::version).toList();
    }

    StoredSchema version(String subject, String version, boolean includeDeleted) {
        int wanted = parseVersion(version);
        List<StoredSchema> versions = state.versions(subject, includeDeleted);
        if (versions.isEmpty()) {
            throw RegistryError.subjectNotFound(subject);
        }
        if (wanted == -1) {
            return versions.get(versions.size() - 1);
        }
        return versions.stream().filter(s -> s.version() == wanted).findFirst()
                .orElseThrow(() -> RegistryError.versionNotFound(wanted));
    }

    List<Integer> deleteSubject(String subject, boolean permanent) {
        synchronized (writeLock) {
            List<StoredSchema> all = state.versions(subject, true);
            if (all.isEmpty()) {
                throw RegistryError.subjectNotFound(subject);
            }
            List<StoredSchema> live = all.stream().filter(s -> !s.deleted()).toList();
            if (!permanent) {
                if (live.isEmpty()) {
                    throw new RegistryError(404, RegistryError.SUBJECT_SOFT_DELETED,
                            "Subject '" + subject + "' was soft deleted. Set permanent=true to delete permanently");
                }
                for (StoredSchema s : live) {
                    softDelete(s);
                }
                if (state.subjectConfig(subject).isPresent()) {
                    store.put(StoreRecords.configKey(subject), null);
                }
                return live.stream().map(StoredSchema::version).toList();
            }
            if (!live.isEmpty()) {
                throw new RegistryError(404, RegistryError.SUBJECT_NOT_SOFT_DELETED,
                        "Subject '" + subject + "' was not deleted first before being permanently deleted");
            }
            for (StoredSchema s : all) {
                store.put(StoreRecords.schemaKey(subject, s.version()), null);
            }
            return all.stream().map(StoredSchema::version).toList();
        }
    }

    int deleteVersion(String subject, String version, boolean permanent) {
        int wanted = parseVersion(version);
        synchronized (writeLock) {
            List<StoredSchema> all = state.versions(subject, true);
            List<StoredSchema> visible = permanent ? all : all.stream().filter(s -> !s.deleted()).toList();
            if (visible.isEmpty()) {
                throw RegistryError.subjectNotFound(subject);
            }
            StoredSchema target = wanted == -1 ? visible.get(visible.size() - 1)
                    : all.stream().filter(s -> s.version() == wanted).findFirst().orElseThrow(() -> RegistryError.versionNotFound(wanted));
            if (!permanent) {
                if (target.deleted()) {
                    throw new RegistryError(404, RegistryError.VERSION_SOFT_DELETED, "Subject '" + subject + "' Version "
                            + target.version() + " was soft deleted. Set permanent=true to delete permanently");
                }
                softDelete(target);
            } else {
                if (!target.deleted()) {
                    throw new RegistryError(404, RegistryError.VERSION_NOT_SOFT_DELETED, "Subject '" + subject + "' Version "
                            + target.version() + " was not deleted first before being permanently deleted");
                }
                store.put(StoreRecords.schemaKey(subject, target.version()), null);
            }
            return target.version();
        }
    }

    private void softDelete(StoredSchema s) {
        StoredSchema deleted = new StoredSchema(s.subject(), s.version(), s.id(), s.schema(), s.schemaType(), true, s.canonical());
        store.put(StoreRecords.schemaKey(s.subject(), s.version()), StoreRecords.schemaValue(deleted));
    }

    // ---- compatibility -------------------------------------------------------------------------

    /** Against one version, or against what a registration would be checked against when {@code version} is null/latest. */
    Compatibility checkCompatibility(String subject, String version, SchemaRequest request) {
        int wanted = version == null ? -1 : parseVersion(version);
        List<StoredSchema> live = state.versions(subject, false);
        if (live.isEmpty() && version != null) {
            throw RegistryError.subjectNotFound(subject);
        }
        Schema candidate = parse(request);
        CompatibilityLevel level = effectiveLevel(subject);
        List<StoredSchema> against = wanted == -1 ? live
                : List.of(live.stream().filter(s -> s.version() == wanted).findFirst().orElseThrow(() -> RegistryError.versionNotFound(wanted)));
        return new Compatibility(level, problems(level, candidate, against));
    }

    private static List<String> problems(CompatibilityLevel level, Schema candidate, List<StoredSchema> previous) {
        List<Schema> schemas = new ArrayList<>();
        for (StoredSchema s : previous) {
            if (!s.isAvro()) {
                return List.of("version " + s.version() + " is a " + s.schemaType() + " schema; an AVRO schema cannot follow it");
            }
            schemas.add(new Schema.Parser().parse(s.schema()));
        }
        return level.problems(candidate, schemas);
    }

    // ---- config --------------------------------------------------------------------------------

    CompatibilityLevel globalLevel() {
        return state.globalConfig().orElse(defaultLevel);
    }

    CompatibilityLevel subjectLevel(String subject, boolean defaultToGlobal) {
        Optional<CompatibilityLevel> own = state.subjectConfig(subject);
        if (own.isPresent()) {
            return own.get();
        }
        if (defaultToGlobal) {
            return globalLevel();
        }
        throw new RegistryError(404, RegistryError.SUBJECT_CONFIG_NOT_FOUND,
                "Subject '" + subject + "' does not have subject-level compatibility configured");
    }

    CompatibilityLevel effectiveLevel(String subject) {
        return state.subjectConfig(subject).orElseGet(this::globalLevel);
    }

    void setLevel(String subjectOrNull, CompatibilityLevel level) {
        synchronized (writeLock) {
            store.put(StoreRecords.configKey(subjectOrNull), StoreRecords.configValue(level));
        }
    }

    /** Removes the global level (back to the default) and returns the one it had. */
    CompatibilityLevel deleteGlobalLevel() {
        synchronized (writeLock) {
            CompatibilityLevel previous = globalLevel();
            if (state.globalConfig().isPresent()) {
                store.put(StoreRecords.configKey(null), null);
            }
            return previous;
        }
    }

    /** Removes a subject's own level and returns the level that applied to it. */
    CompatibilityLevel deleteSubjectLevel(String subject) {
        synchronized (writeLock) {
            Optional<CompatibilityLevel> own = state.subjectConfig(subject);
            if (own.isEmpty() && state.versions(subject, false).isEmpty()) {
                throw RegistryError.subjectNotFound(subject);
            }
            if (own.isPresent()) {
                store.put(StoreRecords.configKey(subject), null);
            }
            return own.orElseGet(this::globalLevel);
        }
    }

    static CompatibilityLevel parseLevel(String given) {
        if (given == null || given.isBlank()) {
            throw RegistryError.invalidCompatibilityLevel(String.valueOf(given));
        }
        try {
            return CompatibilityLevel.valueOf(given.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw RegistryError.invalidCompatibilityLevel(given);
        }
    }

    // ---- parsing -------------------------------------------------------------------------------

    /** {@code latest} or {@code -1} → -1; a positive int → itself; anything else → 42202. */
    static int parseVersion(String version) {
        if ("latest".equalsIgnoreCase(version) || "-1".equals(version)) {
            return -1;
        }
        try {
            int n = Integer.parseInt(version);
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // fall through to the error below
        }
        throw RegistryError.invalidVersion(version);
    }

    static Schema parse(SchemaRequest request) {
        if (request.schemaType() != null && !request.schemaType().toUpperCase(Locale.ROOT).equals("AVRO")) {
            throw RegistryError.invalidSchema("Invalid schema: schemaType " + request.schemaType()
                    + " is not supported by this registry; only AVRO schemas can be registered");
        }
        if (request.hasReferences()) {
            throw RegistryError.invalidSchema("Invalid schema: schema references are not supported by this registry; inline the referenced types");
        }
        if (request.hasDataContract()) {
            throw RegistryError.invalidSchema("Invalid schema: metadata and ruleSet (data contracts) are not supported by this registry");
        }
        if (request.schema() == null || request.schema().isBlank()) {
            throw RegistryError.invalidSchema("Invalid schema: the request has no \"schema\"");
        }
        try {
            return new Schema.Parser().setValidateDefaults(true).parse(request.schema());
        } catch (RuntimeException e) {
            throw RegistryError.invalidSchema("Invalid schema " + abbreviate(request.schema()) + ": " + e.getMessage());
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 200 ? text : text.substring(0, 200) + "...";
    }
}
