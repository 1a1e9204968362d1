package io.leadflow.sandbox.slack;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The sandbox as its own process: its port, its data directory, its tokens. */
class SlackSandboxApplicationTests {

    final HttpClient http = HttpClient.newHttpClient();

    JsonNode post(String url, String authorization, String body) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", authorization)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        return SlackSandbox.JSON.readTree(response.body());
    }

    @Test
    void keepsItsWorkspaceInTheDataDirectoryFromTheEnvironment(@TempDir Path dir) throws Exception {
        Map<String, String> env = Map.of("LEADFLOW_SANDBOX_DATA_DIR", dir.toString(), "LEADFLOW_SLACK_SANDBOX_TOKEN", "xoxb-own");
        String ts;
        try (SlackSandboxApplication.Running first = SlackSandboxApplication.start(new String[] {"--server.port=0"}, env)) {
            assertThat(post(first.server().baseUrl() + "/chat.postMessage", "Bearer xoxb-other", "{\"channel\":\"C1\",\"text\":\"x\"}")
                    .path("error").asString()).isEqualTo("invalid_auth");
            ts = post(first.server().baseUrl() + "/chat.postMessage", "Bearer xoxb-own", "{\"channel\":\"C1\",\"text\":\"kept\"}")
                    .path("ts").asString();
        }

        try (SlackSandboxApplication.Running second = SlackSandboxApplication.start(
                new String[] {"--server.port=0", "--data-dir=" + dir}, Map.of())) {
            JsonNode history = post(second.server().baseUrl() + "/conversations.history", "Bearer xoxb-any", "{\"channel\":\"C1\"}");
            assertThat(history.path("messages")).singleElement().satisfies(m -> assertThat(m.path("ts").asString()).isEqualTo(ts));
        }
    }

    @Test
    void refusesWhatItCannotRunWithNamingTheOption(@TempDir Path dir) {
        Map<String, String> env = Map.of("LEADFLOW_SANDBOX_DATA_DIR", dir.toString());
        assertThatThrownBy(() -> SlackSandboxApplication.start(new String[] {"--server.port=eighty"}, env))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("--server.port:");
        assertThatThrownBy(() -> SlackSandboxApplication.start(new String[] {"--port=8086"}, env))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("--port:");
        assertThatThrownBy(() -> SlackSandboxApplication.start(new String[] {"--server.port=0", "--server.address=0.0.0.0"}, env))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("LEADFLOW_SLACK_SANDBOX_TOKEN:");
    }
}
