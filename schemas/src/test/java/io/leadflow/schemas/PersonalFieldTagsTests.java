package io.leadflow.schemas;

import io.leadflow.avro.ErasureRequested;
import io.leadflow.avro.LeadReceived;
import io.leadflow.avro.LeadRouted;
import io.leadflow.avro.RepAlert;
import io.leadflow.schemas.serde.PersonalFields;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Personal fields are tagged as Confluent's data contracts tag them ({@code "confluent:tags": ["PII"]}), only on
 * strings, and every topic's schema that reaches one names the person by a subject path that leads to a string.
 */
class PersonalFieldTagsTests {

    @Test
    void everyTopicSchemaThatReachesAPersonalFieldNamesItsPersonByAPathToAString() {
        List<String> problems = new ArrayList<>();
        for (Topic<?> topic : Topics.all()) {
            Schema schema = SchemaHygieneTests.schemaOf(topic);
            List<String> personal = new ArrayList<>();
            tagged(schema, schema.getName(), personal, problems, new HashSet<>());
            String path = PersonalFields.subjectPath(schema);
            if (!personal.isEmpty() && path == null) {
                problems.add(topic.name() + " holds " + personal + " but names no leadflow.subject");
            }
            if (path != null && !leadsToAString(schema, path)) {
                problems.add(topic.name() + ": leadflow.subject " + path + " does not lead to a string field");
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void thePersonalFieldsAreTheOnesThePersonGaveOrWrote() {
        List<String> personal = new ArrayList<>();
        tagged(LeadRouted.getClassSchema(), "LeadRouted", personal, new ArrayList<>(), new HashSet<>());
        assertThat(personal).contains("LeadRouted.lead.contact.email", "LeadRouted.lead.contact.firstName",
                "LeadRouted.lead.contact.lastName", "LeadRouted.lead.contact.title", "LeadRouted.lead.message",
                "LeadRouted.introEmail.to", "LeadRouted.introEmail.body")
                .doesNotContain("LeadRouted.owner.email", "LeadRouted.lead.contact.companyName", "LeadRouted.leadId");
        assertThat(PersonalFields.subjectPath(LeadReceived.getClassSchema())).isEqualTo("contact.email");
        assertThat(PersonalFields.subjectPath(LeadRouted.getClassSchema())).isEqualTo("lead.contact.email");
        assertThat(PersonalFields.subjectPath(RepAlert.getClassSchema())).isEqualTo("fields[label=Contact].value");
        assertThat(PersonalFields.subjectPath(ErasureRequested.getClassSchema())).isEqualTo("email");
        assertThat(PersonalFields.tagged(ErasureRequested.getClassSchema().getField("email"))).isTrue();
    }

    private static void tagged(Schema schema, String where, List<String> personal, List<String> problems, Set<String> seen) {
        switch (schema.getType()) {
            case RECORD -> {
                if (!seen.add(schema.getFullName() + "@" + where)) {
                    return;
                }
                for (Schema.Field field : schema.getFields()) {
                    String at = where + "." + field.name();
                    if (PersonalFields.tagged(field)) {
                        personal.add(at);
                        if (!onlyStrings(field.schema())) {
                            problems.add(at + " is tagged PII but is not a string, a nullable string or an array of strings");
                        }
                    }
                    tagged(field.schema(), at, personal, problems, seen);
                }
            }
            case UNION -> schema.getTypes().forEach(t -> tagged(t, where, personal, problems, seen));
            case ARRAY -> tagged(schema.getElementType(), where + "[]", personal, problems, seen);
            case MAP -> tagged(schema.getValueType(), where + "{}", personal, problems, seen);
            default -> {
            }
        }
    }

    private static boolean onlyStrings(Schema schema) {
        return switch (schema.getType()) {
            case STRING, NULL -> true;
            case UNION -> schema.getTypes().stream().allMatch(PersonalFieldTagsTests::onlyStrings);
            case ARRAY -> onlyStrings(schema.getElementType());
            default -> false;
        };
    }

    private static boolean leadsToAString(Schema schema, String path) {
        Schema at = schema;
        for (String step : path.split("\\.")) {
            String name = step;
            String match = null;
            int open = step.indexOf('[');
            if (open > 0) {
                name = step.substring(0, open);
                match = step.substring(open + 1, step.indexOf('='));
            }
            at = nonNull(at);
            if (at.getType() != Schema.Type.RECORD || at.getField(name) == null) {
                return false;
            }
            at = nonNull(at.getField(name).schema());
            if (match != null) {
                if (at.getType() != Schema.Type.ARRAY || nonNull(at.getElementType()).getField(match) == null) {
                    return false;
                }
                at = at.getElementType();
            }
        }
        return nonNull(at).getType() == Schema.Type.STRING;
    }

    private static Schema nonNull(Schema schema) {
        if (schema.getType() != Schema.Type.UNION) {
            return schema;
        }
        List<Schema> types = schema.getTypes().stream().filter(t -> t.getType() != Schema.Type.NULL).toList();
        return types.size() == 1 ? types.get(0) : schema;
    }
}
