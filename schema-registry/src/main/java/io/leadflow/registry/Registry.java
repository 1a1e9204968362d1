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
 *
 * <p>Within a subject a schema is the same version as an earlier one when their canonical texts match or
 * they differ only in the order of properties or aliases (Confluent's "equivalent"); with
 * {@code normalize} the {@link AvroNormalization normalised} text is what is stored and what decides the
 * id across subjects.
 */
final class Registry {

    /** Confluent's limit on how much of an earlier schema an incompatibility message quotes. */
    private static final int MAX_QUOTED_SCHEMA = 10 * 1024;

    /** A schema from a request: parsed, the text to store or look up, and its normalised text. */
    private record Candidate(Schema schema, String text, String normalized) {

        boolean sameAs(StoredSchema stored) {
            return stored.canonical().equals(text) || stored.normalized().equals(normalized);
        }
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

    /**
     * Registers the schema under the subject, or finds the version it already is, and returns its id. The
     * subject must be valid (42208), the schema valid Avro (42201) and compatible with the subject's live
     * versions under its level: the newest, or every one for a {@code _TRANSITIVE} level (409/40901).
     */
    int register(String subject, SchemaRequest request, boolean normalize) {
        validateSubject(subject);
        Candidate candidate = candidate(request, normalize, true);
        synchronized (writeLock) {
            List<StoredSchema> all = state.versions(subject, true);
            List<StoredSchema> live = all.stream().filter(s -> !s.deleted()).toList();
            Optional<StoredSchema> same = newestSame(live, candidate);
            if (same.isPresent()) {
                return same.get().id();
            }
            CompatibilityLevel level = effectiveLevel(subject);
            List<String> problems = incompatibilities(level, candidate.schema(), live);
            if (!problems.isEmpty()) {
                throw RegistryError.incompatible(subject, problems);
            }
            int id = state.idOf(candidate.text()).orElse(state.maxId() + 1);
            int version = all.isEmpty() ? 1 : all.get(all.size() - 1).version() + 1;
            StoredSchema stored = new StoredSchema(subject, version, id, candidate.text(), null, false, candidate.text(),
                    candidate.normalized());
            store.put(StoreRecords.schemaKey(subject, version), StoreRecords.schemaValue(stored));
            return id;
        }
    }

    /** The newest version of the subject that is the same schema: 42201 invalid schema, 40401 no subject, 40403 no such version. */
    StoredSchema lookup(String subject, SchemaRequest request, boolean includeDeleted, boolean normalize) {
        Candidate candidate = candidate(request, normalize, false);
        List<StoredSchema> versions = state.versions(subject, includeDeleted);
        if (versions.isEmpty()) {
            throw RegistryError.subjectNotFound(subject);
        }
        return newestSame(versions, candidate).orElseThrow(() -> RegistryError.schemaNotFound("Schema not found"));
    }

    private static Optional<StoredSchema> newestSame(List<StoredSchema> oldestFirst, Candidate candidate) {
        return oldestFirst.stream().filter(candidate::sameAs).reduce((older, newer) -> newer);
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
        store.put(StoreRecords.schemaKey(s.subject(), s.version()), StoreRecords.schemaValue(s.asDeleted()));
    }

    // ---- compatibility -------------------------------------------------------------------------

    /**
     * The incompatibilities, in Confluent's message shape, of a schema with a subject under the subject's level;
     * empty when compatible. Without a version it is checked as a registration would be (the newest live version,
     * or all of them for a {@code _TRANSITIVE} level); with a version (or {@code latest}) against that version
     * only. A subject without live versions accepts any valid schema. Errors in Confluent's order: 42202 invalid
     * version, 40402 no such version, 42201 invalid schema.
     */
    List<String> checkCompatibility(String subject, String version, SchemaRequest request) {
        List<StoredSchema> live = state.versions(subject, false);
        List<StoredSchema> against = live;
        if (version != null) {
            int wanted = parseVersion(version);
            if (wanted == -1) {
                against = live.isEmpty() ? List.of() : List.of(live.get(live.size() - 1));
            } else {
                against = List.of(live.stream().filter(s -> s.version() == wanted).findFirst()
                        .orElseThrow(() -> RegistryError.versionNotFound(wanted)));
            }
        }
        Schema candidate = candidate(request, false, true).schema();
        return incompatibilities(effectiveLevel(subject), candidate, against);
    }

    /**
     * Confluent's messages for the first of {@code level.versionsToCheck(previous)} the candidate cannot follow:
     * one {@code {errorType:'...', description:'...', additionalInfo:'...'}} per Avro incompatibility, then
     * {@code {oldSchemaVersion: n}} and {@code {oldSchema: '...'}} (which FULL leaves out when only the old
     * reader fails, as Confluent does), then {@code {validateFields: 'false', compatibility: 'LEVEL'}}.
     */
    private static List<String> incompatibilities(CompatibilityLevel level, Schema candidate, List<StoredSchema> previous) {
        String trailer = "{validateFields: 'false', compatibility: '" + level + "'}";
        for (StoredSchema earlier : level.versionsToCheck(previous)) {
            if (!earlier.isAvro()) {
                return List.of("Incompatible schema type: version " + earlier.version() + " is a " + earlier.schemaType()
                        + " schema, which an AVRO schema cannot follow", trailer);
            }
            List<CompatibilityLevel.Incompatibility> found = level.against(candidate, earlier.version(), new Schema.Parser()
                    .setValidateDefaults(false).parse(earlier.schema()));
            if (found.isEmpty()) {
                continue;
            }
            List<String> messages = new ArrayList<>();
            for (CompatibilityLevel.Incompatibility problem : found) {
                messages.add("{errorType:'" + problem.type() + "', description:'" + problem.describe() + "', additionalInfo:'"
                        + problem.detail() + "'}");
            }
            boolean full = level == CompatibilityLevel.FULL || level == CompatibilityLevel.FULL_TRANSITIVE;
            if (!full || found.stream().anyMatch(p -> p.direction() == CompatibilityLevel.Direction.NEW_READS_OLD)) {
                messages.add("{oldSchemaVersion: " + earlier.version() + "}");
                String quoted = earlier.canonical();
                messages.add(quoted.length() <= MAX_QUOTED_SCHEMA ? "{oldSchema: '" + quoted + "'}"
                        : "{oldSchema: <truncated> '" + quoted.substring(0, MAX_QUOTED_SCHEMA) + "...'}");
            }
            messages.add(trailer);
            return messages;
        }
        return List.of();
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

    /**
     * A subject may be registered (or configured) unless it holds an ISO control character or is one of
     * Confluent's reserved names, {@code __GLOBAL} and {@code __EMPTY}: 42208.
     */
    static void validateSubject(String subject) {
        if (subject.chars().anyMatch(Character::isISOControl) || subject.equals("__GLOBAL") || subject.equals("__EMPTY")) {
            throw RegistryError.invalidSubject(subject);
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

    /**
     * Parses a request's schema; with {@code normalize} the text to store or look up is the normalised one.
     * Registration and compatibility checks validate defaults (Confluent validates new schemas); look-ups do not.
     */
    private static Candidate candidate(SchemaRequest request, boolean normalize, boolean validateDefaults) {
        Schema schema = parse(request, validateDefaults);
        String normalized = AvroNormalization.normalize(schema);
        return new Candidate(schema, normalize ? normalized : schema.toString(), normalized);
    }

    private static Schema parse(SchemaRequest request, boolean validateDefaults) {
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
            return new Schema.Parser().setValidateDefaults(validateDefaults).parse(request.schema());
        } catch (RuntimeException e) {
            throw RegistryError.invalidSchema("Invalid schema " + abbreviate(request.schema()) + ": " + e.getMessage());
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 200 ? text : text.substring(0, 200) + "...";
    }
}
