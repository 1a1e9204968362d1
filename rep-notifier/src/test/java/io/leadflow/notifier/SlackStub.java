package io.leadflow.notifier;

import com.github.tomakehurst.wiremock.junit.Stubbing;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

/** WireMock answering like Slack's Web API, and what it received. */
public final class SlackStub {

    public static final String TOKEN = "xoxb-test-0000000000-secret";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private SlackStub() {
    }

    /** {@code chat.postMessage} accepts everything, echoing the channel and giving each message a fresh ts. */
    public static void acceptPosts(Stubbing slack) {
        slack.stubFor(post(urlPathEqualTo("/chat.postMessage")).atPriority(10)
                .willReturn(okJson("""
                        {"ok": true, "channel": "{{jsonPath request.body '$.channel'}}",
                         "ts": "1767621732.{{randomValue length=6 type='NUMERIC'}}"}""")
                        .withTransformers("response-template")));
    }

    /** {@code chat.update} changes every message it is asked to, answering with its channel and ts. */
    public static void acceptUpdates(Stubbing slack) {
        slack.stubFor(post(urlPathEqualTo("/chat.update")).atPriority(10)
                .willReturn(okJson("""
                        {"ok": true, "channel": "{{jsonPath request.body '$.channel'}}", "ts": "{{jsonPath request.body '$.ts'}}",
                         "text": "updated"}""")
                        .withTransformers("response-template")));
    }

    /** {@code chat.postEphemeral} shows every message, answering with a fresh {@code message_ts}. */
    public static void acceptEphemerals(Stubbing slack) {
        slack.stubFor(post(urlPathEqualTo("/chat.postEphemeral")).atPriority(10)
                .willReturn(okJson("""
                        {"ok": true, "message_ts": "1767621799.{{randomValue length=6 type='NUMERIC'}}"}""")
                        .withTransformers("response-template")));
    }

    /** {@code chat.update} requests received, oldest first. */
    public static List<Post> updates(Stubbing slack) {
        return calls(slack, "/chat.update");
    }

    /** {@code chat.postEphemeral} requests received, oldest first. */
    public static List<Post> ephemerals(Stubbing slack) {
        return calls(slack, "/chat.postEphemeral");
    }

    private static List<Post> calls(Stubbing slack, String path) {
        return slack.findAll(postRequestedFor(urlPathEqualTo(path))).stream()
                .sorted(Comparator.comparing(LoggedRequest::getLoggedDate))
                .map(r -> new Post(JSON.readTree(r.getBodyAsString()), r.getLoggedDate().toInstant(), r.getHeader("Authorization")))
                .toList();
    }

    public static void answerPostsWith(Stubbing slack, int status, String body) {
        slack.stubFor(post(urlPathEqualTo("/chat.postMessage")).atPriority(1)
                .willReturn(aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body)));
    }

    /** Posts received, oldest first. */
    public static List<Post> posts(Stubbing slack) {
        return calls(slack, "/chat.postMessage");
    }

    public static List<Post> postsTo(Stubbing slack, String channel) {
        return posts(slack).stream().filter(p -> channel.equals(p.channel())).toList();
    }

    /** One {@code chat.postMessage} request as Slack received it. */
    public record Post(JsonNode body, Instant at, String authorization) {
        public String channel() {
            return body.path("channel").asString("");
        }

        public String alertId() {
            return body.path("metadata").path("event_payload").path("alertId").asString("");
        }

        /** Whether the message has a button with this {@code action_id}. */
        public boolean hasButton(String actionId) {
            for (JsonNode block : body.path("blocks")) {
                for (JsonNode element : block.path("elements")) {
                    if (actionId.equals(element.path("action_id").asString(null))) {
                        return true;
                    }
                }
            }
            return false;
        }

        /** Every alert the message carries: a digest's {@code alerts[].alertId}, in its order; else the one alert id. */
        public List<String> alertIds() {
            JsonNode listed = body.path("metadata").path("event_payload").path("alerts");
            if (!listed.isArray()) {
                return alertId().isEmpty() ? List.of() : List.of(alertId());
            }
            List<String> ids = new java.util.ArrayList<>();
            listed.forEach(entry -> ids.add(entry.path("alertId").asString("")));
            return ids;
        }

        public boolean isDigest() {
            return body.path("metadata").path("event_payload").path("alerts").isArray();
        }
    }
}
