package io.leadflow.localstack;

import io.leadflow.sandbox.slack.SlackSandbox;
import io.leadflow.testing.SlackSignatures;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The running stack wires the Slack sandbox's clicks to lead-intake: lead-intake gets a signing secret made up for
 * the run, the sandbox signs with that very secret, and a click in the console goes to lead-intake's interactivity URL.
 */
class SlackInteractivityTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void leadIntakeGetsTheSigningSecretTheSandboxSignsClicksWith() {
        LocalStack stack = RunningStack.get();

        String secret = stack.services().get(LocalStack.INTAKE).getEnvironment().getProperty(LocalStack.SLACK_SIGNING_SECRET);

        assertThat(secret).isNotBlank();
        assertThat(stack.slackInteractions().signature("1767621700", "payload=%7B%7D"))
                .isEqualTo(SlackSignatures.v0(secret.split(",")[0], "1767621700", "payload=%7B%7D"));
        assertThat(stack.slackInteractions().requestUrl().toString()).isEqualTo(stack.intakeUrl() + "/webhooks/slack/interactions");
    }

    @Test
    void aClickInTheConsoleIsSentToLeadIntakesInteractivityUrl() throws Exception {
        LocalStack stack = RunningStack.get();
        SlackSandbox.Answer posted = stack.slack().handle("POST", "chat.postMessage", "Bearer xoxb-any-bot-token",
                (ObjectNode) JSON.readTree("""
                        {"channel": "U00SIMON001", "text": "New lead: Click Co",
                         "blocks": [{"type": "actions", "elements": [{"type": "button", "action_id": "lead.accept",
                           "text": {"type": "plain_text", "text": "Accept"}, "value": "click-lead:1", "style": "primary"}]}]}"""));
        String channel = posted.body().path("channel").asString();
        String ts = posted.body().path("ts").asString();

        HttpResponse<String> clicked = HTTP.send(HttpRequest.newBuilder(URI.create(stack.consoleUrl() + "/api/slack/click"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"channel\":\"" + channel + "\",\"ts\":\"" + ts
                        + "\",\"actionId\":\"lead.accept\",\"user\":\"\"}")).build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> unknownButton = HTTP.send(HttpRequest.newBuilder(URI.create(stack.consoleUrl() + "/api/slack/click"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"channel\":\"" + channel + "\",\"ts\":\"" + ts
                        + "\",\"actionId\":\"lead.nope\"}")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(clicked.statusCode()).as(clicked.body()).isEqualTo(200);
        JsonNode answer = JSON.readTree(clicked.body());
        assertThat(answer.path("sentTo").asString()).isEqualTo(stack.intakeUrl() + "/webhooks/slack/interactions");
        assertThat(answer.path("user").asString()).as("the DM's rep clicks by default").isEqualTo("U00SIMON001");
        assertThat(answer.path("status").asInt()).as("lead-intake answered").isBetween(200, 599);
        assertThat(unknownButton.statusCode()).isEqualTo(400);
        assertThat(unknownButton.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
        assertThat(JSON.readTree(unknownButton.body()).path("field").asString()).isEqualTo("actionId");
    }
}
