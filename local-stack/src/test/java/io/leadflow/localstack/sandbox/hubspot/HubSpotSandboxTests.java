package io.leadflow.localstack.sandbox.hubspot;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class HubSpotSandboxTests {

    static final String TOKEN = "Bearer pat-test";

    final MutableClock clock = new MutableClock(Instant.parse("2026-01-05T10:00:00Z"));
    final HubSpotSandbox hubspot = new HubSpotSandbox(HubSpotSandboxSettings.defaults(), clock);

    HubSpotSandbox.Answer post(String path, String body) {
        return hubspot.handle("POST", path, Map.of(), TOKEN, body);
    }

    @Test
    void upsertsContactsByEmailAndSaysWhichAreNew() {
        String body = """
                {"inputs":[{"idProperty":"email","id":"Jane@Acme.com","properties":{"firstname":"Jane"},"objectWriteTraceId":"t1"}]}""";

        HubSpotSandbox.Answer first = post("/crm/v3/objects/contacts/batch/upsert", body);
        HubSpotSandbox.Answer second = post("/crm/v3/objects/contacts/batch/upsert", body);

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

        HubSpotSandbox.Answer duplicate = post("/crm/v3/objects/contacts/batch/create",
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

        HubSpotSandbox.Answer read = post("/crm/v3/objects/deals/batch/read",
                "{\"idProperty\":\"leadflow_lead_id\",\"inputs\":[{\"id\":\"lead-1\"},{\"id\":\"lead-2\"}]}");

        assertThat(read.status()).isEqualTo(207);
        assertThat(read.body().path("results")).hasSize(1);
        assertThat(read.body().path("errors").get(0).path("category").asString()).isEqualTo("OBJECT_NOT_FOUND");
        assertThat(read.body().path("errors").get(0).path("context").path("ids").get(0).asString()).isEqualTo("lead-2");
    }

    @Test
    void matchesRecordsOnlyOnAPropertyThatRequiresUniqueValues() {
        post("/crm/v3/properties/deals", "{\"name\":\"plain\",\"type\":\"string\",\"fieldType\":\"text\"}");

        HubSpotSandbox.Answer upsert = post("/crm/v3/objects/deals/batch/upsert",
                "{\"inputs\":[{\"idProperty\":\"plain\",\"id\":\"x\",\"properties\":{\"dealname\":\"X\"}}]}");
        HubSpotSandbox.Answer missing = hubspot.handle("GET", "/crm/v3/properties/deals/leadflow_lead_id", Map.of(), TOKEN, null);

        assertThat(upsert.status()).isEqualTo(207);
        assertThat(upsert.body().path("errors").get(0).path("message").asString()).contains("not a unique value property");
        assertThat(missing.status()).isEqualTo(404);
    }

    @Test
    void rejectsADealStageThatItsPipelineDoesNotHave() {
        HubSpotSandbox.Answer answer = post("/crm/v3/objects/deals",
                "{\"properties\":{\"dealname\":\"X\",\"pipeline\":\"default\",\"dealstage\":\"no-such-stage\"}}");

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.body().path("category").asString()).isEqualTo("VALIDATION_ERROR");
    }

    @Test
    void findsCompaniesByDomainWithAnInFilter() {
        post("/crm/v3/objects/companies/batch/create",
                "{\"inputs\":[{\"properties\":{\"domain\":\"acme.com\",\"name\":\"Acme\"}},{\"properties\":{\"domain\":\"globex.io\"}}]}");

        HubSpotSandbox.Answer found = post("/crm/v3/objects/companies/search", """
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

        HubSpotSandbox.Answer answer = post("/crm/v4/associations/contacts/companies/batch/associate/default",
                "{\"inputs\":[{\"from\":{\"id\":\"" + contact + "\"},\"to\":{\"id\":\"" + company + "\"}}]}");

        assertThat(answer.status()).isEqualTo(201);
        JsonNode result = answer.body().path("results").get(0);
        assertThat(result.path("from").path("id").asString()).isEqualTo(contact);
        assertThat(result.path("to").path("id").asString()).isEqualTo(company);
        assertThat(result.path("associationSpec").path("associationCategory").asString()).isEqualTo("HUBSPOT_DEFINED");
        JsonNode back = hubspot.handle("GET", "/crm/v4/objects/companies/" + company + "/associations/contacts", Map.of(), TOKEN, null).body();
        assertThat(back.path("results").get(0).path("toObjectId").asLong()).isEqualTo(Long.parseLong(contact));
    }

    @Test
    void aDealCreatedWithInlineAssociationsIsFoundFromItsCompanyAndContact() {
        String contact = post("/crm/v3/objects/contacts", "{\"properties\":{\"email\":\"a@b.com\"}}").body().path("id").asString();
        String company = post("/crm/v3/objects/companies", "{\"properties\":{\"domain\":\"b.com\"}}").body().path("id").asString();

        HubSpotSandbox.Answer created = post("/crm/v3/objects/deals/batch/create", "{\"inputs\":[{\"properties\":{\"dealname\":\"A\","
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
            statuses.add(hubspot.handle("GET", "/crm/v3/pipelines/deals", Map.of(), TOKEN, null).status());
        }

        HubSpotSandbox.Answer limited = hubspot.handle("GET", "/crm/v3/pipelines/deals", Map.of(), TOKEN, null);
        clock.advance(Duration.ofSeconds(10));
        HubSpotSandbox.Answer later = hubspot.handle("GET", "/crm/v3/pipelines/deals", Map.of(), TOKEN, null);

        assertThat(statuses.subList(0, 190)).containsOnly(200);
        assertThat(statuses.get(190)).isEqualTo(429);
        assertThat(limited.body().path("policyName").asString()).isEqualTo("TEN_SECONDLY_ROLLING");
        assertThat(limited.body().path("errorType").asString()).isEqualTo("RATE_LIMIT");
        assertThat(limited.headers()).containsKey("Retry-After").containsEntry("X-HubSpot-RateLimit-Max", "190");
        assertThat(later.status()).isEqualTo(200);
        assertThat(hubspot.callCounts()).containsEntry("429 answers", 2L);
    }

    @Test
    void answers401WithoutABearerToken() {
        assertThat(hubspot.handle("GET", "/crm/v3/pipelines/deals", Map.of(), null, null).status()).isEqualTo(401);
    }

    @Test
    void reportsADealEnteringAStageAsHubSpotsWebhookWould() {
        List<HubSpotSandbox.StageChange> changes = new ArrayList<>();
        hubspot.onDealStageChange(changes::add);
        String id = post("/crm/v3/objects/deals", "{\"properties\":{\"dealname\":\"A\",\"dealstage\":\"appointmentscheduled\"}}")
                .body().path("id").asString();

        hubspot.handle("PATCH", "/crm/v3/objects/deals/" + id, Map.of(), TOKEN, "{\"properties\":{\"dealstage\":\"qualifiedtobuy\"}}");
        hubspot.handle("PATCH", "/crm/v3/objects/deals/" + id, Map.of(), TOKEN, "{\"properties\":{\"dealname\":\"B\"}}");

        assertThat(changes).extracting(HubSpotSandbox.StageChange::stageId).containsExactly("appointmentscheduled", "qualifiedtobuy");
        assertThat(changes).extracting(HubSpotSandbox.StageChange::pipelineId).containsOnly("default");
    }

    static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void onceATokenIsRequiredOnlyThatTokenIsAccepted() {
        hubspot.requireToken("pat-local-the-stacks-own");
        String body = "{\"properties\":{\"email\":\"a@b.com\"}}";

        HubSpotSandbox.Answer anyShape = hubspot.handle("POST", "/crm/v3/objects/contacts", Map.of(), TOKEN, body);
        HubSpotSandbox.Answer exact = hubspot.handle("POST", "/crm/v3/objects/contacts", Map.of(), "Bearer pat-local-the-stacks-own", body);

        assertThat(anyShape.status()).isEqualTo(401);
        assertThat(anyShape.body().path("category").asString()).isEqualTo("INVALID_AUTHENTICATION");
        assertThat(exact.status()).isEqualTo(201);
        assertThat(hubspot.objects("contacts")).hasSize(1);
    }
}
