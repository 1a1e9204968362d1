package io.leadflow.crm.system;

import io.leadflow.crm.SpringTests;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/** The set-up endpoints change the HubSpot account: listening on every interface, they need the admin token. */
class SetupAccessTests extends SpringTests {

    static final JsonMapper JSON = JsonMapper.builder().build();

    @LocalServerPort
    int port;

    final HttpClient http = HttpClient.newHttpClient();

    @Test
    void theSetUpEndpointsAnswer401ProblemsWithoutTheAdminTokenAndWorkWithIt() throws Exception {
        for (String authorization : new String[] {null, "Bearer not-" + ADMIN_TOKEN}) {
            for (HttpRequest.Builder call : new HttpRequest.Builder[] {get("/crm/setup"), post("/crm/setup/properties")}) {
                if (authorization != null) {
                    call.header("Authorization", authorization);
                }
                HttpResponse<String> response = http.send(call.build(), HttpResponse.BodyHandlers.ofString());

                assertThat(response.statusCode()).as(response.body()).isEqualTo(401);
                assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
                assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"leadflow\"");
                assertThat(JSON.readTree(response.body()).path("field").asString()).isEqualTo("Authorization");
            }
        }

        HttpResponse<String> allowed = http.send(get("/crm/setup").header("Authorization", "Bearer " + ADMIN_TOKEN).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(allowed.statusCode()).as(allowed.body()).isEqualTo(200);
        JsonNode check = JSON.readTree(allowed.body());
        assertThat(check.path("problems").isArray()).isTrue();
        assertThat(http.send(HttpRequest.newBuilder(uri("/actuator/health")).build(), HttpResponse.BodyHandlers.ofString()).statusCode())
                .as("health stays open").isNotEqualTo(401);
    }

    HttpRequest.Builder get(String path) {
        return HttpRequest.newBuilder(uri(path)).GET();
    }

    HttpRequest.Builder post(String path) {
        return HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.noBody());
    }

    URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }
}
