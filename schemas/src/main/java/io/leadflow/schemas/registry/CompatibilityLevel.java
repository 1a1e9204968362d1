package io.leadflow.schemas.registry;

import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;

import java.util.ArrayList;
import java.util.List;

/**
 * Confluent's compatibility levels, checked with Avro's own {@link SchemaCompatibility}. BACKWARD
 * means a reader with the new schema reads data written with the previous one.
 */
public enum CompatibilityLevel {
    NONE, BACKWARD, BACKWARD_TRANSITIVE, FORWARD, FORWARD_TRANSITIVE, FULL, FULL_TRANSITIVE;

    /**
     * Problems that stop {@code candidate} from joining {@code previous} (oldest first); empty when compatible.
     */
    public List<String> problems(Schema candidate, List<Schema> previous) {
        if (this == NONE || previous.isEmpty()) {
            return List.of();
        }
        List<Schema> against = name().endsWith("_TRANSITIVE") ? previous : List.of(previous.get(previous.size() - 1));
        List<String> problems = new ArrayList<>();
        for (Schema old : against) {
            if (this != FORWARD && this != FORWARD_TRANSITIVE) {
                describe(SchemaCompatibility.checkReaderWriterCompatibility(candidate, old), "reading old data with the new schema", problems);
            }
            if (this != BACKWARD && this != BACKWARD_TRANSITIVE) {
                describe(SchemaCompatibility.checkReaderWriterCompatibility(old, candidate), "reading new data with the old schema", problems);
            }
        }
        return problems;
    }

    private static void describe(SchemaCompatibility.SchemaPairCompatibility result, String direction, List<String> problems) {
        if (result.getType() == SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
            return;
        }
        for (SchemaCompatibility.Incompatibility incompatibility : result.getResult().getIncompatibilities()) {
            problems.add(direction + ": " + incompatibility.getType() + " at " + incompatibility.getLocation()
                    + " (" + incompatibility.getMessage() + ")");
        }
    }
}
