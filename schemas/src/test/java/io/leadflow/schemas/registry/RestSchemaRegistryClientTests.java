package io.leadflow.schemas.registry;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.leadflow.avro.DealStageChanged;
import io.leadflow.schemas.serde.AvroDeserializer;
import io.leadflow.schemas.serde.AvroSerializer;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The REST client against a stub that answers like Confluent Schema Registry. */
class RestSchemaRegistryClientTests {

    private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final Schema SCHEMA = DealStageChanged.getClassSchema();
    private final WireMockServer registry = new WireMockServer(wireMockConfig().dynamicPort());

    @BeforeEach
    void start() {
        registry.start();
    }

    @AfterEach
    void stop() {
        registry.stop();
    }

    private RestSchemaRegistryClient client(Optional<String> userInfo) {
        return new RestSchemaRegistryClient(List.of(registry.baseUrl()), userInfo, Duration.ofSeconds(2), 3);
    }

    @Test
    void registersUnderTheSubjectWithConfluentsContentTypeAndBody() {
        registry.stubFor(post("/subjects/deals.stage-changed-value/versions").willReturn(okJson("{\"id\":7}")));

        int id = client(Optional.empty()).register("deals.stage-changed-value", SCHEMA);

        assertThat(id).isEqualTo(7);
        registry.verify(postRequestedFor(urlEqualTo("/subjects/deals.stage-changed-value/versions"))
                .withHeader("Content-Type", equalTo(CONTENT_TYPE))
                .withRequestBody(equalToJson("{\"schema\":" + quoted(SCHEMA.toString()) + "}")));
    }

    @Test
    void sendsBasicAuthWhenConfigured() {
        registry.stubFor(get("/schemas/ids/3").willReturn(okJson("{\"schema\":" + quoted(SCHEMA.toString()) + "}")));

        Schema schema = client(Optional.of("fred:letmein")).getById(3);

        assertThat(schema).isEqualTo(SCHEMA);
        registry.verify(getRequestedFor(urlEqualTo("/schemas/ids/3")).withHeader("Authorization", equalTo("Basic ZnJlZDpsZXRtZWlu")));
    }

    @Test
    void mapsConfluentErrorsToTheirCodes() {
        registry.stubFor(post("/subjects/leads.received-value").willReturn(aResponse().withStatus(404)
                .withHeader("Content-Type", CONTENT_TYPE).withBody("{\"error_code\":40401,\"message\":\"Subject 'leads.received-value' not found.\"}")));

        assertThatThrownBy(() -> client(Optional.empty()).getId("leads.received-value", SCHEMA))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                    assertThat(e.status()).isEqualTo(404);
                    assertThat(e.errorCode()).isEqualTo(SchemaRegistryException.SUBJECT_NOT_FOUND);
                });
    }

    @Test
    void retriesServerErrorsAFewTimesThenSucceeds() {
        registry.stubFor(get("/subjects/x-value/versions/latest").inScenario("flaky").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(503)).willSetStateTo("recovered"));
        registry.stubFor(get("/subjects/x-value/versions/latest").inScenario("flaky").whenScenarioStateIs("recovered")
                .willReturn(okJson("{\"subject\":\"x-value\",\"version\":2,\"id\":9,\"schema\":" + quoted(SCHEMA.toString()) + "}")));

        RegisteredSchema latest = client(Optional.empty()).getLatest("x-value");

        assertThat(latest).isEqualTo(new RegisteredSchema("x-value", 2, 9, SCHEMA));
    }

    @Test
    void reportsIncompatibilityFromTheCompatibilityEndpoint() {
        registry.stubFor(post("/compatibility/subjects/x-value/versions/latest").willReturn(okJson("{\"is_compatible\":false}")));

        assertThat(client(Optional.empty()).isCompatible("x-value", SCHEMA)).isFalse();
    }

    @Test
    void theSerdeCallsTheRegistryOnlyForTheFirstRecordEachWay() {
        registry.stubFor(post("/subjects/deals.stage-changed-value/versions").willReturn(okJson("{\"id\":5}")));
        registry.stubFor(get("/schemas/ids/5").willReturn(okJson("{\"schema\":" + quoted(SCHEMA.toString()) + "}")));
        Map<String, Object> config = Map.of("schema.registry.url", registry.baseUrl(), "specific.avro.reader", true);
        AvroSerializer<DealStageChanged> serializer = new AvroSerializer<>();
        serializer.configure(config, false);
        AvroDeserializer<DealStageChanged> deserializer = new AvroDeserializer<>();
        deserializer.configure(config, false);

        for (int i = 0; i < 100; i++) {
            DealStageChanged record = DealStageChanged.newBuilder().setEventId(i).setPortalId(1).setDealId("d" + i)
                    .setStageId("s").setOccurredAt(Instant.EPOCH).setSubscriptionType("deal.creation").build();
            assertThat(deserializer.deserialize("deals.stage-changed", serializer.serialize("deals.stage-changed", record))).isEqualTo(record);
        }

        registry.verify(1, postRequestedFor(urlEqualTo("/subjects/deals.stage-changed-value/versions")));
        registry.verify(1, getRequestedFor(urlEqualTo("/schemas/ids/5")));
    }

    private static String quoted(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
