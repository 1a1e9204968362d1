package io.leadflow.notifier.slack;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.leadflow.notifier.SlackStub;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.time.Instant;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SlackClientTests {

    @RegisterExtension
    static WireMockExtension slack = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private final SlackClient client = SlackClient.create(RestClient.builder(), slack.baseUrl(), SlackStub.TOKEN,
            Duration.ofSeconds(1), Duration.ofSeconds(2));

    @Test
    void postsJsonWithTheBotTokenAsBearerAndReturnsChannelAndTs() {
        slack.stubFor(post(urlPathEqualTo("/chat.postMessage"))
                .willReturn(okJson("{\"ok\":true,\"channel\":\"D024BE91L\",\"ts\":\"1503435956.000247\"}")));

        SlackPost post = client.postMessage(message("U02QULW4MDZ"));

        assertThat(post).isEqualTo(new SlackPost("D024BE91L", "1503435956.000247"));
        slack.verify(postRequestedFor(urlPathEqualTo("/chat.postMessage"))
                .withHeader("Authorization", equalTo("Bearer " + SlackStub.TOKEN))
                .withHeader("Content-Type", matching("application/json;\\s*charset=(?i)utf-8"))
                .withRequestBody(equalToJson("{\"channel\":\"U02QULW4MDZ\",\"text\":\"hello\"}")));
    }

    @ParameterizedTest
    @CsvSource({
            "ratelimited, RATE_LIMITED",
            "service_unavailable, RETRYABLE",
            "internal_error, UNCERTAIN",
            "fatal_error, UNCERTAIN",
            "channel_not_found, PERMANENT",
            "not_in_channel, PERMANENT",
            "invalid_auth, PERMANENT",
            "invalid_blocks, PERMANENT",
            "is_archived, PERMANENT",
            "something_new, PERMANENT"})
    void treatsOkFalseAsAnErrorOfItsClass(String error, SlackErrorClass expected) {
        slack.stubFor(post(urlPathEqualTo("/chat.postMessage"))
                .willReturn(okJson("{\"ok\":false,\"error\":\"" + error + "\"}")));

        assertThatThrownBy(() -> client.postMessage(message("C1")))
                .isInstanceOfSatisfying(SlackApiException.class, e -> {
                    assertThat(e.error()).isEqualTo(error);
                    assertThat(e.errorClass()).isEqualTo(expected);
                    assertThat(e.getMessage()).doesNotContain(SlackStub.TOKEN);
                });
    }

    @Test
    void readsRetryAfterFromA429() {
        slack.stubFor(post(urlPathEqualTo("/chat.postMessage"))
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "2")));

        assertThatThrownBy(() -> client.postMessage(message("C1")))
                .isInstanceOfSatisfying(SlackApiException.class, e -> {
                    assertThat(e.isRateLimited()).isTrue();
                    assertThat(e.retryAfter()).contains(Duration.ofSeconds(2));
                });
    }

    @Test
    void treatsA5xxAndATimeoutAsUncertain() {
        slack.stubFor(post(urlPathEqualTo("/chat.postMessage")).willReturn(aResponse().withStatus(503)));
        assertThatThrownBy(() -> client.postMessage(message("C1")))
                .isInstanceOfSatisfying(SlackApiException.class, e -> assertThat(e.errorClass()).isEqualTo(SlackErrorClass.UNCERTAIN));

        slack.stubFor(post(urlPathEqualTo("/chat.postMessage")).willReturn(okJson("{\"ok\":true}").withFixedDelay(3000)));
        assertThatThrownBy(() -> client.postMessage(message("C1")))
                .isInstanceOfSatisfying(SlackApiException.class, e -> {
                    assertThat(e.error()).isEqualTo("io_error");
                    assertThat(e.errorClass()).isEqualTo(SlackErrorClass.UNCERTAIN);
                });
    }

    @Test
    void findsAnAlertByItsMessageMetadataAcrossPages() {
        slack.stubFor(get(urlPathEqualTo("/conversations.history")).withQueryParam("cursor", equalTo("page2"))
                .willReturn(okJson("""
                        {"ok": true, "has_more": false, "messages": [
                          {"type": "message", "ts": "1767621800.000200", "text": "New lead",
                           "metadata": {"event_type": "leadflow_alert", "event_payload": {"alertId": "NEW_LEAD:42"}}}]}""")));
        slack.stubFor(get(urlPathEqualTo("/conversations.history")).atPriority(10)
                .willReturn(okJson("""
                        {"ok": true, "has_more": true, "response_metadata": {"next_cursor": "page2"}, "messages": [
                          {"type": "message", "ts": "1767621900.000100", "text": "Someone else",
                           "metadata": {"event_type": "leadflow_alert", "event_payload": {"alertId": "NEW_LEAD:41"}}},
                          {"type": "message", "ts": "1767621850.000100", "text": "no metadata"}]}""")));

        var ts = client.findAlertMessage("C1", "NEW_LEAD:42", Instant.parse("2026-01-05T14:00:00Z"), 100, 3);

        assertThat(ts).contains("1767621800.000200");
        slack.verify(getRequestedFor(urlPathEqualTo("/conversations.history"))
                .withQueryParam("channel", equalTo("C1"))
                .withQueryParam("oldest", equalTo("1767621600.000000"))
                .withQueryParam("include_all_metadata", equalTo("true"))
                .withQueryParam("limit", equalTo("100"))
                .withHeader("Authorization", equalTo("Bearer " + SlackStub.TOKEN)));
    }

    @Test
    void opensTheDirectMessageOfAUser() {
        slack.stubFor(post(urlPathEqualTo("/conversations.open")).withRequestBody(equalToJson("{\"users\":\"U02QULW4MDZ\"}"))
                .willReturn(okJson("{\"ok\":true,\"channel\":{\"id\":\"D069C7QFK\"}}")));

        assertThat(client.openDirectMessage("U02QULW4MDZ")).isEqualTo("D069C7QFK");
    }

    private static ObjectNode message(String channel) {
        return JsonNodeFactory.instance.objectNode().put("channel", channel).put("text", "hello");
    }

    @Test
    void findsEveryAlertADigestListsAcrossHistoryPages() {
        slack.stubFor(get(urlPathEqualTo("/conversations.history")).withQueryParam("cursor", equalTo("page2"))
                .willReturn(okJson("""
                        {"ok": true, "has_more": false, "messages": [
                          {"type": "message", "ts": "1767621700.000100",
                           "metadata": {"event_type": "leadflow_alert", "event_payload": {"alertId": "NEW_LEAD:old", "kind": "NEW_LEAD"}}}]}""")));
        slack.stubFor(get(urlPathEqualTo("/conversations.history")).atPriority(10)
                .willReturn(okJson("""
                        {"ok": true, "has_more": true, "response_metadata": {"next_cursor": "page2"}, "messages": [
                          {"type": "message", "ts": "1767621735.000100",
                           "metadata": {"event_type": "leadflow_alert", "event_payload": {"alertId": "NEW_LEAD:c", "kind": "NEW_LEAD",
                             "count": 2, "alerts": [{"alertId": "NEW_LEAD:c"}, {"alertId": "NEW_LEAD:b"}]}}},
                          {"type": "message", "ts": "1767621734.000100",
                           "metadata": {"event_type": "someone_else", "event_payload": {"alertId": "NEW_LEAD:a"}}}]}""")));

        var found = client.findAlertMessages("C0LEADS", java.util.Set.of("NEW_LEAD:a", "NEW_LEAD:b", "NEW_LEAD:c", "NEW_LEAD:old"),
                Instant.parse("2026-01-05T14:00:00Z"), 100, 3);

        assertThat(found).containsOnly(java.util.Map.entry("NEW_LEAD:b", "1767621735.000100"),
                java.util.Map.entry("NEW_LEAD:c", "1767621735.000100"), java.util.Map.entry("NEW_LEAD:old", "1767621700.000100"));
        slack.verify(2, getRequestedFor(urlPathEqualTo("/conversations.history")));
    }
}
