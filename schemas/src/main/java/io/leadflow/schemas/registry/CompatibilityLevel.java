package io.leadflow.schemas.registry;

import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaIncompatibilityType;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * Confluent's compatibility levels, checked with Avro's own {@link SchemaCompatibility}. BACKWARD
 * means a reader with the new schema reads data written with the previous one; FORWARD the other way
 * round; FULL both. The plain levels look at the newest earlier version only; the {@code _TRANSITIVE}
 * ones at every earlier version, newest first, and stop at the first one that fails, as Confluent
 * Schema Registry does.
 */
public enum CompatibilityLevel {
    NONE, BACKWARD, BACKWARD_TRANSITIVE, FORWARD, FORWARD_TRANSITIVE, FULL, FULL_TRANSITIVE;

    /** Who reads whose data in a failed check. */
    public enum Direction {
        /** The new (candidate) schema reads data written with an earlier one: the BACKWARD half. */
        NEW_READS_OLD("new", "old"),
        /** An earlier schema reads data written with the new one: the FORWARD half. */
        OLD_READS_NEW("old", "new");

        private final String reader;
        private final String writer;

        Direction(String reader, String writer) {
            this.reader = reader;
            this.writer = writer;
        }

        /** {@code new} or {@code old}: the schema that reads. */
        public String reader() {
            return reader;
        }

        /** {@code new} or {@code old}: the schema that wrote the data. */
        public String writer() {
            return writer;
        }
    }

    /**
     * One reason the candidate cannot follow an earlier version.
     *
     * @param version  the earlier version it was checked against
     * @param type     Avro's kind of incompatibility
     * @param location where in the reader schema, as a JSON pointer ({@code /fields/1/type})
     * @param detail   Avro's detail: the field name, the missing symbols, the expected name or type...
     */
    public record Incompatibility(int version, Direction direction, SchemaIncompatibilityType type, String location, String detail) {

        /** What went wrong, in a sentence that names the reader and the writer as {@code new}/{@code old}. */
        public String describe() {
            String reader = direction.reader();
            String writer = direction.writer();
            return switch (type) {
                case READER_FIELD_MISSING_DEFAULT_VALUE -> "Field '" + detail + "' at '" + location + "' of the " + reader
                        + " schema has no default value and the " + writer + " schema does not have it";
                case TYPE_MISMATCH -> "The " + reader + " schema cannot read the type the " + writer + " schema has at '" + location + "'";
                case NAME_MISMATCH -> "The named type at '" + location + "' has a different name in the " + reader + " and " + writer + " schemas";
                case FIXED_SIZE_MISMATCH -> "The fixed type at '" + location + "' has a different size in the " + reader + " and " + writer + " schemas";
                case MISSING_ENUM_SYMBOLS -> "The enum at '" + location + "' of the " + reader + " schema lacks symbols " + detail
                        + " of the " + writer + " schema and has no default symbol";
                case MISSING_UNION_BRANCH -> "The union at '" + location + "' of the " + reader + " schema lacks a branch of the " + writer + " schema";
                default -> "The " + reader + " schema cannot read what the " + writer + " schema has at '" + location + "'";
            };
        }

        @Override
        public String toString() {
            return "against version " + version + ": " + type + " at " + location + ": " + describe() + " (" + detail + ")";
        }
    }

    /** Whether this level checks every earlier version rather than the newest only. */
    public boolean transitive() {
        return name().endsWith("_TRANSITIVE");
    }

    /**
     * The earlier versions a candidate is checked against, newest first: none for NONE, the newest for the
     * plain levels, all of them for the transitive ones.
     *
     * @param oldestFirst the versions in the order they were registered
     */
    public <T> List<T> versionsToCheck(List<T> oldestFirst) {
        if (this == NONE || oldestFirst.isEmpty()) {
            return List.of();
        }
        List<T> newestFirst = new ArrayList<>(oldestFirst);
        Collections.reverse(newestFirst);
        return transitive() ? newestFirst : List.of(newestFirst.get(0));
    }

    /**
     * Why {@code candidate} cannot follow one earlier version under this level's direction(s), ignoring
     * whether the level is transitive. FULL reports the old-reads-new problems first, then the
     * new-reads-old ones. Empty when compatible, and always for NONE.
     */
    public List<Incompatibility> against(Schema candidate, int version, Schema earlier) {
        List<Incompatibility> found = new ArrayList<>();
        if (this == NONE) {
            return found;
        }
        boolean backward = this != FORWARD && this != FORWARD_TRANSITIVE;
        boolean forward = this != BACKWARD && this != BACKWARD_TRANSITIVE;
        if (forward) {
            collect(version, Direction.OLD_READS_NEW, SchemaCompatibility.checkReaderWriterCompatibility(earlier, candidate), found);
        }
        if (backward) {
            collect(version, Direction.NEW_READS_OLD, SchemaCompatibility.checkReaderWriterCompatibility(candidate, earlier), found);
        }
        return found;
    }

    /**
     * Why {@code candidate} cannot follow the earlier versions: the problems with the first version, newest
     * first among {@link #versionsToCheck}, that fails. Empty when compatible.
     *
     * @param earlier earlier versions by version number
     */
    public List<Incompatibility> check(Schema candidate, NavigableMap<Integer, Schema> earlier) {
        for (Map.Entry<Integer, Schema> version : versionsToCheck(List.copyOf(earlier.entrySet()))) {
            List<Incompatibility> found = against(candidate, version.getKey(), version.getValue());
            if (!found.isEmpty()) {
                return found;
            }
        }
        return List.of();
    }

    /**
     * {@link #check} for a history given oldest first and numbered from 1, each problem as text; empty
     * when compatible.
     */
    public List<String> problems(Schema candidate, List<Schema> previous) {
        NavigableMap<Integer, Schema> numbered = new TreeMap<>();
        for (int i = 0; i < previous.size(); i++) {
            numbered.put(i + 1, previous.get(i));
        }
        return check(candidate, numbered).stream().map(Incompatibility::toString).toList();
    }

    private static void collect(int version, Direction direction, SchemaCompatibility.SchemaPairCompatibility result,
            List<Incompatibility> found) {
        for (SchemaCompatibility.Incompatibility incompatibility : result.getResult().getIncompatibilities()) {
            found.add(new Incompatibility(version, direction, incompatibility.getType(), incompatibility.getLocation(),
                    incompatibility.getMessage()));
        }
    }
}
