package io.leadflow.registry;

import io.leadflow.registry.RegistryHttp.Response;
import io.leadflow.schemas.registry.RegisteredSchema;
import io.leadflow.schemas.registry.RestSchemaRegistryClient;
import io.leadflow.schemas.registry.SchemaRegistryException;
import io.leadflow.testing.KafkaBrokers;
import io.leadflow.testing.WithKafkaBroker;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static io.leadflow.registry.RegistryHttp.PROBE_NO_DEFAULT;
import static io.leadflow.registry.RegistryHttp.PROBE_V1;
import static io.leadflow.registry.RegistryHttp.PROBE_V2;
import static io.leadflow.registry.RegistryHttp.body;
import static io.leadflow.registry.RegistryHttp.subject;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@WithKafkaBroker
class SchemaRegistryApiTests {

    private static SchemaRegistryServer server;
    private static RegistryHttp http;

    @BeforeAll
    static void startRegistry() {
        server = SchemaRegistryServer.start(SchemaRegistryConfig.defaults(KafkaBrokers.shared().bootstrapServers())
                .withTopic("_schemas-api-tests").withHost("localhost").withPort(0));
        http = new RegistryHttp(server.url());
    }

    @AfterAll
    static void stopRegistry() {
        server.close();
    }

    @Test
    void registeringTheSameSchemaAgainGivesTheSameIdAndNewSchemasGetNewIds() {
        String subject = subject();

        Response first = http.post("/subjects/" + subject + "/versions", body(PROBE_V1));
        Response again = http.post("/subjects/" + subject + "/versions", body(PROBE_V1.replace("\n", " ")));
        Response elsewhere = http.post("/subjects/" + subject() + "/versions", body(PROBE_V1));
        Response second = http.post("/subjects/" + subject + "/versions", body(PROBE_V2));

        assertThat(first.status()).isEqualTo(200);
        assertThat(first.contentType()).isEqualTo(RegistryHttp.V1);
        int id = first.json().get("id").asInt();
        assertThat(again.json().get("id").asInt()).isEqualTo(id);
        assertThat(elsewhere.json().get("id").asInt()).as("ids are global").isEqualTo(id);
        assertThat(second.json().get("id").asInt()).isNotEqualTo(id);
        assertThat(http.get("/subjects/" + subject + "/versions").json()).hasToString("[1,2]");
    }

    @Test
    void concurrentRegistrationsOfOneNewSchemaAgreeOnOneIdAndOneVersion() throws Exception {
        String subject = subject();
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<Response>> calls = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                calls.add(pool.submit(() -> http.post("/subjects/" + subject + "/versions", body(PROBE_V1))));
            }

            Set<Integer> ids = new HashSet<>();
            for (Future<Response> call : calls) {
                ids.add(call.get(30, TimeUnit.SECONDS).json().get("id").asInt());
            }

            assertThat(ids).hasSize(1);
            assertThat(http.get("/subjects/" + subject + "/versions").json()).hasToString("[1]");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void looksUpARegisteredSchemaUnderItsSubject() {
        String subject = subject();
        int id = http.post("/subjects/" + subject + "/versions", body(PROBE_V1)).json().get("id").asInt();

        Response found = http.post("/subjects/" + subject, body(PROBE_V1));

        assertThat(found.status()).isEqualTo(200);
        assertThat(found.json().get("subject").asString()).isEqualTo(subject);
        assertThat(found.json().get("id").asInt()).isEqualTo(id);
        assertThat(found.json().get("version").asInt()).isEqualTo(1);
        assertThat(new Schema.Parser().parse(found.json().get("schema").asString())).isEqualTo(new Schema.Parser().parse(PROBE_V1));
    }

    @Test
    void theTagsOfPersonalFieldsAndTheSubjectPathAreStoredAndAnsweredWithTheSchema() {
        String subject = subject();
        Schema decision = io.leadflow.avro.LeadRouted.getClassSchema();
        for (boolean normalize : new boolean[] {false, true}) {
            int id = http.post("/subjects/" + subject + "/versions" + (normalize ? "?normalize=true" : ""), body(decision.toString()))
                    .json().get("id").asInt();

            Schema answered = new Schema.Parser().parse(http.get("/schemas/ids/" + id).json().get("schema").asString());

            assertThat(io.leadflow.schemas.serde.PersonalFields.subjectPath(answered)).isEqualTo("lead.contact.email");
            Schema contact = answered.getField("lead").schema().getField("contact").schema();
            assertThat(io.leadflow.schemas.serde.PersonalFields.tagged(contact.getField("email"))).isTrue();
            assertThat(io.leadflow.schemas.serde.PersonalFields.tagged(contact.getField("companyName"))).isFalse();
        }
    }

    @Test
    void lookUpAnswers40401ForAnUnknownSubjectAnd40403ForAnUnknownSchema() {
        String subject = subject();
        http.post("/subjects/" + subject + "/versions", body(PROBE_V1));

        Response noSubject = http.post("/subjects/" + subject(), body(PROBE_V1));
        Response noSchema = http.post("/subjects/" + subject, body(PROBE_V2));

        assertThat(noSubject.status()).isEqualTo(404);
        assertThat(noSubject.errorCode()).isEqualTo(40401);
        assertThat(noSubject.json().get("message").asString()).contains("not found");
        assertThat(noSchema.status()).isEqualTo(404);
        assertThat(noSchema.errorCode()).isEqualTo(40403);
    }

    @Test
    void fetchesASchemaByIdWithTheSubjectsAndVersionsThatUseIt() {
        String subject = subject();
        int id = http.post("/subjects/" + subject + "/versions", body(PROBE_V1)).json().get("id").asInt();

        Response byId = http.get("/schemas/ids/" + id);
        Response uses = http.get("/schemas/ids/" + id + "/versions");
        Response unknown = http.get("/schemas/ids/987654");

        assertThat(byId.status()).isEqualTo(200);
        assertThat(new Schema.Parser().parse(byId.json().get("schema").asString())).isEqualTo(new Schema.Parser().parse(PROBE_V1));
        assertThat(byId.json().has("schemaType")).as("Avro leaves schemaType out, as Confluent").isFalse();
        assertThat(uses.json().toString()).contains("{\"subject\":\"" + subject + "\",\"version\":1}");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.errorCode()).isEqualTo(40403);
    }

    @Test
    void listsSubjectsAndTheirVersions() {
        String subject = subject();
        http.post("/subjects/" + subject + "/versions", body(PROBE_V1));
        http.post("/subjects/" + subject + "/versions", body(PROBE_V2));

        assertThat(http.get("/subjects").json()).extracting(n -> n.asString()).contains(subject);
        assertThat(http.get("/subjects/" + subject + "/versions").json()).hasToString("[1,2]");
        Response unknown = http.get("/subjects/" + subject() + "/versions");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.errorCode()).isEqualTo(40401);
    }

    @Test
    void fetchesAVersionByNumberOrLatestAndItsRawSchema() {
        String subject = subject();
        int v1 = http.post("/subjects/" + subject + "/versions", body(PROBE_V1)).json().get("id").asInt();
        int v2 = http.post("/subjects/" + subject + "/versions", body(PROBE_V2)).json().get("id").asInt();

        Response first = http.get("/subjects/" + subject + "/versions/1");
        Response latest = http.get("/subjects/" + subject + "/versions/latest");
        Response raw = http.get("/subjects/" + subject + "/versions/2/schema");

        assertThat(first.json().get("version").asInt()).isEqualTo(1);
        assertThat(first.json().get("id").asInt()).isEqualTo(v1);
        assertThat(first.json().get("subject").asString()).isEqualTo(subject);
        assertThat(latest.json().get("version").asInt()).isEqualTo(2);
        assertThat(latest.json().get("id").asInt()).isEqualTo(v2);
        assertThat(new Schema.Parser().parse(raw.text())).isEqualTo(new Schema.Parser().parse(PROBE_V2));
    }

    @Test
    void versionErrorsAre40401And40402And42202() {
        String subject = subject();
        http.post("/subjects/" + subject + "/versions", body(PROBE_V1));

        Response noSubject = http.get("/subjects/" + subject() + "/versions/1");
        Response noVersion = http.get("/subjects/" + subject + "/versions/9");
        Response word = http.get("/subjects/" + subject + "/versions/first");
        Response zero = http.get("/subjects/" + subject + "/versions/0");

        assertThat(noSubject.status()).isEqualTo(404);
        assertThat(noSubject.errorCode()).isEqualTo(40401);
        assertThat(noVersion.status()).isEqualTo(404);
        assertThat(noVersion.errorCode()).isEqualTo(40402);
        assertThat(List.of(word, zero)).allSatisfy(r -> {
            assertThat(r.status()).isEqualTo(422);
            assertThat(r.errorCode()).isEqualTo(42202);
        });
    }

    @Test
    void rejectsABackwardIncompatibleSchemaWith409() {
        String subject = subject();
        http.post("/subjects/" + subject + "/versions", body(PROBE_V1));

        Response rejected = http.post("/subjects/" + subject + "/versions", body(PROBE_NO_DEFAULT));

        assertThat(rejected.status()).isEqualTo(409);
        assertThat(rejected.errorCode()).isEqualTo(40901);
        assertThat(rejected.json().get("message").asString()).contains("incompatible", subject, "score");
        assertThat(http.get("/subjects/" + subject + "/versions").json()).hasToString("[1]");
    }

    @Test
    void checksCompatibilityAgainstLatestOrAVersionAndExplainsWhenVerbose() {
        String subject = subject();
        http.post("/subjects/" + subject + "/versions", body(PROBE_V1));

        Response compatible = http.post("/compatibility/subjects/" + subject + "/versions/latest", body(PROBE_V2));
        Response incompatible = http.post("/compatibility/subjects/" + subject + "/versions/1?verbose=true", body(PROBE_NO_DEFAULT));

        assertThat(compatible.status()).isEqualTo(200);
        assertThat(compatible.json()).hasToString("{\"is_compatible\":true}");
        assertThat(incompatible.json().get("is_compatible").asBoolean()).isFalse();
        assertThat(incompatible.json().get("messages").toString()).contains("READER_FIELD_MISSING_DEFAULT_VALUE", "score");
    }

    @Test
    void compatibilityErrorsAre40402And42202() {
        String subject = subject();
        http.post("/subjects/" + subject + "/versions", body(PROBE_V1));

        assertThat(http.post("/compatibility/subjects/" + subject() + "/versions/3", body(PROBE_V2)).errorCode()).isEqualTo(40402);
        assertThat(http.post("/compatibility/subjects/" + subject + "/versions/7", body(PROBE_V2)).errorCode()).isEqualTo(40402);
        assertThat(http.post("/compatibility/subjects/" + subject + "/versions/-5", body(PROBE_V2)).errorCode()).isEqualTo(42202);
        assertThat(http.post("/compatibility/subjects/" + subject + "/versions/-5", body("not a schema")).errorCode())
                .as("the version is checked before the schema").isEqualTo(42202);
        assertThat(http.post("/compatibility/subjects/" + subject + "/versions/7", body("not a schema")).errorCode()).isEqualTo(40402);
    }

    @Test
    void rejectsInvalidSchemasOtherSchemaTypesAndReferencesWith42201() throws Exception {
        String subject = subject();

        Response notAvro = http.post("/subjects/" + subject + "/versions", body("{\"type\":\"record\",\"name\":\"Broken\"}"));
        Response notJson = http.post("/subjects/" + subject + "/versions", body("not a schema"));
        Response badDefault = http.post("/subjects/" + subject + "/versions",
                body("{\"type\":\"record\",\"name\":\"D\",\"fields\":[{\"name\":\"n\",\"type\":\"int\",\"default\":\"x\"}]}"));
        Response protobuf = http.post("/subjects/" + subject + "/versions",
                "{\"schemaType\":\"PROTOBUF\",\"schema\":\"syntax = \\\"proto3\\\"; message M {}\"}");
        Response references = http.post("/subjects/" + subject + "/versions", RegistryHttp.JSON.createObjectNode()
                .put("schema", PROBE_V1).set("references", RegistryHttp.JSON.readTree("[{\"name\":\"x\",\"subject\":\"y\",\"version\":1}]")).toString());

        assertThat(List.of(notAvro, notJson, badDefault, protobuf, references)).allSatisfy(r -> {
            assertThat(r.status()).isEqualTo(422);
            assertThat(r.errorCode()).isEqualTo(42201);
        });
        assertThat(protobuf.json().get("message").asString()).contains("PROTOBUF", "only AVRO");
        assertThat(references.json().get("message").asString()).contains("references are not supported");
        assertThat(http.get("/subjects/" + subject + "/versions").errorCode()).isEqualTo(40401);
    }

    @Test
    void acceptsExplicitAvroSchemaTypeAndPlainJsonOrOctetStreamBodies() {
        String subject = subject();

        Response typed = http.send("POST", "/subjects/" + subject + "/versions",
                RegistryHttp.JSON.createObjectNode().put("schemaType", "AVRO").put("schema", PROBE_V1).toString(), "application/json");
        Response octets = http.send("POST", "/subjects/" + subject, body(PROBE_V1), "application/octet-stream");
        Response text = http.send("POST", "/subjects/" + subject, body(PROBE_V1), "text/plain");

        assertThat(typed.status()).isEqualTo(200);
        assertThat(octets.status()).isEqualTo(200);
        assertThat(octets.json().get("id").asInt()).isEqualTo(typed.json().get("id").asInt());
        assertThat(text.status()).isEqualTo(415);
    }

    @Test
    void subjectConfigOverridesTheGlobalLevel() {
        String subject = subject();
        http.post("/subjects/" + subject + "/versions", body(PROBE_V1));

        Response put = http.put("/config/" + subject, "{\"compatibility\":\"NONE\"}");
        Response registered = http.post("/subjects/" + subject + "/versions", body(PROBE_NO_DEFAULT));

        assertThat(put.json()).hasToString("{\"compatibility\":\"NONE\"}");
        assertThat(http.get("/config/" + subject).json()).hasToString("{\"compatibilityLevel\":\"NONE\"}");
        assertThat(registered.status()).isEqualTo(200);
        assertThat(http.get("/subjects/" + subject + "/versions").json()).hasToString("[1,2]");
    }

    @Test
    void aSubjectWithoutItsOwnConfigAnswers40408UnlessDefaultToGlobal() {
        String subject = subject();

        Response own = http.get("/config/" + subject);
        Response inherited = http.get("/config/" + subject + "?defaultToGlobal=true");

        assertThat(own.status()).isEqualTo(404);
        assertThat(own.errorCode()).isEqualTo(40408);
        assertThat(inherited.json()).hasToString("{\"compatibilityLevel\":\"BACKWARD\"}");
    }

    @Test
    void globalConfigDefaultsToBackwardAndCanBeChanged() {
        assertThat(http.get("/config").json()).hasToString("{\"compatibilityLevel\":\"BACKWARD\"}");
        try {
            Response put = http.put("/config", "{\"compatibility\":\"full_transitive\"}");

            assertThat(put.json()).hasToString("{\"compatibility\":\"FULL_TRANSITIVE\"}");
            assertThat(http.get("/config").json()).hasToString("{\"compatibilityLevel\":\"FULL_TRANSITIVE\"}");
        } finally {
            http.delete("/config");
        }
        assertThat(http.get("/config").json()).hasToString("{\"compatibilityLevel\":\"BACKWARD\"}");
    }

    @Test
    void anUnknownCompatibilityLevelIs42203() {
        Response global = http.put("/config", "{\"compatibility\":\"SIDEWAYS\"}");
        Response subject = http.put("/config/" + subject(), "{}");

        assertThat(List.of(global, subject)).allSatisfy(r -> {
            assertThat(r.status()).isEqualTo(422);
            assertThat(r.errorCode()).isEqualTo(42203);
        });
        assertThat(http.get("/config").json().get("compatibilityLevel").asString()).isEqualTo("BACKWARD");
    }

    @Test
    void softDeleteHidesASubjectAndPermanentDeleteRemovesIt() {
        String subject = subject();
        int id = http.post("/subjects/" + subject + "/versions", body(PROBE_V1)).json().get("id").asInt();
        http.post("/subjects/" + subject + "/versions", body(PROBE_V2));

        Response soft = http.delete("/subjects/" + subject);

        assertThat(soft.json()).hasToString("[1,2]");
        assertThat(http.get("/subjects").json()).extracting(n -> n.asString()).doesNotContain(subject);
        assertThat(http.get("/subjects?deleted=true").json()).extracting(n -> n.asString()).contains(subject);
        assertThat(http.get("/subjects/" + subject + "/versions").errorCode()).isEqualTo(40401);
        assertThat(http.get("/subjects/" + subject + "/versions/1?deleted=true").json().get("id").asInt()).isEqualTo(id);
        assertThat(http.get("/schemas/ids/" + id).status()).as("ids stay readable after a soft delete").isEqualTo(200);
        assertThat(http.delete("/subjects/" + subject).errorCode()).isEqualTo(40404);

        Response hard = http.delete("/subjects/" + subject + "?permanent=true");

        assertThat(hard.json()).hasToString("[1,2]");
        assertThat(http.get("/subjects?deleted=true").json()).extracting(n -> n.asString()).doesNotContain(subject);
        assertThat(http.delete("/subjects/" + subject).errorCode()).isEqualTo(40401);
    }

    @Test
    void permanentDeleteNeedsASoftDeleteFirstAndReRegisteringContinuesTheVersions() {
        String subject = subject();
        int id = http.post("/subjects/" + subject + "/versions", body(PROBE_V1)).json().get("id").asInt();

        Response tooSoon = http.delete("/subjects/" + subject + "?permanent=true");
        http.delete("/subjects/" + subject);
        Response again = http.post("/subjects/" + subject + "/versions", body(PROBE_V1));

        assertThat(tooSoon.status()).isEqualTo(404);
        assertThat(tooSoon.errorCode()).isEqualTo(40405);
        assertThat(again.json().get("id").asInt()).isEqualTo(id);
        assertThat(http.get("/subjects/" + subject + "/versions").json()).hasToString("[2]");
    }

    @Test
    void deletesASingleVersion() {
        String subject = subject();
        http.post("/subjects/" + subject + "/versions", body(PROBE_V1));
        http.post("/subjects/" + subject + "/versions", body(PROBE_V2));

        Response deleted = http.delete("/subjects/" + subject + "/versions/latest");

        assertThat(deleted.json().asInt()).isEqualTo(2);
        assertThat(http.get("/subjects/" + subject + "/versions").json()).hasToString("[1]");
        assertThat(http.delete("/subjects/" + subject + "/versions/2").errorCode()).isEqualTo(40406);
        assertThat(http.delete("/subjects/" + subject + "/versions/1?permanent=true").errorCode()).isEqualTo(40407);
        assertThat(http.delete("/subjects/" + subject + "/versions/2?permanent=true").json().asInt()).isEqualTo(2);
        assertThat(http.get("/subjects/" + subject + "/versions?deleted=true").json()).hasToString("[1]");
    }

    @Test
    void unknownPathsAndMethodsAnswerInConfluentsErrorShape() {
        Response path = http.get("/nowhere");
        Response method = http.put("/subjects/x/versions", body(PROBE_V1));
        Response malformed = http.post("/subjects/" + subject() + "/versions", "{\"schema\": ");

        assertThat(path.status()).isEqualTo(404);
        assertThat(path.errorCode()).isEqualTo(404);
        assertThat(method.status()).isEqualTo(405);
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.json().get("message").asString()).contains("Malformed JSON");
    }

    @Test
    void subjectsWithControlCharactersOrReservedNamesAre42208() {
        Response controls = http.post("/subjects/%0Dbad%0Asubject%09/versions", body(PROBE_V1));
        Response delete = http.post("/subjects/probe%7F-value/versions", body(PROBE_V1));
        Response global = http.post("/subjects/__GLOBAL/versions", body(PROBE_V1));
        Response empty = http.post("/subjects/__EMPTY/versions", body(PROBE_V1));
        Response config = http.put("/config/bad%00subject", "{\"compatibility\":\"NONE\"}");

        assertThat(List.of(controls, delete, global, empty, config)).allSatisfy(r -> {
            assertThat(r.status()).isEqualTo(422);
            assertThat(r.errorCode()).isEqualTo(42208);
        });
        assertThat(controls.json().get("message").asString()).contains("\rbad\nsubject\t", "not valid");
        assertThat(http.get("/subjects?deleted=true").json()).extracting(n -> n.asString())
                .noneMatch(s -> s.chars().anyMatch(Character::isISOControl)).doesNotContain("__GLOBAL", "__EMPTY");
        assertThat(http.get("/config/bad%00subject").errorCode()).isEqualTo(40408);
    }

    @Test
    void normalizeStoresPropertiesAndAliasesSortedAndSharesIdsAcrossSubjects() {
        String oneOrder = ORDERED.formatted("\"team\":\"sales\",\"owner\":{\"z\":1,\"a\":2}", "\"old_id\",\"legacy_id\"");
        String otherOrder = ORDERED.formatted("\"owner\":{\"a\":2,\"z\":1},\"team\":\"sales\"", "\"legacy_id\",\"old_id\"");
        String first = subject();
        String second = subject();
        String plain = subject();

        int id = http.post("/subjects/" + first + "/versions?normalize=true", body(oneOrder)).json().get("id").asInt();
        Response sameInAnotherSubject = http.post("/subjects/" + second + "/versions?normalize=true", body(otherOrder));
        Response notNormalized = http.post("/subjects/" + plain + "/versions", body(oneOrder));
        String stored = http.get("/subjects/" + first + "/versions/1").json().get("schema").asString();

        assertThat(sameInAnotherSubject.json().get("id").asInt()).isEqualTo(id);
        assertThat(notNormalized.json().get("id").asInt()).as("without normalize the text as sent decides the id").isNotEqualTo(id);
        assertThat(stored).contains("\"owner\":{\"a\":2,\"z\":1},\"team\":\"sales\"", "\"aliases\":[\"legacy_id\",\"old_id\"]",
                "\"doc\":\"The probe's id.\"");
        assertThat(http.post("/subjects/" + first + "?normalize=true", body(otherOrder)).json().get("id").asInt()).isEqualTo(id);
    }

    @Test
    void withinASubjectTheOrderOfPropertiesAndAliasesDoesNotMakeANewVersion() {
        String oneOrder = ORDERED.formatted("\"team\":\"sales\",\"owner\":\"ops\"", "\"old_id\",\"legacy_id\"");
        String otherOrder = ORDERED.formatted("\"owner\":\"ops\",\"team\":\"sales\"", "\"legacy_id\",\"old_id\"");
        String withOtherDoc = ORDERED.formatted("\"owner\":\"ops\",\"team\":\"sales\"", "\"legacy_id\",\"old_id\"")
                .replace("The probe's id.", "Another doc.");
        String subject = subject();

        int id = http.post("/subjects/" + subject + "/versions", body(oneOrder)).json().get("id").asInt();
        Response again = http.post("/subjects/" + subject + "/versions", body(otherOrder));
        Response found = http.post("/subjects/" + subject, body(otherOrder));
        Response docChanged = http.post("/subjects/" + subject + "/versions", body(withOtherDoc));

        assertThat(again.json().get("id").asInt()).isEqualTo(id);
        assertThat(found.json().get("version").asInt()).isEqualTo(1);
        assertThat(docChanged.json().get("id").asInt()).as("a different doc is a different schema").isNotEqualTo(id);
        assertThat(http.get("/subjects/" + subject + "/versions").json()).hasToString("[1,2]");
    }

    /** A record with custom properties ({@code %1$s}) and field aliases ({@code %2$s}) in a given order. */
    private static final String ORDERED = """
            {"type":"record","name":"Ordered","namespace":"io.leadflow.test",%1$s,
             "fields":[{"name":"id","type":"string","doc":"The probe's id.","aliases":[%2$s]}]}""";

    @Test
    void subjectsWithReservedCharactersRoundTripThroughTheirEncoding() {
        String subject = "team a/" + subject();
        String encoded = java.net.URLEncoder.encode(subject, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");

        http.post("/subjects/" + encoded + "/versions", body(PROBE_V1));

        assertThat(http.get("/subjects/" + encoded + "/versions/latest").json().get("subject").asString()).isEqualTo(subject);
    }

    @Test
    void theProjectsRestClientWorksAgainstTheServer() {
        RestSchemaRegistryClient client = new RestSchemaRegistryClient(List.of(server.url()), Optional.empty(), Duration.ofSeconds(5), 1);
        String subject = subject();
        Schema v1 = new Schema.Parser().parse(PROBE_V1);
        Schema v2 = new Schema.Parser().parse(PROBE_V2);
        Schema incompatible = new Schema.Parser().parse(PROBE_NO_DEFAULT);

        int id = client.register(subject, v1);

        assertThat(client.getId(subject, v1)).isEqualTo(id);
        assertThat(client.getById(id)).isEqualTo(v1);
        assertThat(client.isCompatible(subject, v2)).isTrue();
        assertThat(client.isCompatible(subject, incompatible)).isFalse();
        RegisteredSchema latest = client.getLatest(subject);
        assertThat(latest.version()).isEqualTo(1);
        assertThat(latest.id()).isEqualTo(id);
        assertThatThrownBy(() -> client.register(subject, incompatible))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(SchemaRegistryException.INCOMPATIBLE_SCHEMA);
                    assertThat(e.isIncompatible()).isTrue();
                });
        assertThat(client.isCompatible(subject(), incompatible)).as("a subject without versions accepts it").isTrue();
    }
}
