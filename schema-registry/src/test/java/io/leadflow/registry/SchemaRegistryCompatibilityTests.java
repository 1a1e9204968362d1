package io.leadflow.registry;

import io.leadflow.registry.RegistryHttp.Response;
import io.leadflow.testing.KafkaBrokers;
import io.leadflow.testing.WithKafkaBroker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.leadflow.registry.RegistryHttp.body;
import static io.leadflow.registry.RegistryHttp.subject;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Compatibility as Confluent Schema Registry answers it: which versions a check or a registration is
 * made against under each level, what a subject without versions answers, and the shape of the
 * incompatibility messages ({@code verbose=true} and the 409 of a refused registration).
 */
@WithKafkaBroker
class SchemaRegistryCompatibilityTests {

    /** {@code email} only. */
    private static final String EMAIL = lead("""
            {"name":"email","type":"string"}""");
    /** {@code email} and {@code company}, which has a default. */
    private static final String COMPANY_WITH_DEFAULT = lead("""
            {"name":"email","type":"string"},{"name":"company","type":"string","default":"unknown"}""");
    /** {@code email} and a required {@code company}. */
    private static final String COMPANY_REQUIRED = lead("""
            {"name":"email","type":"string"},{"name":"company","type":"string"}""");
    /** {@code email} and a required {@code region}. */
    private static final String REGION_REQUIRED = lead("""
            {"name":"email","type":"string"},{"name":"region","type":"string"}""");

    private static SchemaRegistryServer server;
    private static RegistryHttp http;

    @BeforeAll
    static void startRegistry() {
        server = SchemaRegistryServer.start(SchemaRegistryConfig.defaults(KafkaBrokers.shared().bootstrapServers())
                .withTopic("_schemas-compatibility-tests").withHost("localhost").withPort(0));
        http = new RegistryHttp(server.url());
    }

    @AfterAll
    static void stopRegistry() {
        server.close();
    }

    @Test
    void checkingAgainstLatestUnderATransitiveLevelLooksAtTheLatestVersionOnly() {
        String subject = subject();
        register(subject, COMPANY_REQUIRED);
        register(subject, EMAIL);
        http.put("/config/" + subject, "{\"compatibility\":\"FORWARD_TRANSITIVE\"}");

        // REGION_REQUIRED's data can be read by v2 (email only) but not by v1, which needs a company.
        Response latest = http.post("/compatibility/subjects/" + subject + "/versions/latest", body(REGION_REQUIRED));
        Response asRegistration = http.post("/compatibility/subjects/" + subject + "/versions", body(REGION_REQUIRED));
        Response firstVersion = http.post("/compatibility/subjects/" + subject + "/versions/1", body(REGION_REQUIRED));
        Response registered = http.post("/subjects/" + subject + "/versions", body(REGION_REQUIRED));

        assertThat(latest.json()).hasToString("{\"is_compatible\":true}");
        assertThat(asRegistration.json()).hasToString("{\"is_compatible\":false}");
        assertThat(firstVersion.json()).hasToString("{\"is_compatible\":false}");
        assertThat(registered.status()).as("a registration is checked against every version").isEqualTo(409);
        assertThat(registered.errorCode()).isEqualTo(40901);
        assertThat(registered.json().get("message").asString()).contains("{oldSchemaVersion: 1}", "compatibility: 'FORWARD_TRANSITIVE'");
        assertThat(http.get("/subjects/" + subject + "/versions").json()).hasToString("[1,2]");
    }

    @Test
    void aPlainLevelChecksARegistrationAgainstTheNewestVersionOnly() {
        String subject = subject();
        register(subject, EMAIL);
        register(subject, COMPANY_WITH_DEFAULT);

        // Reads v2's data (company is there) but not v1's (no company, and no default to fill in).
        Response backward = http.post("/subjects/" + subject + "/versions", body(COMPANY_REQUIRED));

        assertThat(backward.status()).isEqualTo(200);

        String transitive = subject();
        http.put("/config/" + transitive, "{\"compatibility\":\"BACKWARD_TRANSITIVE\"}");
        register(transitive, EMAIL);
        register(transitive, COMPANY_WITH_DEFAULT);

        Response refused = http.post("/subjects/" + transitive + "/versions", body(COMPANY_REQUIRED));

        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.json().get("message").asString()).contains("{oldSchemaVersion: 1}");
    }

    @Test
    void aSubjectWithoutVersionsIsCompatibleWithAnyValidSchema() {
        String subject = subject();

        Response latest = http.post("/compatibility/subjects/" + subject + "/versions/latest", body(COMPANY_REQUIRED));
        Response all = http.post("/compatibility/subjects/" + subject + "/versions", body(COMPANY_REQUIRED));
        Response numbered = http.post("/compatibility/subjects/" + subject + "/versions/1", body(COMPANY_REQUIRED));
        Response invalid = http.post("/compatibility/subjects/" + subject + "/versions/latest", body("{\"type\":\"record\"}"));
        Response invalidVerbose = http.post("/compatibility/subjects/" + subject + "/versions/latest?verbose=true",
                body("{\"type\":\"record\"}"));

        assertThat(latest.status()).isEqualTo(200);
        assertThat(latest.json()).hasToString("{\"is_compatible\":true}");
        assertThat(all.json()).hasToString("{\"is_compatible\":true}");
        assertThat(numbered.status()).isEqualTo(404);
        assertThat(numbered.errorCode()).isEqualTo(40402);
        assertThat(invalid.status()).isEqualTo(422);
        assertThat(invalid.errorCode()).isEqualTo(42201);
        assertThat(invalidVerbose.status()).isEqualTo(200);
        assertThat(invalidVerbose.json().get("is_compatible").asBoolean()).isFalse();
        assertThat(invalidVerbose.json().get("messages").get(0).asString()).startsWith("Invalid schema");
    }

    @Test
    void softDeletedVersionsAreNotCheckedAgainst() {
        String subject = subject();
        register(subject, EMAIL);
        register(subject, COMPANY_WITH_DEFAULT);

        assertThat(http.post("/compatibility/subjects/" + subject + "/versions/latest", body(REGION_REQUIRED)).json())
                .hasToString("{\"is_compatible\":false}");

        http.delete("/subjects/" + subject);

        assertThat(http.post("/compatibility/subjects/" + subject + "/versions/latest", body(REGION_REQUIRED)).json())
                .hasToString("{\"is_compatible\":true}");
        assertThat(http.post("/compatibility/subjects/" + subject + "/versions/2", body(REGION_REQUIRED)).errorCode()).isEqualTo(40402);
    }

    @Test
    void verboseListsEachIncompatibilityThenTheVersionTheSchemaAndTheLevel() {
        String subject = subject();
        register(subject, EMAIL);

        Response incompatible = http.post("/compatibility/subjects/" + subject + "/versions/latest?verbose=true", body(COMPANY_REQUIRED));
        Response compatible = http.post("/compatibility/subjects/" + subject + "/versions/latest?verbose=true", body(COMPANY_WITH_DEFAULT));
        Response quiet = http.post("/compatibility/subjects/" + subject + "/versions/latest", body(COMPANY_REQUIRED));

        assertThat(incompatible.json().get("is_compatible").asBoolean()).isFalse();
        List<String> messages = texts(incompatible);
        assertThat(messages).hasSize(4);
        assertThat(messages.get(0)).startsWith("{errorType:'READER_FIELD_MISSING_DEFAULT_VALUE', description:'")
                .contains("'company'").endsWith("', additionalInfo:'company'}");
        assertThat(messages.get(1)).isEqualTo("{oldSchemaVersion: 1}");
        assertThat(messages.get(2)).isEqualTo("{oldSchema: '" + canonical(EMAIL) + "'}");
        assertThat(messages.get(3)).isEqualTo("{validateFields: 'false', compatibility: 'BACKWARD'}");
        assertThat(compatible.json()).hasToString("{\"is_compatible\":true,\"messages\":[]}");
        assertThat(quiet.json().has("messages")).isFalse();
    }

    @Test
    void underFullAFailureOfTheOldReaderAloneDoesNotQuoteTheOldSchema() {
        String subject = subject();
        http.put("/config/" + subject, "{\"compatibility\":\"FULL\"}");
        register(subject, COMPANY_REQUIRED);

        // The new schema reads v1 (it ignores company); v1 cannot read the new data (no company, no default).
        List<String> oldReaderFails = texts(http.post("/compatibility/subjects/" + subject + "/versions/latest?verbose=true", body(EMAIL)));
        // Both directions fail: company's type changes from string to long.
        List<String> bothFail = texts(http.post("/compatibility/subjects/" + subject + "/versions/latest?verbose=true", body(lead("""
                {"name":"email","type":"string"},{"name":"company","type":"long"}"""))));

        assertThat(oldReaderFails).hasSize(2);
        assertThat(oldReaderFails.get(0)).startsWith("{errorType:'READER_FIELD_MISSING_DEFAULT_VALUE'");
        assertThat(oldReaderFails.get(1)).isEqualTo("{validateFields: 'false', compatibility: 'FULL'}");
        assertThat(bothFail).hasSize(5);
        assertThat(bothFail.subList(0, 2)).allSatisfy(m -> assertThat(m).startsWith("{errorType:'TYPE_MISMATCH'"));
        assertThat(bothFail.get(0)).contains("old schema cannot read");
        assertThat(bothFail.get(1)).contains("new schema cannot read");
        assertThat(bothFail.get(2)).isEqualTo("{oldSchemaVersion: 1}");
    }

    @Test
    void aRefusedRegistrationIs409With40901AndTheIncompatibilitiesAfterDetails() {
        String subject = subject();
        register(subject, EMAIL);

        Response refused = http.post("/subjects/" + subject + "/versions", body(COMPANY_REQUIRED));

        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.errorCode()).isEqualTo(40901);
        assertThat(refused.json().get("message").asString())
                .startsWith("Schema being registered is incompatible with an earlier schema for subject \"" + subject + "\", details: [")
                .contains("{errorType:'READER_FIELD_MISSING_DEFAULT_VALUE'", "additionalInfo:'company'}",
                        "{oldSchemaVersion: 1}", "{oldSchema: '" + canonical(EMAIL) + "'}")
                .endsWith("{validateFields: 'false', compatibility: 'BACKWARD'}]");
    }

    private static void register(String subject, String schema) {
        Response response = http.post("/subjects/" + subject + "/versions", body(schema));
        assertThat(response.status()).as(response.text()).isEqualTo(200);
    }

    private static List<String> texts(Response response) {
        List<String> texts = new ArrayList<>();
        response.json().get("messages").forEach(m -> texts.add(m.asString()));
        return texts;
    }

    private static String canonical(String schema) {
        return new org.apache.avro.Schema.Parser().parse(schema).toString();
    }

    private static String lead(String fields) {
        return "{\"type\":\"record\",\"name\":\"Lead\",\"namespace\":\"io.leadflow.test\",\"fields\":[" + fields + "]}";
    }
}
