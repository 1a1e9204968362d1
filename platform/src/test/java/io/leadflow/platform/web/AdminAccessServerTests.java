package io.leadflow.platform.web;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/** The admin-access filter on a real Tomcat, in each of its three modes. */
@ExtendWith(OutputCaptureExtension.class)
class AdminAccessServerTests {

    static final String TOKEN = "server-test-admin-token-0123456789";
    static final JsonMapper JSON = JsonMapper.builder().build();
    final HttpClient http = HttpClient.newHttpClient();

    @Test
    void beyondLoopbackWithATokenProtectedEndpointsAnswer401ProblemsWithoutItAnd200WithIt(CapturedOutput output) throws Exception {
        try (ConfigurableApplicationContext app = TestWebApplication.start("leadflow.admin.token=" + TOKEN,
                "leadflow.admin.protected-paths=/things/**")) {
            int port = TestWebApplication.port(app);

            assertUnauthorized(get(port, "/things/1", null), "Authorization: Bearer <LEADFLOW_ADMIN_TOKEN> is required");
            assertUnauthorized(get(port, "/things/1", "Bearer not-the-token"), "Authorization bearer token is not valid");
            assertUnauthorized(get(port, "/things/1", "Basic " + TOKEN), "Authorization: Bearer <LEADFLOW_ADMIN_TOKEN> is required");
            HttpResponse<String> allowed = get(port, "/things/1", "Bearer " + TOKEN);
            assertThat(allowed.statusCode()).isEqualTo(200);
            assertThat(JSON.readTree(allowed.body()).path("email").asString()).isEqualTo("ada@example.org");
            assertThat(get(port, "/actuator/health", null).statusCode()).isEqualTo(200);
            assertThat(get(port, "/actuator/prometheus", null).statusCode()).isEqualTo(200);
        }
        assertThat(output).contains("test-service's admin endpoints [/things/**] are token-protected").doesNotContain(TOKEN);
    }

    @Test
    void beyondLoopbackWithoutATokenProtectedEndpointsAreRefusedAndTheLogSaysWhy(CapturedOutput output) throws Exception {
        try (ConfigurableApplicationContext app = TestWebApplication.start()) {
            int port = TestWebApplication.port(app);

            JsonNode problem = assertUnauthorized(get(port, "/things/1", null), "LEADFLOW_ADMIN_TOKEN must be set");
            assertThat(problem.path("instance").asString()).isEqualTo("/things/1");
            assertUnauthorized(get(port, "/things/1", "Bearer anything"), "LEADFLOW_ADMIN_TOKEN must be set");
            assertThat(get(port, "/actuator/health", null).statusCode()).isEqualTo(200);
            assertThat(post(port, "/webhooks/test").statusCode()).as("signed webhooks stay open").isEqualTo(200);
        }
        assertThat(output).contains("test-service's admin endpoints [/**] except", "are REFUSED (401)", "LEADFLOW_ADMIN_TOKEN is not set");
    }

    @Test
    void onLoopbackWithoutATokenProtectedEndpointsAreOpen(CapturedOutput output) throws Exception {
        try (ConfigurableApplicationContext app = TestWebApplication.start("server.address=127.0.0.1")) {
            int port = TestWebApplication.port(app);

            assertThat(get(port, "/things/1", null).statusCode()).isEqualTo(200);
        }
        assertThat(output).contains("are OPEN without a token: listening on loopback only (127.0.0.1)");
    }

    @Test
    void onLoopbackAConfiguredTokenIsStillRequired() throws Exception {
        try (ConfigurableApplicationContext app = TestWebApplication.start("server.address=127.0.0.1", "leadflow.admin.token=" + TOKEN)) {
            int port = TestWebApplication.port(app);

            assertUnauthorized(get(port, "/things/1", null), "is required");
            assertThat(get(port, "/things/1", "Bearer " + TOKEN).statusCode()).isEqualTo(200);
        }
    }

    static JsonNode assertUnauthorized(HttpResponse<String> response, String detail) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(401);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"leadflow\"");
        JsonNode problem = JSON.readTree(response.body());
        assertThat(problem.path("status").asInt()).isEqualTo(401);
        assertThat(problem.path("title").asString()).isEqualTo("Unauthorized");
        assertThat(problem.path("field").asString()).isEqualTo("Authorization");
        assertThat(problem.path("detail").asString()).contains(detail);
        assertThat(response.body()).doesNotContain("ada@example.org");
        return problem;
    }

    HttpResponse<String> get(int port, String path, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
