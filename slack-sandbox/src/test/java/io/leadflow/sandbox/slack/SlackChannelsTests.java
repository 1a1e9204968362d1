package io.leadflow.sandbox.slack;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Channels as Slack's conversations methods make them: create, invite members, invite a customer through Slack Connect. */
class SlackChannelsTests {

    static final Map<String, String> USERS = Map.of("U00SIMON001", "simon@example.com", "U00CAMERON1", "cameron@example.com",
            "U00SE00001", "se@example.com");

    final SlackSandbox slack = new SlackSandbox(Clock.fixed(Instant.parse("2026-01-05T10:00:00Z"), ZoneOffset.UTC), 3, 100, USERS);

    SlackSandbox.Answer call(String method, String json) {
        return call(slack, method, json);
    }

    static SlackSandbox.Answer call(SlackSandbox slack, String method, String json) {
        return slack.handle("POST", method, "Bearer xoxb-test", (ObjectNode) SlackSandbox.JSON.readTree(json));
    }

    static String error(SlackSandbox.Answer answer) {
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body().path("ok").asBoolean(true)).isFalse();
        return answer.body().path("error").asString();
    }

    String create(String name) {
        SlackSandbox.Answer created = call("conversations.create", "{\"name\":\"" + name + "\"}");
        assertThat(created.body().path("ok").asBoolean()).as(created.body().toString()).isTrue();
        return created.body().path("channel").path("id").asString();
    }

    @Test
    void createsAPublicChannelTheBotIsInAndRefusesItsNameASecondTime() {
        SlackSandbox.Answer created = call("conversations.create", "{\"name\":\"ext-acme\"}");

        JsonNode channel = created.body().path("channel");
        assertThat(channel.path("id").asString()).startsWith("C");
        assertThat(channel.path("name").asString()).isEqualTo("ext-acme");
        assertThat(channel.path("is_channel").asBoolean()).isTrue();
        assertThat(channel.path("is_private").asBoolean()).isFalse();
        assertThat(channel.path("creator").asString()).isEqualTo("U0LEADFLOW");
        assertThat(channel.has("members")).as("Slack's conversation object has no member list").isFalse();
        assertThat(slack.channels().get(0).path("members").get(0).asString()).isEqualTo("U0LEADFLOW");
        assertThat(error(call("conversations.create", "{\"name\":\"ext-acme\"}"))).isEqualTo("name_taken");
        assertThat(slack.channels()).hasSize(1);
    }

    @Test
    void validatesTheNameAsSlackDoes() {
        assertThat(error(call("conversations.create", "{\"name\":\"\"}"))).isEqualTo("invalid_name_required");
        assertThat(error(call("conversations.create", "{\"name\":\"" + "a".repeat(81) + "\"}"))).isEqualTo("invalid_name_maxlength");
        assertThat(error(call("conversations.create", "{\"name\":\"Acme\"}"))).isEqualTo("invalid_name_specials");
        assertThat(error(call("conversations.create", "{\"name\":\"acme inc\"}"))).isEqualTo("invalid_name_specials");
        assertThat(error(call("conversations.create", "{\"name\":\"-_-\"}"))).isEqualTo("invalid_name_punctuation");
        assertThat(call("conversations.create", "{\"name\":\"" + "a".repeat(80) + "\"}").body().path("ok").asBoolean()).isTrue();
        assertThat(slack.channels()).hasSize(1);
    }

    @Test
    void invitesMembersAndSaysWhoCouldNotBe() {
        String channel = create("ext-acme");

        SlackSandbox.Answer invited = call("conversations.invite", "{\"channel\":\"" + channel + "\",\"users\":\"U00SIMON001,U00SE00001\"}");
        String again = error(call("conversations.invite", "{\"channel\":\"" + channel + "\",\"users\":\"U00SIMON001\"}"));
        SlackSandbox.Answer mixed = call("conversations.invite", "{\"channel\":\"" + channel + "\",\"users\":\"U00NOBODY01,U00CAMERON1\"}");

        assertThat(invited.body().path("ok").asBoolean()).isTrue();
        assertThat(invited.body().path("channel").path("num_members").asInt()).isEqualTo(3);
        assertThat(again).isEqualTo("already_in_channel");
        assertThat(error(mixed)).isEqualTo("user_not_found");
        assertThat(mixed.body().path("errors").get(0).path("user").asString()).isEqualTo("U00NOBODY01");
        assertThat(slack.channels().get(0).path("members")).extracting(JsonNode::asString)
                .containsExactly("U0LEADFLOW", "U00SIMON001", "U00SE00001");
        assertThat(error(call("conversations.invite", "{\"channel\":\"" + channel + "\",\"users\":\"U0LEADFLOW\"}"))).isEqualTo("cant_invite_self");
        assertThat(error(call("conversations.invite", "{\"channel\":\"" + channel + "\",\"users\":\"\"}"))).isEqualTo("no_user");
        assertThat(error(call("conversations.invite", "{\"channel\":\"C0NOSUCH\",\"users\":\"U00SIMON001\"}"))).isEqualTo("channel_not_found");
        SlackSandbox.Answer forced = call("conversations.invite", "{\"channel\":\"" + channel + "\",\"users\":\"U00NOBODY01,U00CAMERON1\",\"force\":true}");
        assertThat(forced.body().path("ok").asBoolean()).isTrue();
        assertThat(slack.channels().get(0).path("members")).extracting(JsonNode::asString).contains("U00CAMERON1");
    }

    @Test
    void invitesOneCustomerThroughSlackConnectByEmail() {
        String channel = create("ext-acme");

        SlackSandbox.Answer shared = call("conversations.inviteShared", "{\"channel\":\"" + channel + "\",\"emails\":[\"ada@acme.io\"],"
                + "\"external_limited\":false}");
        SlackSandbox.Answer formStyle = call("conversations.inviteShared", "{\"channel\":\"" + channel + "\",\"emails\":\"grace@acme.io\"}");

        assertThat(shared.body().path("ok").asBoolean()).isTrue();
        assertThat(shared.body().path("invite_id").asString()).startsWith("I");
        assertThat(shared.body().path("is_legacy_shared_channel").asBoolean(true)).isFalse();
        JsonNode invites = slack.channels().get(0).path("invites");
        assertThat(invites.get(0).path("email").asString()).isEqualTo("ada@acme.io");
        assertThat(invites.get(0).path("external_limited").asBoolean()).isFalse();
        assertThat(invites.get(1).path("email").asString()).isEqualTo("grace@acme.io");
        assertThat(invites.get(1).path("external_limited").asBoolean()).as("Slack's default").isTrue();
        assertThat(slack.channels().get(0).path("is_pending_ext_shared").asBoolean()).isTrue();
    }

    @Test
    void refusesASlackConnectInviteAsSlackDocumentsIt() {
        String channel = create("ext-acme");

        assertThat(error(call("conversations.inviteShared", "{\"channel\":\"" + channel + "\"}"))).isEqualTo("recipients_not_specified");
        assertThat(error(call("conversations.inviteShared", "{\"channel\":\"" + channel + "\",\"emails\":[\"a@acme.io\",\"b@acme.io\"]}")))
                .isEqualTo("too_many_emails");
        assertThat(error(call("conversations.inviteShared", "{\"channel\":\"" + channel + "\",\"emails\":[\"not-an-email\"]}")))
                .isEqualTo("invalid_email");
        assertThat(error(call("conversations.inviteShared", "{\"channel\":\"C0NOSUCH\",\"emails\":[\"a@acme.io\"]}")))
                .isEqualTo("channel_not_found");
        slack.slackConnect(false);
        assertThat(error(call("conversations.inviteShared", "{\"channel\":\"" + channel + "\",\"emails\":[\"a@acme.io\"]}")))
                .as("a free workspace has no Slack Connect").isEqualTo("not_paid");
        slack.faults().on("conversations.inviteShared").once().answer("not_allowed_token_type");
        slack.slackConnect(true);
        assertThat(error(call("conversations.inviteShared", "{\"channel\":\"" + channel + "\",\"emails\":[\"a@acme.io\"]}")))
                .isEqualTo("not_allowed_token_type");
        assertThat(slack.channels().get(0).path("invites")).isEmpty();
    }

    @Test
    void listsChannelsPageByPageAndPostsToOneByItsName() {
        for (int i = 0; i < 5; i++) {
            create("ext-" + i);
        }
        List<String> names = new ArrayList<>();
        String cursor = "";
        do {
            JsonNode page = call("conversations.list", "{\"types\":\"public_channel\",\"limit\":2,\"cursor\":\"" + cursor + "\"}").body();
            page.path("channels").forEach(c -> names.add(c.path("name").asString()));
            cursor = page.path("response_metadata").path("next_cursor").asString();
        } while (!cursor.isEmpty());
        SlackSandbox.Answer posted = call("chat.postMessage", "{\"channel\":\"#ext-3\",\"text\":\"Welcome\"}");

        assertThat(names).containsExactly("ext-0", "ext-1", "ext-2", "ext-3", "ext-4");
        assertThat(posted.body().path("channel").asString()).isEqualTo(slack.channels().get(3).path("id").asString());
    }

    @Test
    void aChannelItsMembersAndInvitesAreThereAfterACrash(@TempDir Path dir) {
        SlackSandbox crashed = new SlackSandbox(Clock.systemUTC(), 1_000, 100, USERS);
        crashed.persistIn(dir);
        String channel = call(crashed, "conversations.create", "{\"name\":\"ext-acme\"}").body().path("channel").path("id").asString();
        call(crashed, "conversations.invite", "{\"channel\":\"" + channel + "\",\"users\":\"U00SIMON001\"}");
        call(crashed, "conversations.inviteShared", "{\"channel\":\"" + channel + "\",\"emails\":[\"ada@acme.io\"]}");

        // no close(): killed; another sandbox starts on what is on disk
        SlackSandbox restarted = new SlackSandbox(Clock.systemUTC(), 1_000, 100, USERS);
        restarted.persistIn(dir);

        JsonNode kept = restarted.channels().get(0);
        assertThat(kept.path("id").asString()).isEqualTo(channel);
        assertThat(kept.path("members")).extracting(JsonNode::asString).containsExactly("U0LEADFLOW", "U00SIMON001");
        assertThat(kept.path("invites").get(0).path("email").asString()).isEqualTo("ada@acme.io");
        assertThat(error(call(restarted, "conversations.create", "{\"name\":\"ext-acme\"}"))).isEqualTo("name_taken");
        restarted.close();
    }
}
