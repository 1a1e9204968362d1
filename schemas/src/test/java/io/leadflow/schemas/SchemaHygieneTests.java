package io.leadflow.schemas;

import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The contract rules every schema follows: docs everywhere, optional means nullable with a default, enums survive new symbols. */
class SchemaHygieneTests {

    @Test
    void everyRecordFieldHasADocAndEveryOptionalFieldDefaultsToNull() {
        List<String> problems = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Topic<?> topic : Topics.all()) {
            walk(schemaOf(topic), problems, seen);
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void everyEnumHasADefaultSymbol() {
        List<String> withoutDefault = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Topic<?> topic : Topics.all()) {
            collectEnums(schemaOf(topic), withoutDefault, seen);
        }
        assertThat(withoutDefault).isEmpty();
    }

    @Test
    void everyTopicHasAUniqueNameAndADeadLetterTwin() {
        assertThat(Topics.all()).extracting(Topic::name).doesNotHaveDuplicates();
        assertThat(Topics.allNamesWithDeadLetters()).hasSize(Topics.all().size() * 2)
                .contains("leads.received.dlt", "rep.alerts.dlt");
    }

    static Schema schemaOf(Topic<?> topic) {
        return org.apache.avro.specific.SpecificData.get().getSchema(topic.valueType());
    }

    private static void walk(Schema schema, List<String> problems, Set<String> seen) {
        switch (schema.getType()) {
            case RECORD -> {
                if (!seen.add(schema.getFullName())) {
                    return;
                }
                for (Schema.Field field : schema.getFields()) {
                    String where = schema.getName() + "." + field.name();
                    if (field.doc() == null || field.doc().isBlank()) {
                        problems.add(where + " has no doc");
                    }
                    Schema type = field.schema();
                    if (type.getType() == Schema.Type.UNION && type.getTypes().get(0).getType() == Schema.Type.NULL
                            && (!field.hasDefaultValue() || field.defaultVal() != org.apache.avro.JsonProperties.NULL_VALUE)) {
                        problems.add(where + " is optional but does not default to null");
                    }
                    walk(type, problems, seen);
                }
            }
            case UNION -> schema.getTypes().forEach(t -> walk(t, problems, seen));
            case ARRAY -> walk(schema.getElementType(), problems, seen);
            case MAP -> walk(schema.getValueType(), problems, seen);
            default -> {
            }
        }
    }

    private static void collectEnums(Schema schema, List<String> withoutDefault, Set<String> seen) {
        switch (schema.getType()) {
            case ENUM -> {
                if (seen.add(schema.getFullName()) && schema.getEnumDefault() == null) {
                    withoutDefault.add(schema.getFullName());
                }
            }
            case RECORD -> {
                if (seen.add(schema.getFullName())) {
                    schema.getFields().forEach(f -> collectEnums(f.schema(), withoutDefault, seen));
                }
            }
            case UNION -> schema.getTypes().forEach(t -> collectEnums(t, withoutDefault, seen));
            case ARRAY -> collectEnums(schema.getElementType(), withoutDefault, seen);
            case MAP -> collectEnums(schema.getValueType(), withoutDefault, seen);
            default -> {
            }
        }
    }
}
