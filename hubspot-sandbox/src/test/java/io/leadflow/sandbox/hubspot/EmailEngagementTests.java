package io.leadflow.sandbox.hubspot;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static io.leadflow.sandbox.hubspot.HubSpotSandboxTests.Answer;
import static org.assertj.core.api.Assertions.assertThat;

/** Logging a sent email on a contact, as HubSpot's emails API takes it. */
class EmailEngagementTests {

    @BeforeAll
    static void start() {
        HubSpotSandboxTests.start();
    }

    @AfterAll
    static void stop() {
        HubSpotSandboxTests.stop();
    }

    @Test
    void anEmailLoggedWithItsContactIsOnTheContactsTimeline() {
        HubSpotSandboxTests.hubspot.reset();
        String contact = HubSpotSandboxTests.post("/crm/v3/objects/contacts", "{\"properties\":{\"email\":\"jane@acme.com\"}}").body().path("id").asString();

        Answer logged = HubSpotSandboxTests.post("/crm/v3/objects/emails", """
                {"properties":{"hs_timestamp":"2026-01-05T10:00:00Z","hs_email_direction":"EMAIL","hs_email_status":"SENT",
                 "hs_email_subject":"Hi","hs_email_text":"Hello",
                 "hs_email_headers":"{\\"from\\":{\\"email\\":\\"cameron@example.com\\"},\\"to\\":[{\\"email\\":\\"jane@acme.com\\"}],\\"cc\\":[],\\"bcc\\":[]}"},
                 "associations":[{"to":{"id":"%s"},"types":[{"associationCategory":"HUBSPOT_DEFINED","associationTypeId":198}]}]}"""
                .formatted(contact));

        assertThat(logged.status()).isEqualTo(201);
        assertThat(logged.body().path("properties").path("hs_email_status").asString()).isEqualTo("SENT");
        JsonNode ofContact = HubSpotSandboxTests.get("/crm/v4/objects/contacts/" + contact + "/associations/emails").body();
        assertThat(ofContact.path("results").get(0).path("toObjectId").asString()).isEqualTo(logged.body().path("id").asString());
    }

    @Test
    void anEmailWithoutATimestampOrWithAnUnknownStatusIsRefused() {
        Answer noTimestamp = HubSpotSandboxTests.post("/crm/v3/objects/emails", "{\"properties\":{\"hs_email_status\":\"SENT\"}}");
        Answer badStatus = HubSpotSandboxTests.post("/crm/v3/objects/emails",
                "{\"properties\":{\"hs_timestamp\":\"2026-01-05T10:00:00Z\",\"hs_email_status\":\"DELIVERED\"}}");

        assertThat(noTimestamp.status()).isEqualTo(400);
        assertThat(noTimestamp.body().path("message").asString()).contains("hs_timestamp");
        assertThat(badStatus.status()).isEqualTo(400);
        assertThat(badStatus.body().path("message").asString()).contains("DELIVERED").contains("hs_email_status");
    }
}
