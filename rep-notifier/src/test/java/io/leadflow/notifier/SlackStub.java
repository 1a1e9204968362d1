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

    public static void answerPostsWith(Stubbing slack, int status, String body) {
        slack.stubFor(post(urlPathEqualTo("/chat.postMessage")).atPriority(1)
                .willReturn(aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body)));
    }

    /** Posts received, oldest first. */
    public static List<Post> posts(Stubbing slack) {
        return slack.findAll(postRequestedFor(urlPathEqualTo("/chat.postMessage"))).stream()
                .sorted(Comparator.comparing(LoggedRequest::getLoggedDate))
                .map(r -> new Post(JSON.readTree(r.getBodyAsString()), r.getLoggedDate().toInstant(), r.getHeader("Authorization")))
                .toList();
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
