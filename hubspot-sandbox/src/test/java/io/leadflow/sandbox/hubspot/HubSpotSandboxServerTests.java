package io.leadflow.sandbox.hubspot;

import io.leadflow.testing.JsonRequests;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The sandbox as a process of its own: its arguments, its environment and its data directory. */
class HubSpotSandboxServerTests {

    static final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    @Test
    void listensOnTheGivenPortAndASecondRunOnTheDataDirectoryHasWhatTheFirstAnswered() throws Exception {
        HubSpotSandboxServer first = HubSpotSandboxServer.run(new String[] {"--server.port=0", "--data-dir=" + dir}, Map.of());
        HubSpotSandboxServer second = null;
        try {
            HttpResponse<String> created = send(first.baseUrl() + "/crm/v3/objects/contacts", "POST",
                    "{\"properties\":{\"email\":\"ada@analytical.io\"}}", "Bearer pat-any");
            assertThat(created.statusCode()).isEqualTo(201);

            // the first one never stopped cleanly: as after a SIGKILL, only what it journalled counts
            second = HubSpotSandboxServer.run(new String[] {"--server.port=0"}, Map.of(HubSpotSandboxServer.DATA_DIR, dir.toString()));
            HttpResponse<String> found = send(second.baseUrl() + "/crm/v3/objects/contacts/ada@analytical.io?idProperty=email", "GET",
                    null, "Bearer pat-any");

            assertThat(found.statusCode()).as(found.body()).isEqualTo(200);
            assertThat(Answers.JSON.readTree(found.body()).path("id").asString())
                    .isEqualTo(Answers.JSON.readTree(created.body()).path("id").asString());
            assertThat(second.baseUrl()).isNotEqualTo(first.baseUrl());
        } finally {
            if (second != null) {
                second.close();
            }
            first.close();
        }
    }

    @Test
    void takesTheAdminAndApiTokensFromTheEnvironment() throws Exception {
        try (HubSpotSandboxServer server = HubSpotSandboxServer.run(new String[] {"--server.port=0", "--server.address=127.0.0.1"},
                Map.of("LEADFLOW_ADMIN_TOKEN", "admin-secret", "LEADFLOW_HUBSPOT_SANDBOX_TOKEN", "pat-the-one"))) {
            String faults = server.baseUrl() + "/faults";

            assertThat(send(faults, "PUT", "{\"latencyMs\":1}", null).statusCode()).isEqualTo(401);
            assertThat(send(faults, "PUT", "{\"latencyMs\":1}", "Bearer admin-secret").statusCode()).isEqualTo(200);
            assertThat(send(server.baseUrl() + "/crm/v3/pipelines/deals", "GET", null, "Bearer pat-other").statusCode()).isEqualTo(401);
            assertThat(send(server.baseUrl() + "/crm/v3/pipelines/deals", "GET", null, "Bearer pat-the-one").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void takesItsDealPipelinesFromAPipelinesFileAndRefusesDealsInOthers() throws Exception {
        Path file = dir.resolve("pipelines.json");
        Files.writeString(file, """
                [{"id":"hands-on","label":"Hands-on","stages":[
                  {"id":"hands-on-qualified","label":"Qualified","probability":"0.5","closed":false},
                  {"id":"hands-on-closed-won","label":"Closed won","probability":"1.0","closed":true}]}]""");
        try (HubSpotSandboxServer server = HubSpotSandboxServer.run(new String[] {"--server.port=0", "--pipelines=" + file}, Map.of())) {
            String deals = server.baseUrl() + "/crm/v3/objects/deals";

            HttpResponse<String> inHandsOn = send(deals, "POST",
                    "{\"properties\":{\"dealname\":\"A\",\"pipeline\":\"hands-on\",\"dealstage\":\"hands-on-qualified\"}}", "Bearer pat-any");
            HttpResponse<String> inDefault = send(deals, "POST",
                    "{\"properties\":{\"dealname\":\"B\",\"pipeline\":\"default\",\"dealstage\":\"appointmentscheduled\"}}", "Bearer pat-any");

            assertThat(inHandsOn.statusCode()).as(inHandsOn.body()).isEqualTo(201);
            assertThat(inDefault.statusCode()).as(inDefault.body()).isEqualTo(400);
            assertThat(send(server.baseUrl() + "/crm/v3/pipelines/deals", "GET", null, "Bearer pat-any").body())
                    .contains("hands-on-closed-won").doesNotContain("appointmentscheduled");
        }
    }

    @Test
    void refusesAPipelinesFileWithoutStageIds() throws Exception {
        Path file = dir.resolve("pipelines.json");
        Files.writeString(file, "[{\"id\":\"hands-on\",\"label\":\"Hands-on\",\"stages\":[{\"label\":\"Qualified\"}]}]");

        assertThatThrownBy(() -> HubSpotSandboxServer.run(new String[] {"--server.port=0", "--pipelines=" + file}, Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--pipelines");
    }

    @Test
    void refusesArgumentsItDoesNotKnow() {
        assertThatThrownBy(() -> HubSpotSandboxServer.run(new String[] {"--port=8091"}, Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--port=8091");
        assertThatThrownBy(() -> HubSpotSandboxServer.run(new String[] {"--server.port=eighty"}, Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--server.port");
    }

    private static HttpResponse<String> send(String url, String method, String body, String authorization) {
        return JsonRequests.send(http, url, method, authorization, body);
    }
}
