package io.leadflow.notifier.slack;

import io.leadflow.notifier.SandboxSlack;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The Web API client against the Slack sandbox, which answers as Slack does and fails as Slack fails. */
class SlackClientTests {

    static final SandboxSlack slack = SandboxSlack.start();

    private final SlackClient client = SlackClient.create(RestClient.builder(), slack.baseUrl(), SandboxSlack.TOKEN,
            Duration.ofSeconds(1), Duration.ofSeconds(2));

    @BeforeEach
    void emptyWorkspace() {
        slack.reset();
    }

    @AfterAll
    static void stop() {
        slack.close();
    }

    @Test
    void postsJsonWithTheBotTokenAsBearerAndReturnsChannelAndTs() {
        SlackPost post = client.postMessage(message("U02QULW4MDZ"));

        // a user id posts to the user's DM, whose id Slack answers
        assertThat(post.channel()).isEqualTo("D02QULW4MDZ");
        assertThat(slack.posts()).singleElement().satisfies(call -> {
            assertThat(call.ok()).as("the sandbox accepts only the bot token").isTrue();
            assertThat(call.bearer()).isTrue();
            assertThat(call.call().contentType()).matches("application/json;\\s*charset=(?i)utf-8");
            assertThat(call.body()).isEqualTo(message("U02QULW4MDZ"));
            assertThat(post.ts()).isEqualTo(call.answeredTs());
        });
        assertThat(slack.message("D02QULW4MDZ", post.ts()).path("text").asString()).isEqualTo("hello");
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
        slack.faults().on("chat.postMessage").answer(error);

        assertThatThrownBy(() -> client.postMessage(message("C1")))
                .isInstanceOfSatisfying(SlackApiException.class, e -> {
                    assertThat(e.error()).isEqualTo(error);
                    assertThat(e.errorClass()).isEqualTo(expected);
                    assertThat(e.getMessage()).doesNotContain(SandboxSlack.TOKEN);
                });
    }

    @Test
    void readsRetryAfterFromA429() {
        slack.faults().on("chat.postMessage").rateLimited(2);

        assertThatThrownBy(() -> client.postMessage(message("C1")))
                .isInstanceOfSatisfying(SlackApiException.class, e -> {
                    assertThat(e.isRateLimited()).isTrue();
                    assertThat(e.retryAfter()).contains(Duration.ofSeconds(2));
                });
    }

    @Test
    void treatsA5xxAndATimeoutAsUncertain() {
        slack.faults().on("chat.postMessage").once().status(503);
        assertThatThrownBy(() -> client.postMessage(message("C1")))
                .isInstanceOfSatisfying(SlackApiException.class, e -> assertThat(e.errorClass()).isEqualTo(SlackErrorClass.UNCERTAIN));

        slack.faults().on("chat.postMessage").once().delay(Duration.ofSeconds(3));
        assertThatThrownBy(() -> client.postMessage(message("C1")))
                .isInstanceOfSatisfying(SlackApiException.class, e -> {
                    assertThat(e.error()).isEqualTo("io_error");
                    assertThat(e.errorClass()).isEqualTo(SlackErrorClass.UNCERTAIN);
                });
    }

    @Test
    void findsAnAlertByItsMessageMetadataAcrossPages() {
        String wanted = slack.postedEarlier("C1", "New lead", "leadflow_alert", "NEW_LEAD:42");
        slack.postedEarlier("C1", "Someone else", "leadflow_alert", "NEW_LEAD:41");
        slack.sandbox().seed(JsonNodeFactory.instance.objectNode().put("channel", "C1").put("text", "no metadata"));

        var ts = client.findAlertMessage("C1", "NEW_LEAD:42", Instant.parse("2026-01-05T14:00:00Z"), 2, 3);

        assertThat(ts).contains(wanted);
        assertThat(slack.historyReads()).hasSize(2).allSatisfy(read -> {
            assertThat(read.ok()).isTrue();
            assertThat(read.bearer()).isTrue();
            assertThat(read.call().httpMethod()).isEqualTo("GET");
            assertThat(read.channel()).isEqualTo("C1");
            assertThat(read.body().path("oldest").asString()).isEqualTo("1767621600.000000");
            assertThat(read.body().path("include_all_metadata").asString()).isEqualTo("true");
            assertThat(read.body().path("limit").asString()).isEqualTo("2");
        });
        assertThat(slack.historyReads().get(1).body().path("cursor").asString("")).isNotBlank();
    }

    @Test
    void opensTheDirectMessageOfAUser() {
        assertThat(client.openDirectMessage("U02QULW4MDZ")).isEqualTo("D02QULW4MDZ");
        assertThat(slack.calls("conversations.open")).singleElement()
                .satisfies(call -> assertThat(call.body()).isEqualTo(JsonNodeFactory.instance.objectNode().put("users", "U02QULW4MDZ")));
    }

    private static ObjectNode message(String channel) {
        return JsonNodeFactory.instance.objectNode().put("channel", channel).put("text", "hello");
    }

    @Test
    void findsEveryAlertADigestListsAcrossHistoryPages() {
        String old = slack.postedEarlier("C0LEADS", "New lead", "leadflow_alert", "NEW_LEAD:old");
        String digest = slack.postedEarlier("C0LEADS", "2 new leads", "leadflow_alert", "NEW_LEAD:c", "NEW_LEAD:b");
        slack.postedEarlier("C0LEADS", "Not ours", "someone_else", "NEW_LEAD:a");

        var found = client.findAlertMessages("C0LEADS", Set.of("NEW_LEAD:a", "NEW_LEAD:b", "NEW_LEAD:c", "NEW_LEAD:old"),
                Instant.parse("2026-01-05T14:00:00Z"), 2, 3);

        assertThat(found).containsOnly(Map.entry("NEW_LEAD:b", digest), Map.entry("NEW_LEAD:c", digest), Map.entry("NEW_LEAD:old", old));
        assertThat(slack.historyReads()).hasSize(2);
    }

    @Test
    void deletesTheBotsOwnMessageAndSaysWhyWhenItCannot() {
        SlackPost post = client.postMessage(message("C0DELETE01"));
        SlackPost other = client.postMessage(message("C0DELETE01"));

        client.delete(post.channel(), post.ts());

        assertThat(slack.messages()).extracting(m -> m.path("ts").asString()).containsExactly(other.ts());
        assertThatThrownBy(() -> client.delete(post.channel(), post.ts())).isInstanceOfSatisfying(SlackApiException.class,
                e -> assertThat(e.error()).isEqualTo("message_not_found"));
    }
}
