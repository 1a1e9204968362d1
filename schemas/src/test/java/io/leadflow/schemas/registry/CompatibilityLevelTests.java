package io.leadflow.schemas.registry;

import io.leadflow.schemas.registry.CompatibilityLevel.Direction;
import io.leadflow.schemas.registry.CompatibilityLevel.Incompatibility;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility.SchemaIncompatibilityType;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;

import static io.leadflow.schemas.registry.CompatibilityLevel.BACKWARD;
import static io.leadflow.schemas.registry.CompatibilityLevel.BACKWARD_TRANSITIVE;
import static io.leadflow.schemas.registry.CompatibilityLevel.FORWARD;
import static io.leadflow.schemas.registry.CompatibilityLevel.FORWARD_TRANSITIVE;
import static io.leadflow.schemas.registry.CompatibilityLevel.FULL;
import static io.leadflow.schemas.registry.CompatibilityLevel.FULL_TRANSITIVE;
import static io.leadflow.schemas.registry.CompatibilityLevel.NONE;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What each level accepts, as Confluent Schema Registry decides it (the plain levels look at the newest
 * earlier version only, the transitive ones at all of them) over Avro's own reader/writer rules.
 */
class CompatibilityLevelTests {

    private static final Schema EMAIL = record("""
            {"name":"email","type":"string"}""");
    private static final Schema EMAIL_COMPANY_WITH_DEFAULT = record("""
            {"name":"email","type":"string"},{"name":"company","type":"string","default":"unknown"}""");
    private static final Schema EMAIL_COMPANY_REQUIRED = record("""
            {"name":"email","type":"string"},{"name":"company","type":"string"}""");
    private static final Schema EMAIL_COMPANY_REGION_WITH_DEFAULTS = record("""
            {"name":"email","type":"string"},{"name":"company","type":"string","default":"unknown"},
            {"name":"region","type":"string","default":"EU"}""");
    private static final Schema EMAIL_RENAMED_WITH_ALIAS = record("""
            {"name":"contactEmail","type":"string","aliases":["email"]}""");
    private static final Schema EMAIL_OPTIONAL = record("""
            {"name":"email","type":["null","string"],"default":null}""");
    private static final Schema EMAIL_OPTIONAL_OR_NUMBER = record("""
            {"name":"email","type":["null","string","long"],"default":null}""");

    // ---- the levels (Confluent's rules) ------------------------------------------------------------

    @Test
    void backwardLetsTheNewSchemaReadTheNewestEarlierVersion() {
        assertThat(BACKWARD.problems(EMAIL_COMPANY_WITH_DEFAULT, List.of(EMAIL))).as("a new field with a default").isEmpty();
        assertThat(BACKWARD.problems(EMAIL_COMPANY_REQUIRED, List.of(EMAIL))).as("a new field without a default").isNotEmpty();
        assertThat(BACKWARD.problems(EMAIL_RENAMED_WITH_ALIAS, List.of(EMAIL))).as("a rename that keeps the old name as alias").isEmpty();
        assertThat(BACKWARD.problems(EMAIL_OPTIONAL, List.of(EMAIL))).as("a type widened to a union holding it").isEmpty();
        assertThat(BACKWARD.problems(EMAIL, List.of(EMAIL_OPTIONAL))).as("a union narrowed to one branch").isNotEmpty();
        assertThat(BACKWARD.problems(EMAIL_OPTIONAL_OR_NUMBER, List.of(EMAIL_OPTIONAL))).as("a union branch added").isEmpty();
        assertThat(BACKWARD.problems(EMAIL_OPTIONAL, List.of(EMAIL_OPTIONAL_OR_NUMBER))).as("a union branch removed").isNotEmpty();
        assertThat(BACKWARD.problems(EMAIL_COMPANY_REQUIRED, List.of(EMAIL, EMAIL_COMPANY_WITH_DEFAULT)))
                .as("only the newest earlier version counts").isEmpty();
    }

    @Test
    void backwardTransitiveLetsTheNewSchemaReadEveryEarlierVersion() {
        assertThat(BACKWARD_TRANSITIVE.problems(EMAIL_COMPANY_REGION_WITH_DEFAULTS, List.of(EMAIL, EMAIL_COMPANY_WITH_DEFAULT))).isEmpty();
        assertThat(BACKWARD_TRANSITIVE.problems(EMAIL_COMPANY_REQUIRED, List.of(EMAIL_COMPANY_WITH_DEFAULT))).isEmpty();
        assertThat(BACKWARD_TRANSITIVE.problems(EMAIL_COMPANY_REQUIRED, List.of(EMAIL, EMAIL_COMPANY_WITH_DEFAULT)))
                .as("dropping the default breaks reading the first version").isNotEmpty();
    }

    @Test
    void forwardLetsTheNewestEarlierVersionReadTheNewSchemasData() {
        assertThat(FORWARD.problems(EMAIL_COMPANY_WITH_DEFAULT, List.of(EMAIL))).isEmpty();
        assertThat(FORWARD.problems(EMAIL_COMPANY_REQUIRED, List.of(EMAIL))).as("old readers ignore new fields").isEmpty();
        assertThat(FORWARD.problems(EMAIL_COMPANY_REQUIRED, List.of(EMAIL_COMPANY_WITH_DEFAULT))).isEmpty();
        assertThat(FORWARD.problems(EMAIL_COMPANY_WITH_DEFAULT, List.of(EMAIL_COMPANY_REQUIRED))).isEmpty();
        assertThat(FORWARD.problems(EMAIL, List.of(EMAIL_COMPANY_REQUIRED, EMAIL_COMPANY_WITH_DEFAULT)))
                .as("only the newest earlier version counts").isEmpty();
    }

    @Test
    void forwardTransitiveLetsEveryEarlierVersionReadTheNewSchemasData() {
        assertThat(FORWARD_TRANSITIVE.problems(EMAIL, List.of(EMAIL_COMPANY_REGION_WITH_DEFAULTS, EMAIL_COMPANY_WITH_DEFAULT))).isEmpty();
        assertThat(FORWARD_TRANSITIVE.problems(EMAIL_COMPANY_WITH_DEFAULT, List.of(EMAIL_COMPANY_REQUIRED))).isEmpty();
        assertThat(FORWARD_TRANSITIVE.problems(EMAIL, List.of(EMAIL_COMPANY_WITH_DEFAULT))).isEmpty();
        assertThat(FORWARD_TRANSITIVE.problems(EMAIL, List.of(EMAIL_COMPANY_REQUIRED, EMAIL_COMPANY_WITH_DEFAULT)))
                .as("the first version cannot read data without its required field").isNotEmpty();
    }

    @Test
    void fullNeedsBothDirectionsWithTheNewestEarlierVersionOnly() {
        assertThat(FULL.problems(EMAIL_COMPANY_WITH_DEFAULT, List.of(EMAIL))).isEmpty();
        assertThat(FULL.problems(EMAIL_COMPANY_REQUIRED, List.of(EMAIL, EMAIL_COMPANY_WITH_DEFAULT))).isEmpty();
        assertThat(FULL.problems(EMAIL, List.of(EMAIL_COMPANY_REQUIRED, EMAIL_COMPANY_WITH_DEFAULT))).isEmpty();
        assertThat(FULL.problems(EMAIL_COMPANY_REQUIRED, List.of(EMAIL))).as("the new schema cannot read old data").isNotEmpty();
        assertThat(FULL.problems(EMAIL, List.of(EMAIL_COMPANY_REQUIRED))).as("the old schema cannot read new data").isNotEmpty();
    }

    @Test
    void fullTransitiveNeedsBothDirectionsWithEveryEarlierVersion() {
        assertThat(FULL_TRANSITIVE.problems(EMAIL_COMPANY_REGION_WITH_DEFAULTS, List.of(EMAIL, EMAIL_COMPANY_WITH_DEFAULT))).isEmpty();
        assertThat(FULL_TRANSITIVE.problems(EMAIL, List.of(EMAIL_COMPANY_REGION_WITH_DEFAULTS, EMAIL_COMPANY_WITH_DEFAULT))).isEmpty();
        assertThat(FULL_TRANSITIVE.problems(EMAIL_COMPANY_WITH_DEFAULT, List.of(EMAIL_COMPANY_REQUIRED))).isEmpty();
        assertThat(FULL_TRANSITIVE.problems(EMAIL_COMPANY_REQUIRED, List.of(EMAIL_COMPANY_WITH_DEFAULT))).isEmpty();
        assertThat(FULL_TRANSITIVE.problems(EMAIL_COMPANY_REQUIRED, List.of(EMAIL, EMAIL_COMPANY_WITH_DEFAULT))).isNotEmpty();
        assertThat(FULL_TRANSITIVE.problems(EMAIL, List.of(EMAIL_COMPANY_REQUIRED, EMAIL_COMPANY_WITH_DEFAULT))).isNotEmpty();
    }

    @Test
    void noneAcceptsAnything() {
        assertThat(NONE.problems(EMAIL_COMPANY_REQUIRED, List.of(EMAIL))).isEmpty();
        assertThat(NONE.versionsToCheck(List.of(1, 2, 3))).isEmpty();
    }

    @Test
    void plainLevelsCheckTheNewestVersionAndTransitiveOnesAllNewestFirst() {
        assertThat(BACKWARD.versionsToCheck(List.of(1, 2, 3))).containsExactly(3);
        assertThat(FULL.versionsToCheck(List.of(1, 2, 3))).containsExactly(3);
        assertThat(FORWARD_TRANSITIVE.versionsToCheck(List.of(1, 2, 3))).containsExactly(3, 2, 1);
        assertThat(BACKWARD.versionsToCheck(List.of())).isEmpty();
    }

    @Test
    void aTransitiveCheckReportsTheNewestVersionThatFailsAndNoOther() {
        Schema emailAsNumber = record("""
                {"name":"email","type":"long"}""");
        NavigableMap<Integer, Schema> history = new TreeMap<>();
        history.put(1, EMAIL);
        history.put(4, EMAIL_COMPANY_WITH_DEFAULT);

        List<Incompatibility> found = BACKWARD_TRANSITIVE.check(emailAsNumber, history);

        assertThat(found).isNotEmpty().allSatisfy(problem -> assertThat(problem.version()).isEqualTo(4));
    }

    @Test
    void fullReportsTheOldReaderFirstThenTheNewReader() {
        Schema emailAsNumber = record("""
                {"name":"email","type":"long"}""");

        List<Incompatibility> found = FULL.against(emailAsNumber, 1, EMAIL);

        assertThat(found).extracting(Incompatibility::direction).containsExactly(Direction.OLD_READS_NEW, Direction.NEW_READS_OLD);
        assertThat(found.get(0).describe()).contains("old schema cannot read", "new schema");
    }

    // ---- Avro's reader/writer rules, as the levels see them -----------------------------------------

    @Test
    void aNewFieldWithoutDefaultIsNamedWithItsLocation() {
        List<Incompatibility> found = BACKWARD.against(EMAIL_COMPANY_REQUIRED, 1, EMAIL);

        assertThat(found).singleElement().satisfies(problem -> {
            assertThat(problem.type()).isEqualTo(SchemaIncompatibilityType.READER_FIELD_MISSING_DEFAULT_VALUE);
            assertThat(problem.detail()).isEqualTo("company");
            assertThat(problem.location()).isEqualTo("/fields/1");
            assertThat(problem.direction()).isEqualTo(Direction.NEW_READS_OLD);
            assertThat(problem.describe()).contains("'company'", "new schema", "old schema");
        });
    }

    @Test
    void numbersMayWidenButNotNarrow() {
        for (String[] widening : new String[][] {{"int", "long"}, {"int", "float"}, {"int", "double"}, {"long", "float"},
                {"long", "double"}, {"float", "double"}, {"string", "bytes"}, {"bytes", "string"}}) {
            assertThat(BACKWARD.against(single(widening[1]), 1, single(widening[0]))).as(widening[0] + " read as " + widening[1]).isEmpty();
        }

        assertThat(BACKWARD.against(single("int"), 1, single("long"))).singleElement().satisfies(problem -> {
            assertThat(problem.type()).isEqualTo(SchemaIncompatibilityType.TYPE_MISMATCH);
            assertThat(problem.detail()).isEqualTo("reader type: INT not compatible with writer type: LONG");
            assertThat(problem.location()).isEqualTo("/fields/0/type");
        });
        assertThat(BACKWARD.against(single("double"), 1, single("float"))).isEmpty();
        assertThat(BACKWARD.against(single("float"), 1, single("double"))).isNotEmpty();
    }

    @Test
    void aRequiredFieldCannotReadAnOptionalOne() {
        assertThat(BACKWARD.against(EMAIL, 1, EMAIL_OPTIONAL)).singleElement().satisfies(problem -> {
            assertThat(problem.type()).isEqualTo(SchemaIncompatibilityType.TYPE_MISMATCH);
            assertThat(problem.detail()).isEqualTo("reader type: STRING not compatible with writer type: NULL");
            assertThat(problem.location()).isEqualTo("/fields/0/type/0");
        });
    }

    @Test
    void aUnionMustKeepEveryBranchTheWriterHad() {
        assertThat(BACKWARD.against(EMAIL_OPTIONAL, 1, EMAIL_OPTIONAL_OR_NUMBER)).singleElement().satisfies(problem -> {
            assertThat(problem.type()).isEqualTo(SchemaIncompatibilityType.MISSING_UNION_BRANCH);
            assertThat(problem.location()).isEqualTo("/fields/0/type/2");
        });
    }

    @Test
    void anEnumThatLosesASymbolNeedsADefault() {
        Schema withTrial = enumField("\"SELF_SERVE\",\"HANDS_ON\",\"TRIAL\"", null);
        Schema withoutTrial = enumField("\"SELF_SERVE\",\"HANDS_ON\"", null);
        Schema withoutTrialWithDefault = enumField("\"SELF_SERVE\",\"HANDS_ON\"", "SELF_SERVE");

        assertThat(BACKWARD.against(withTrial, 1, withoutTrial)).as("a symbol added").isEmpty();
        assertThat(BACKWARD.against(withoutTrial, 1, withTrial)).singleElement().satisfies(problem -> {
            assertThat(problem.type()).isEqualTo(SchemaIncompatibilityType.MISSING_ENUM_SYMBOLS);
            assertThat(problem.detail()).isEqualTo("[TRIAL]");
            assertThat(problem.location()).isEqualTo("/fields/0/type/symbols");
        });
        assertThat(BACKWARD.against(withoutTrialWithDefault, 1, withTrial)).as("unknown symbols read as the default").isEmpty();
    }

    @Test
    void aFixedTypeKeepsItsSize() {
        Schema four = new Schema.Parser().parse("""
                {"type":"record","name":"Hash","fields":[{"name":"value","type":{"type":"fixed","name":"Digest","size":4}}]}""");
        Schema eight = new Schema.Parser().parse("""
                {"type":"record","name":"Hash","fields":[{"name":"value","type":{"type":"fixed","name":"Digest","size":8}}]}""");

        assertThat(BACKWARD.against(eight, 1, four)).singleElement().satisfies(problem -> {
            assertThat(problem.type()).isEqualTo(SchemaIncompatibilityType.FIXED_SIZE_MISMATCH);
            assertThat(problem.detail()).isEqualTo("expected: 4, found: 8");
            assertThat(problem.location()).isEqualTo("/fields/0/type/size");
        });
    }

    @Test
    void aRenamedRecordNeedsTheOldNameAsAlias() {
        Schema renamed = new Schema.Parser().parse("""
                {"type":"record","name":"Prospect","namespace":"io.leadflow.test","fields":[{"name":"email","type":"string"}]}""");
        Schema renamedWithAlias = new Schema.Parser().parse("""
                {"type":"record","name":"Prospect","namespace":"io.leadflow.test","aliases":["Lead"],
                 "fields":[{"name":"email","type":"string"}]}""");

        assertThat(BACKWARD.against(renamed, 1, EMAIL)).singleElement().satisfies(problem -> {
            assertThat(problem.type()).isEqualTo(SchemaIncompatibilityType.NAME_MISMATCH);
            assertThat(problem.detail()).isEqualTo("expected: io.leadflow.test.Lead");
            assertThat(problem.location()).isEqualTo("/name");
        });
        assertThat(BACKWARD.against(renamedWithAlias, 1, EMAIL)).isEmpty();
    }

    @Test
    void aRemovedFieldIsIgnoredByTheNewReader() {
        assertThat(BACKWARD.against(EMAIL, 1, EMAIL_COMPANY_REQUIRED)).isEmpty();
    }

    private static Schema record(String fields) {
        return new Schema.Parser().parse("{\"type\":\"record\",\"name\":\"Lead\",\"namespace\":\"io.leadflow.test\",\"fields\":[" + fields + "]}");
    }

    private static Schema single(String type) {
        return record("{\"name\":\"value\",\"type\":\"" + type + "\"}");
    }

    private static Schema enumField(String symbols, String defaultSymbol) {
        String type = "{\"type\":\"enum\",\"name\":\"Pipeline\",\"symbols\":[" + symbols + "]"
                + (defaultSymbol == null ? "" : ",\"default\":\"" + defaultSymbol + "\"") + "}";
        return record("{\"name\":\"pipeline\",\"type\":" + type + "}");
    }
}
