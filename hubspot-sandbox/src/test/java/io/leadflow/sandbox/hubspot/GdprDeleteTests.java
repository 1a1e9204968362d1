package io.leadflow.sandbox.hubspot;

import io.leadflow.sandbox.SandboxStore;
import io.leadflow.testing.JsonRequests;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code POST /crm/v3/objects/contacts/gdpr-delete}: the contact is gone for good, by email or by id. */
class GdprDeleteTests {

    static final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    @Test
    void aContactDeletedByEmailIsGoneForGoodWithItsAssociationsAndStaysGoneAfterARestart() {
        HubSpotSandbox hubspot = new HubSpotSandbox(HubSpotSandboxSettings.defaults(), Clock.systemUTC());
        hubspot.persistTo(new SandboxStore(dir.resolve("hubspot.json")));
        String contact;
        String note;
        String deal;
        String other;
        try (HubSpotSandboxServer server = HubSpotSandboxServer.start(hubspot)) {
            String api = server.baseUrl();
            contact = call(api, "POST", "/crm/v3/objects/contacts", "{\"properties\":{\"email\":\"Ada@Analytical.io\",\"firstname\":\"Ada\"}}")
                    .body().path("id").asString();
            other = call(api, "POST", "/crm/v3/objects/contacts", "{\"properties\":{\"email\":\"grace@cobol.dev\"}}").body().path("id").asString();
            deal = call(api, "POST", "/crm/v3/objects/deals", "{\"properties\":{\"dealname\":\"Analytical\"},\"associations\":[{\"to\":{\"id\":\""
                    + contact + "\"},\"types\":[{\"associationCategory\":\"HUBSPOT_DEFINED\",\"associationTypeId\":3}]}]}").body().path("id").asString();
            note = call(api, "POST", "/crm/v3/objects/notes", "{\"properties\":{\"hs_note_body\":\"Hi\"},\"associations\":["
                    + "{\"to\":{\"id\":\"" + contact + "\"},\"types\":[{\"associationCategory\":\"HUBSPOT_DEFINED\",\"associationTypeId\":202}]},"
                    + "{\"to\":{\"id\":\"" + deal + "\"},\"types\":[{\"associationCategory\":\"HUBSPOT_DEFINED\",\"associationTypeId\":214}]}]}")
                    .body().path("id").asString();

            Answer deleted = call(api, "POST", "/crm/v3/objects/contacts/gdpr-delete", "{\"idProperty\":\"email\",\"objectId\":\"ada@analytical.io\"}");

            assertThat(deleted.status()).isEqualTo(204);
            assertThat(deleted.body()).isNull();
            assertThat(call(api, "GET", "/crm/v3/objects/contacts/" + contact, null).status()).isEqualTo(404);
            assertThat(call(api, "GET", "/crm/v3/objects/contacts/ada@analytical.io?idProperty=email", null).status()).isEqualTo(404);
            assertThat(call(api, "POST", "/crm/v3/objects/contacts/search", "{\"filterGroups\":[{\"filters\":[{\"propertyName\":\"email\","
                    + "\"operator\":\"EQ\",\"value\":\"ada@analytical.io\"}]}]}").body().path("total").asInt()).isZero();
            // no restore: a deleted id is unknown to every later call
            assertThat(call(api, "POST", "/crm/v3/objects/contacts/gdpr-delete", "{\"objectId\":\"" + contact + "\"}").status()).isEqualTo(404);
            // an email HubSpot does not hold is blocklisted, as documented, and answered like a deletion
            assertThat(call(api, "POST", "/crm/v3/objects/contacts/gdpr-delete", "{\"idProperty\":\"email\",\"objectId\":\"ada@analytical.io\"}")
                    .status()).isEqualTo(204);
            // by id, another contact
            assertThat(call(api, "POST", "/crm/v3/objects/contacts/gdpr-delete", "{\"objectId\":\"" + other + "\"}").status()).isEqualTo(204);
            assertThat(call(api, "GET", "/crm/v3/objects/contacts/" + other, null).status()).isEqualTo(404);
            // the contact's activities and the business's deal stay, without it
            assertThat(call(api, "GET", "/crm/v4/objects/notes/" + note + "/associations/contacts", null).body().path("results")).isEmpty();
            assertThat(call(api, "GET", "/crm/v4/objects/deals/" + deal + "/associations/contacts", null).body().path("results")).isEmpty();
            assertThat(call(api, "GET", "/crm/v4/objects/notes/" + note + "/associations/deals", null).body().path("results")).hasSize(1);
            // and no file of the sandbox keeps the deleted contact: a permanent delete compacts the journal at once
            assertThat(filesText()).doesNotContainIgnoringCase("ada@analytical.io").doesNotContain("grace@cobol.dev").contains("Analytical");
        }

        HubSpotSandbox restarted = new HubSpotSandbox(HubSpotSandboxSettings.defaults(), Clock.systemUTC());
        restarted.persistTo(new SandboxStore(dir.resolve("hubspot.json")));

        assertThat(restarted.object("contacts", contact)).isEmpty();
        assertThat(restarted.objectsWith("contacts", "email", "ada@analytical.io")).isEmpty();
        assertThat(restarted.associated("deals", deal, "contacts")).isEmpty();
        assertThat(restarted.object("notes", note)).isPresent();
        // a person who comes back through the API is a new contact
        assertThat(restarted.create("contacts", Map.of("email", "ada@analytical.io"))).isNotEqualTo(contact);
    }

    /** The sandbox's snapshot and journal, as on disk. */
    private String filesText() {
        try {
            return Files.readString(dir.resolve("hubspot.json")) + Files.readString(dir.resolve("hubspot.json.journal"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void aRequestWithoutObjectIdIsRefusedAsHubSpotRefusesInvalidInput() {
        HubSpotSandbox hubspot = new HubSpotSandbox(HubSpotSandboxSettings.defaults(), Clock.systemUTC());
        try (HubSpotSandboxServer server = HubSpotSandboxServer.start(hubspot)) {
            Answer refused = call(server.baseUrl(), "POST", "/crm/v3/objects/contacts/gdpr-delete", "{\"idProperty\":\"email\"}");

            assertThat(refused.status()).isEqualTo(400);
            assertThat(refused.body().path("category").asString()).isEqualTo("VALIDATION_ERROR");
            assertThat(refused.body().path("message").asString()).contains("objectId");
        }
    }

    record Answer(int status, JsonNode body) {
    }

    private static Answer call(String api, String method, String path, String body) {
        HttpResponse<String> response = JsonRequests.send(http, api + path, method, "Bearer pat-test", body);
        return new Answer(response.statusCode(), response.body().isEmpty() ? null : Answers.JSON.readTree(response.body()));
    }
}
