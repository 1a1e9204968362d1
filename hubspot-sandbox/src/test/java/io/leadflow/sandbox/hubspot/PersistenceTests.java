package io.leadflow.sandbox.hubspot;

import io.leadflow.sandbox.SandboxStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every change the sandbox answered is on disk before the answer: a new sandbox on the same directory, started while the
 * first one was never closed or saved (as after a SIGKILL), holds all of them.
 */
class PersistenceTests {

    static final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    @Test
    void aNewSandboxOnTheSameDirectoryWithoutACleanCloseHoldsEveryAnsweredChange() throws Exception {
        HubSpotSandbox first = new HubSpotSandbox(HubSpotSandboxSettings.defaults(), Clock.systemUTC());
        first.persistTo(new SandboxStore(dir.resolve("hubspot.json")));
        String contact;
        String deal;
        try (HubSpotSandboxServer server = HubSpotSandboxServer.start(first)) {
            String api = server.baseUrl();
            assertThat(call(api, "POST", "/crm/v3/properties/deals/groups", "{\"name\":\"leadflow\",\"label\":\"Leadflow\"}").statusCode()).isEqualTo(201);
            assertThat(call(api, "POST", "/crm/v3/properties/deals", "{\"name\":\"leadflow_lead_id\",\"groupName\":\"leadflow\","
                    + "\"type\":\"string\",\"fieldType\":\"text\",\"hasUniqueValue\":true}").statusCode()).isEqualTo(201);
            contact = json(call(api, "POST", "/crm/v3/objects/contacts/batch/upsert", "{\"inputs\":["
                    + "{\"idProperty\":\"email\",\"id\":\"ada@analytical.io\",\"properties\":{\"firstname\":\"Ada\"}},"
                    + "{\"idProperty\":\"email\",\"id\":\"grace@cobol.dev\",\"properties\":{\"firstname\":\"Grace\"}}]}"))
                    .path("results").get(0).path("id").asString();
            String company = json(call(api, "POST", "/crm/v3/objects/companies", "{\"properties\":{\"domain\":\"analytical.io\"}}")).path("id").asString();
            deal = json(call(api, "POST", "/crm/v3/objects/deals/batch/upsert", "{\"inputs\":[{\"idProperty\":\"leadflow_lead_id\","
                    + "\"id\":\"lead-1\",\"properties\":{\"dealname\":\"Analytical\",\"dealstage\":\"appointmentscheduled\"}}]}"))
                    .path("results").get(0).path("id").asString();
            call(api, "PUT", "/crm/v4/objects/deals/" + deal + "/associations/default/contacts/" + contact, null);
            call(api, "PUT", "/crm/v4/objects/deals/" + deal + "/associations/default/companies/" + company, null);
            call(api, "DELETE", "/crm/v3/objects/deals/" + deal + "/associations/companies/" + company + "/5", null);
            call(api, "PATCH", "/crm/v3/objects/contacts/" + contact, "{\"properties\":{\"lastname\":\"Lovelace\"}}");
            String grace = json(call(api, "GET", "/crm/v3/objects/contacts/grace@cobol.dev?idProperty=email", null)).path("id").asString();
            assertThat(call(api, "DELETE", "/crm/v3/objects/contacts/" + grace, null).statusCode()).isEqualTo(204);
            // a compaction halfway, then more changes, one made as a rep in HubSpot's UI
            first.saveTo(new SandboxStore(dir.resolve("hubspot.json")));
            assertThat(first.updateDeal(deal, Map.of("dealstage", "qualifiedtobuy"))).isTrue();
            call(api, "POST", "/crm/v3/objects/notes", "{\"properties\":{\"hs_note_body\":\"Called\"},\"associations\":[{\"to\":{\"id\":\""
                    + deal + "\"},\"types\":[{\"associationCategory\":\"HUBSPOT_DEFINED\",\"associationTypeId\":214}]}]}");
        }

        HubSpotSandbox restarted = new HubSpotSandbox(HubSpotSandboxSettings.defaults(), Clock.systemUTC());
        restarted.persistTo(new SandboxStore(dir.resolve("hubspot.json")));

        assertThat(restarted.counts()).isEqualTo(first.counts());
        for (String type : new String[] {"contacts", "companies", "deals", "notes"}) {
            assertThat(restarted.objects(type)).as(type).isEqualTo(first.objects(type));
        }
        assertThat(restarted.object("contacts", contact)).hasValueSatisfying(c ->
                assertThat(c.path("properties").path("lastname").asString()).isEqualTo("Lovelace"));
        assertThat(restarted.objectsWith("contacts", "email", "grace@cobol.dev")).isEmpty();
        assertThat(restarted.object("deals", deal)).hasValueSatisfying(d -> {
            assertThat(d.path("properties").path("dealstage").asString()).isEqualTo("qualifiedtobuy");
            assertThat(d.path("associations").path("companies").path("results")).isEmpty();
            assertThat(d.path("associations").path("notes").path("results")).hasSize(1);
        });
        try (HubSpotSandboxServer server = HubSpotSandboxServer.start(restarted)) {
            String api = server.baseUrl();
            // the custom property and its group are still there: deals are still upserted on the lead id
            assertThat(json(call(api, "GET", "/crm/v3/properties/deals/leadflow_lead_id", null)).path("hasUniqueValue").asBoolean()).isTrue();
            assertThat(call(api, "GET", "/crm/v3/properties/deals/groups/leadflow", null).statusCode()).isEqualTo(200);
            assertThat(call(api, "GET", "/crm/v3/properties/deals/groups/dealinformation", null).statusCode()).isEqualTo(200);
            JsonNode again = json(call(api, "POST", "/crm/v3/objects/deals/batch/upsert", "{\"inputs\":[{\"idProperty\":\"leadflow_lead_id\","
                    + "\"id\":\"lead-1\",\"properties\":{\"dealname\":\"Analytical again\"}}]}")).path("results").get(0);
            assertThat(again.path("id").asString()).isEqualTo(deal);
            assertThat(again.path("new").asBoolean()).isFalse();
            // and a new record gets an id never given before
            String newer = json(call(api, "POST", "/crm/v3/objects/companies", "{\"properties\":{\"domain\":\"cobol.dev\"}}")).path("id").asString();
            assertThat(Long.parseLong(newer)).isGreaterThan(Long.parseLong(deal));
        }
    }

    @Test
    void aResetIsKeptLikeAnyOtherChange() {
        HubSpotSandbox first = new HubSpotSandbox(HubSpotSandboxSettings.defaults(), Clock.systemUTC());
        first.persistTo(new SandboxStore(dir.resolve("hubspot.json")));
        first.create("companies", Map.of("domain", "acme.com"));
        first.saveTo(new SandboxStore(dir.resolve("hubspot.json")));
        first.reset();
        first.create("companies", Map.of("domain", "globex.io"));

        HubSpotSandbox restarted = new HubSpotSandbox(HubSpotSandboxSettings.defaults(), Clock.systemUTC());
        restarted.persistTo(new SandboxStore(dir.resolve("hubspot.json")));

        assertThat(restarted.objects("companies")).extracting(c -> c.path("properties").path("domain").asString()).containsExactly("globex.io");
    }

    private static HttpResponse<String> call(String api, String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(api + path)).header("Authorization", "Bearer pat-test")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> response) {
        return Answers.JSON.readTree(response.body());
    }
}
