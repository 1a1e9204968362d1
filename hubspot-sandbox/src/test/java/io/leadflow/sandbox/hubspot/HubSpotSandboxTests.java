package io.leadflow.sandbox.hubspot;

import io.leadflow.testing.JsonRequests;
import io.leadflow.testing.MutableClock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The sandbox over HTTP, as a HubSpot client sees it, on a server of its own. */
class HubSpotSandboxTests {

    static final String TOKEN = "Bearer pat-test";

    static final MutableClock clock = new MutableClock(Instant.parse("2026-01-05T10:00:00Z"));
    static final HubSpotSandbox hubspot = new HubSpotSandbox(HubSpotSandboxSettings.defaults(), clock);
    static final HttpClient http = HttpClient.newHttpClient();
    static HubSpotSandboxServer server;

    /** What came back: status, JSON body (null when empty) and headers (first value each). */
    record Answer(int status, JsonNode body, Map<String, String> headers) {
    }

    @BeforeAll
    static void start() {
        server = HubSpotSandboxServer.start(hubspot);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void reset() {
        hubspot.reset();
        hubspot.onDealStageChange(change -> { });
    }

    static Answer post(String path, String body) {
        return call("POST", path, TOKEN, body);
    }

    static Answer get(String path) {
        return call("GET", path, TOKEN, null);
    }

    static Answer call(String method, String path, String authorization, String body) {
        HttpResponse<String> response = JsonRequests.send(http, server.baseUrl() + path, method, authorization, body);
        Map<String, String> headers = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        response.headers().map().forEach((k, v) -> headers.put(k, v.get(0)));
        JsonNode json = response.body().isEmpty() ? null : Answers.JSON.readTree(response.body());
        return new Answer(response.statusCode(), json, headers);
    }

    @Test
    void upsertsContactsByEmailAndSaysWhichAreNew() {
        String body = """
                {"inputs":[{"idProperty":"email","id":"Jane@Acme.com","properties":{"firstname":"Jane"},"objectWriteTraceId":"t1"}]}""";

        Answer first = post("/crm/v3/objects/contacts/batch/upsert", body);
        Answer second = post("/crm/v3/objects/contacts/batch/upsert", body);

        assertThat(first.status()).isEqualTo(200);
        JsonNode created = first.body().path("results").get(0);
        assertThat(created.path("new").asBoolean()).isTrue();
        assertThat(created.path("objectWriteTraceId").asString()).isEqualTo("t1");
        assertThat(created.path("properties").path("email").asString()).isEqualTo("jane@acme.com");
        JsonNode again = second.body().path("results").get(0);
        assertThat(again.path("new").asBoolean()).isFalse();
        assertThat(again.path("id").asString()).isEqualTo(created.path("id").asString());
        assertThat(hubspot.objects("contacts")).hasSize(1);
    }

    @Test
    void refusesASecondContactWithTheSameEmailWith409() {
        post("/crm/v3/objects/contacts", "{\"properties\":{\"email\":\"a@b.com\"}}");

        Answer duplicate = post("/crm/v3/objects/contacts/batch/create",
                "{\"inputs\":[{\"properties\":{\"email\":\"x@y.com\"}},{\"properties\":{\"email\":\"A@B.com\"}}]}");

        assertThat(duplicate.status()).isEqualTo(409);
        assertThat(duplicate.body().path("category").asString()).isEqualTo("CONFLICT");
        assertThat(duplicate.body().path("message").asString()).startsWith("Contact already exists. Existing ID: ");
        assertThat(hubspot.objects("contacts")).hasSize(1);
    }

    @Test
    void answersABatchReadWithMissingIdsWith207AndTheFoundOnes() {
        post("/crm/v3/properties/deals", "{\"name\":\"leadflow_lead_id\",\"type\":\"string\",\"fieldType\":\"text\",\"hasUniqueValue\":true}");
        post("/crm/v3/objects/deals/batch/upsert", """
                {"inputs":[{"idProperty":"leadflow_lead_id","id":"lead-1","properties":{"dealname":"Acme","dealstage":"appointmentscheduled"}}]}""");

        Answer read = post("/crm/v3/objects/deals/batch/read",
                "{\"idProperty\":\"leadflow_lead_id\",\"inputs\":[{\"id\":\"lead-1\"},{\"id\":\"lead-2\"}]}");

        assertThat(read.status()).isEqualTo(207);
        assertThat(read.body().path("results")).hasSize(1);
        assertThat(read.body().path("errors").get(0).path("category").asString()).isEqualTo("OBJECT_NOT_FOUND");
        assertThat(read.body().path("errors").get(0).path("context").path("ids").get(0).asString()).isEqualTo("lead-2");
    }

    @Test
    void matchesRecordsOnlyOnAPropertyThatRequiresUniqueValues() {
        post("/crm/v3/properties/deals", "{\"name\":\"plain\",\"type\":\"string\",\"fieldType\":\"text\"}");

        Answer upsert = post("/crm/v3/objects/deals/batch/upsert",
                "{\"inputs\":[{\"idProperty\":\"plain\",\"id\":\"x\",\"properties\":{\"dealname\":\"X\"}}]}");
        Answer missing = get("/crm/v3/properties/deals/leadflow_lead_id");

        assertThat(upsert.status()).isEqualTo(207);
        assertThat(upsert.body().path("errors").get(0).path("message").asString()).contains("not a unique value property");
        assertThat(missing.status()).isEqualTo(404);
    }

    @Test
    void rejectsADealStageThatItsPipelineDoesNotHave() {
        Answer answer = post("/crm/v3/objects/deals",
                "{\"properties\":{\"dealname\":\"X\",\"pipeline\":\"default\",\"dealstage\":\"no-such-stage\"}}");

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.body().path("category").asString()).isEqualTo("VALIDATION_ERROR");
    }

    @Test
    void findsCompaniesByDomainWithAnInFilter() {
        post("/crm/v3/objects/companies/batch/create",
                "{\"inputs\":[{\"properties\":{\"domain\":\"acme.com\",\"name\":\"Acme\"}},{\"properties\":{\"domain\":\"globex.io\"}}]}");

        Answer found = post("/crm/v3/objects/companies/search", """
                {"filterGroups":[{"filters":[{"propertyName":"domain","operator":"IN","values":["acme.com","initech.fr"]}]}],
                 "sorts":[{"propertyName":"createdate","direction":"ASCENDING"}],"limit":100}""");

        assertThat(found.status()).isEqualTo(200);
        assertThat(found.body().path("total").asInt()).isEqualTo(1);
        assertThat(found.body().path("results").get(0).path("properties").path("name").asString()).isEqualTo("Acme");
    }

    @Test
    void associatesRecordsBothWaysWithTheDefaultType() {
        String contact = post("/crm/v3/objects/contacts", "{\"properties\":{\"email\":\"a@b.com\"}}").body().path("id").asString();
        String company = post("/crm/v3/objects/companies", "{\"properties\":{\"domain\":\"b.com\"}}").body().path("id").asString();

        Answer answer = post("/crm/v4/associations/contacts/companies/batch/associate/default",
                "{\"inputs\":[{\"from\":{\"id\":\"" + contact + "\"},\"to\":{\"id\":\"" + company + "\"}}]}");

        assertThat(answer.status()).isEqualTo(201);
        JsonNode result = answer.body().path("results").get(0);
        assertThat(result.path("from").path("id").asString()).isEqualTo(contact);
        assertThat(result.path("to").path("id").asString()).isEqualTo(company);
        assertThat(result.path("associationSpec").path("associationCategory").asString()).isEqualTo("HUBSPOT_DEFINED");
        JsonNode back = get("/crm/v4/objects/companies/" + company + "/associations/contacts").body();
        assertThat(back.path("results").get(0).path("toObjectId").asLong()).isEqualTo(Long.parseLong(contact));
    }

    @Test
    void aDealCreatedWithInlineAssociationsIsFoundFromItsCompanyAndContact() {
        String contact = post("/crm/v3/objects/contacts", "{\"properties\":{\"email\":\"a@b.com\"}}").body().path("id").asString();
        String company = post("/crm/v3/objects/companies", "{\"properties\":{\"domain\":\"b.com\"}}").body().path("id").asString();

        Answer created = post("/crm/v3/objects/deals/batch/create", "{\"inputs\":[{\"properties\":{\"dealname\":\"A\","
                + "\"dealstage\":\"appointmentscheduled\"},\"objectWriteTraceId\":\"t1\",\"associations\":["
                + "{\"to\":{\"id\":\"" + contact + "\"},\"types\":[{\"associationCategory\":\"HUBSPOT_DEFINED\",\"associationTypeId\":3}]},"
                + "{\"to\":{\"id\":\"" + company + "\"},\"types\":[{\"associationCategory\":\"HUBSPOT_DEFINED\",\"associationTypeId\":341}]}]}]}");
        String deal = created.body().path("results").get(0).path("id").asString();

        assertThat(created.status()).isEqualTo(201);
        JsonNode ofCompany = post("/crm/v4/associations/companies/deals/batch/read", "{\"inputs\":[{\"id\":\"" + company + "\"}]}").body();
        JsonNode ofContact = post("/crm/v4/associations/contacts/deals/batch/read", "{\"inputs\":[{\"id\":\"" + contact + "\"}]}").body();
        assertThat(ofCompany.path("results").get(0).path("to").valueStream().map(t -> t.path("toObjectId").asString())).containsExactly(deal);
        assertThat(ofContact.path("results").get(0).path("to").valueStream().map(t -> t.path("toObjectId").asString())).containsExactly(deal);
    }

    @Test
    void readsAContactsDealsInBatchWithWhetherEachIsClosed() {
        String contact = post("/crm/v3/objects/contacts", "{\"properties\":{\"email\":\"a@b.com\"}}").body().path("id").asString();
        String open = post("/crm/v3/objects/deals", "{\"properties\":{\"dealname\":\"A\",\"dealstage\":\"appointmentscheduled\"}}")
                .body().path("id").asString();
        String won = post("/crm/v3/objects/deals", "{\"properties\":{\"dealname\":\"B\",\"dealstage\":\"closedwon\"}}")
                .body().path("id").asString();
        post("/crm/v4/associations/deals/contacts/batch/associate/default", "{\"inputs\":[{\"from\":{\"id\":\"" + open
                + "\"},\"to\":{\"id\":\"" + contact + "\"}},{\"from\":{\"id\":\"" + won + "\"},\"to\":{\"id\":\"" + contact + "\"}}]}");

        JsonNode associated = post("/crm/v4/associations/contacts/deals/batch/read", "{\"inputs\":[{\"id\":\"" + contact + "\"}]}").body();
        JsonNode deals = post("/crm/v3/objects/deals/batch/read", "{\"properties\":[\"pipeline\",\"dealstage\",\"hs_is_closed\"],"
                + "\"inputs\":[{\"id\":\"" + open + "\"},{\"id\":\"" + won + "\"}]}").body();

        assertThat(associated.path("results").get(0).path("from").path("id").asString()).isEqualTo(contact);
        assertThat(associated.path("results").get(0).path("to").valueStream().map(t -> t.path("toObjectId").asString()))
                .containsExactlyInAnyOrder(open, won);
        assertThat(deals.path("results").valueStream().map(d -> d.path("id").asString() + ":" + d.path("properties").path("hs_is_closed").asString()))
                .containsExactlyInAnyOrder(open + ":false", won + ":true");
    }

    @Test
    void answers429WithThePolicyNameOnceTheTenSecondLimitIsSpent() {
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 191; i++) {
            statuses.add(get("/crm/v3/pipelines/deals").status());
        }

        Answer limited = get("/crm/v3/pipelines/deals");
        clock.advance(Duration.ofSeconds(10));
        Answer later = get("/crm/v3/pipelines/deals");

        assertThat(statuses.subList(0, 190)).containsOnly(200);
        assertThat(statuses.get(190)).isEqualTo(429);
        assertThat(limited.body().path("policyName").asString()).isEqualTo("TEN_SECONDLY_ROLLING");
        assertThat(limited.body().path("errorType").asString()).isEqualTo("RATE_LIMIT");
        assertThat(limited.headers()).containsKey("Retry-After").containsEntry("X-HubSpot-RateLimit-Max", "190");
        assertThat(later.status()).isEqualTo(200);
        assertThat(hubspot.callCounts()).containsEntry("429 answers", 2L);
    }

    @Test
    void aRateLimitSetAtRuntimeIsEnforcedUntilReset() {
        hubspot.rateLimit(2, Duration.ofSeconds(1));

        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            statuses.add(get("/crm/v3/pipelines/deals").status());
        }
        clock.advance(Duration.ofSeconds(1));
        Answer nextSecond = get("/crm/v3/pipelines/deals");
        hubspot.reset();
        Answer asConfigured = get("/crm/v3/pipelines/deals");

        assertThat(statuses).containsExactly(200, 200, 429);
        assertThat(nextSecond.status()).isEqualTo(200);
        assertThat(nextSecond.headers()).containsEntry("X-HubSpot-RateLimit-Max", "2")
                .containsEntry("X-HubSpot-RateLimit-Interval-Milliseconds", "1000");
        assertThat(asConfigured.headers()).containsEntry("X-HubSpot-RateLimit-Max", "190");
    }

    @Test
    void aRefusedBatchInputIsAnsweredInThe207ErrorsWhileTheOthersAreWritten() {
        hubspot.faults().refuseItem("bad@@acme.com", "email", "INVALID_EMAIL", "Email address bad@@acme.com is invalid");

        Answer answer = post("/crm/v3/objects/contacts/batch/upsert", """
                {"inputs":[{"idProperty":"email","id":"jane@acme.com","properties":{"email":"jane@acme.com"}},
                           {"idProperty":"email","id":"BAD@@acme.com","properties":{"email":"bad@@acme.com"}}]}""");

        assertThat(answer.status()).isEqualTo(207);
        assertThat(answer.body().path("results").valueStream().map(r -> r.path("properties").path("email").asString()))
                .containsExactly("jane@acme.com");
        assertThat(answer.body().path("numErrors").asInt()).isEqualTo(1);
        JsonNode error = answer.body().path("errors").get(0);
        assertThat(error.path("status").asString()).isEqualTo("error");
        assertThat(error.path("category").asString()).isEqualTo("VALIDATION_ERROR");
        assertThat(error.path("message").asString()).startsWith("Property values were not valid: ").contains("INVALID_EMAIL");
        assertThat(error.path("context").path("ids").get(0).asString()).isEqualTo("BAD@@acme.com");
        assertThat(answer.headers()).containsKey("X-HubSpot-Correlation-Id");
        assertThat(hubspot.objectsWith("contacts", "email", "bad@@acme.com")).isEmpty();
        assertThat(hubspot.objectsWith("contacts", "email", "JANE@acme.com")).hasSize(1);
    }

    @Test
    void recordsEachCallPerEndpointUntilTheCallsAreCleared() {
        String contact = post("/crm/v3/objects/contacts", "{\"properties\":{\"email\":\"a@b.com\"}}").body().path("id").asString();
        String deal = post("/crm/v3/objects/deals", "{\"properties\":{\"dealname\":\"A\"},\"associations\":[{\"to\":{\"id\":\""
                + contact + "\"},\"types\":[{\"associationCategory\":\"HUBSPOT_DEFINED\",\"associationTypeId\":3}]}]}")
                .body().path("id").asString();
        get("/crm/v3/objects/contacts/" + contact);

        assertThat(hubspot.calls("POST", "/crm/v3/objects/deals")).singleElement()
                .satisfies(call -> assertThat(call.status()).isEqualTo(201));
        assertThat(hubspot.callCounts()).containsEntry("GET /crm/v3/objects/contacts/{id}", 1L);
        assertThat(hubspot.counts()).containsEntry("contacts", 1).containsEntry("deals", 1).containsEntry("associations", 2);
        assertThat(hubspot.associated("contacts", contact, "deals")).extracting(d -> d.path("id").asString()).containsExactly(deal);
        assertThat(hubspot.object("deals", deal)).hasValueSatisfying(d ->
                assertThat(d.path("associations").path("contacts").path("results").get(0).path("id").asString()).isEqualTo(contact));

        hubspot.clearCalls();

        assertThat(hubspot.calls(10)).isEmpty();
        assertThat(hubspot.callCounts()).doesNotContainKey("GET /crm/v3/objects/contacts/{id}");
        assertThat(hubspot.counts()).containsEntry("contacts", 1);
    }

    @Test
    void answers401WithoutABearerToken() {
        assertThat(call("GET", "/crm/v3/pipelines/deals", null, null).status()).isEqualTo(401);
    }

    @Test
    void reportsADealEnteringAStageAsHubSpotsWebhookWould() {
        List<HubSpotSandbox.StageChange> changes = new java.util.concurrent.CopyOnWriteArrayList<>();
        hubspot.onDealStageChange(changes::add);
        String id = post("/crm/v3/objects/deals", "{\"properties\":{\"dealname\":\"A\",\"dealstage\":\"appointmentscheduled\"}}")
                .body().path("id").asString();

        call("PATCH", "/crm/v3/objects/deals/" + id, TOKEN, "{\"properties\":{\"dealstage\":\"qualifiedtobuy\"}}");
        call("PATCH", "/crm/v3/objects/deals/" + id, TOKEN, "{\"properties\":{\"dealname\":\"B\"}}");

        boolean moved = hubspot.updateDeal(id, Map.of("dealstage", "closedwon"));
        boolean refused = hubspot.updateDeal(id, Map.of("dealstage", "no-such-stage"));

        assertThat(moved).isTrue();
        assertThat(refused).isFalse();
        assertThat(changes).extracting(HubSpotSandbox.StageChange::stageId).containsExactly("appointmentscheduled", "qualifiedtobuy", "closedwon");
        assertThat(changes).extracting(HubSpotSandbox.StageChange::pipelineId).containsOnly("default");
    }

    @Test
    void onceATokenIsRequiredOnlyThatTokenIsAccepted() {
        hubspot.requireToken("pat-local-the-stacks-own");
        String body = "{\"properties\":{\"email\":\"a@b.com\"}}";

        Answer anyShape = call("POST", "/crm/v3/objects/contacts", TOKEN, body);
        Answer exact = call("POST", "/crm/v3/objects/contacts", "Bearer pat-local-the-stacks-own", body);

        assertThat(anyShape.status()).isEqualTo(401);
        assertThat(anyShape.body().path("category").asString()).isEqualTo("INVALID_AUTHENTICATION");
        assertThat(exact.status()).isEqualTo(201);
        assertThat(hubspot.objects("contacts")).hasSize(1);
    }

    @Test
    void answersAPathItDoesNotImplementWithHubSpots404Body() {
        Answer answer = call("PATCH", "/crm/v3/objects/contacts", TOKEN, "{}");

        assertThat(answer.status()).isEqualTo(404);
        assertThat(answer.body().path("status").asString()).isEqualTo("error");
        assertThat(answer.body().path("category").asString()).isEqualTo("OBJECT_NOT_FOUND");
        assertThat(answer.body().path("message").asString()).startsWith("Unable to route PATCH crm/v3/objects/contacts");
        assertThat(answer.body().path("correlationId").asString()).isNotBlank();
        assertThat(answer.headers()).containsEntry("X-HubSpot-RateLimit-Max", "190").containsKey("X-HubSpot-RateLimit-Remaining");
    }

    @Test
    void answersMalformedJsonWithAValidationError() {
        Answer answer = post("/crm/v3/objects/contacts/batch/upsert", "{\"inputs\":[");

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.body().path("category").asString()).isEqualTo("VALIDATION_ERROR");
        assertThat(answer.body().path("message").asString()).startsWith("Invalid input JSON on line 1: ");
    }

    @Test
    void ignoresATrailingSlashAsHubSpotDoes() {
        Answer owners = get("/crm/v3/owners/");

        assertThat(owners.status()).isEqualTo(200);
        assertThat(owners.body().path("results").valueStream().map(o -> o.path("email").asString()))
                .containsExactly("cameron@example.com", "simon@example.com");
    }

    @Test
    void failsTheNextCallsAsToldWithoutTouchingTheCrm() {
        hubspot.faults().failNext(2, 503);
        String body = "{\"properties\":{\"email\":\"a@b.com\"}}";

        Answer first = post("/crm/v3/objects/contacts", body);
        Answer second = post("/crm/v3/objects/contacts", body);
        Answer third = post("/crm/v3/objects/contacts", body);

        assertThat(first.status()).isEqualTo(503);
        assertThat(first.body().path("category").asString()).isEqualTo("INTERNAL_ERROR");
        assertThat(second.status()).isEqualTo(503);
        assertThat(third.status()).isEqualTo(201);
        assertThat(hubspot.objects("contacts")).hasSize(1);
    }

    @Test
    void anInjected429LooksLikeHubSpotsRateLimit() {
        hubspot.faults().failNext(1, 429);

        Answer limited = get("/crm/v3/pipelines/deals");

        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.body().path("policyName").asString()).isEqualTo("TEN_SECONDLY_ROLLING");
        assertThat(limited.headers()).containsKey("Retry-After");
        assertThat(hubspot.callCounts()).containsEntry("429 answers", 1L);
    }

    @Test
    void refusedScopesAreA403NamingThem() {
        hubspot.faults().refuseScopes("crm.objects.deals.write");

        Answer refused = get("/crm/v3/pipelines/deals");
        hubspot.faults().acceptCredentials();

        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.body().path("category").asString()).isEqualTo("MISSING_SCOPES");
        assertThat(refused.body().path("errors").get(0).path("context").path("requiredGranularScopes").get(0).asString())
                .isEqualTo("crm.objects.deals.write");
        assertThat(get("/crm/v3/pipelines/deals").status()).isEqualTo(200);
    }

    @Test
    void recordsEveryCallWithItsAnswerAndCountsThemByEndpoint() {
        String id = post("/crm/v3/objects/contacts", "{\"properties\":{\"email\":\"a@b.com\"}}").body().path("id").asString();
        get("/crm/v3/objects/contacts/" + id);
        call("GET", "/crm/v3/objects/contacts/" + id, null, null);

        assertThat(hubspot.calls(10)).extracting(c -> c.method() + " " + c.path() + " " + c.status())
                .containsExactly("GET /crm/v3/objects/contacts/" + id + " 401", "GET /crm/v3/objects/contacts/" + id + " 200",
                        "POST /crm/v3/objects/contacts 201");
        assertThat(hubspot.calls(10).get(2).request()).contains("a@b.com");
        assertThat(hubspot.calls(10).get(1).response()).contains("\"id\":\"" + id + "\"");
        assertThat(hubspot.callCounts()).containsEntry("GET /crm/v3/objects/contacts/{id}", 2L)
                .containsEntry("POST /crm/v3/objects/contacts", 1L);
    }

    @Test
    void keepsItsRecordsAcrossARestart(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        post("/crm/v3/properties/deals", "{\"name\":\"leadflow_lead_id\",\"type\":\"string\",\"fieldType\":\"text\",\"hasUniqueValue\":true}");
        String contact = post("/crm/v3/objects/contacts", "{\"properties\":{\"email\":\"a@b.com\"}}").body().path("id").asString();
        String deal = post("/crm/v3/objects/deals/batch/upsert", """
                {"inputs":[{"idProperty":"leadflow_lead_id","id":"lead-1","properties":{"dealname":"A","dealstage":"closedwon"}}]}""")
                .body().path("results").get(0).path("id").asString();
        post("/crm/v4/associations/deals/contacts/batch/associate/default",
                "{\"inputs\":[{\"from\":{\"id\":\"" + deal + "\"},\"to\":{\"id\":\"" + contact + "\"}}]}");
        io.leadflow.sandbox.SandboxStore store = new io.leadflow.sandbox.SandboxStore(dir.resolve("hubspot.json"));

        hubspot.saveTo(store);
        HubSpotSandbox restarted = new HubSpotSandbox(HubSpotSandboxSettings.defaults(), clock);
        restarted.loadFrom(store);

        assertThat(restarted.objects("deals")).isEqualTo(hubspot.objects("deals"));
        assertThat(restarted.objects("contacts")).isEqualTo(hubspot.objects("contacts"));
        Crm crm = restarted.crm();
        assertThat(crm.read(() -> crm.findBy("deals", "leadflow_lead_id", "lead-1")).map(Crm.CrmObject::id)).contains(deal);
        String next = crm.read(() -> {
            crm.requireUniqueProperty("deals", "leadflow_lead_id");
            return crm.newId();
        });
        assertThat(Long.parseLong(next)).isGreaterThan(Long.parseLong(deal));
    }
}
