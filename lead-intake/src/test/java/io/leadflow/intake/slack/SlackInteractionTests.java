package io.leadflow.intake.slack;

import io.leadflow.avro.ActivityKind;
import io.leadflow.avro.LeadActivity;
import io.leadflow.intake.IntakeIntegrationTest;
import io.leadflow.schemas.LeadIds;
import io.leadflow.schemas.Topics;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.ObjectMapper;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** Accept and Pass clicks on lead alerts, posted and signed as Slack's interactivity does. */
class SlackInteractionTests extends IntakeIntegrationTest {

    @Autowired
    ObjectMapper json;

    private SlackRequests slack() {
        return new SlackRequests(webhooks());
    }

    private static String newLeadId() {
        return LeadIds.leadId("WEBSITE_FORM", "form-" + UUID.randomUUID());
    }

    /** A fresh action_ts near now, so every test's activity is its own. */
    private static String actionTs() {
        return Instant.now().getEpochSecond() + "." + String.format("%06d", ThreadLocalRandom.current().nextInt(1_000_000));
    }

    @Test
    void aSignedAcceptIsOnLeadsActivityWhenSlackGetsItsEmpty200() {
        String leadId = newLeadId();
        String ts = actionTs();

        HttpResponse<String> response = slack().post(SlackRequests.click("lead.accept", leadId + ":3", "U0CAMERON1", ts));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).isEmpty();
        List<LeadActivity> recorded = published().values(Topics.LEADS_ACTIVITY, leadId, LeadActivity.class);
        assertThat(recorded).as("acknowledged by Kafka before the answer").hasSize(1);
        LeadActivity accepted = recorded.get(0);
        assertThat(accepted.getKind()).isEqualTo(ActivityKind.ACCEPTED);
        assertThat(accepted.getActivityId()).isEqualTo("slack:" + ts + ":U0CAMERON1");
        assertThat(accepted.getLeadId()).isEqualTo(leadId);
        assertThat(accepted.getSource()).isEqualTo("slack");
        assertThat(accepted.getActorSlackUserId()).isEqualTo("U0CAMERON1");
        assertThat(accepted.getSlackChannel()).isEqualTo("D01ACC2E8S3");
        assertThat(accepted.getSlackMessageTs()).isEqualTo("1767607201.015400");
        assertThat(accepted.getDetail()).isEqualTo("decisionVersion=3");
        assertThat(accepted.getOccurredAt().toEpochMilli() / 1000).isEqualTo(Long.parseLong(ts.substring(0, ts.indexOf('.'))));
        assertThat(accepted.getHubspotContactId()).isNull();
        assertThat(accepted.getHubspotDealId()).isNull();
    }

    @Test
    void aPassSignedWithTheSecretBeingRotatedOutIsRecordedAsPassed() {
        String leadId = newLeadId();
        byte[] body = SlackRequests.form(SlackRequests.click("lead.pass", leadId + ":1", "U0SIMON001", actionTs()));

        HttpResponse<String> response = slack().post(body, SlackRequests.OLD_SIGNING_SECRET, Instant.now().getEpochSecond());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        LeadActivity passed = published().awaitValues(Topics.LEADS_ACTIVITY, leadId, LeadActivity.class).get(0);
        assertThat(passed.getKind()).isEqualTo(ActivityKind.PASSED);
        assertThat(passed.getActorSlackUserId()).isEqualTo("U0SIMON001");
        assertThat(passed.getDetail()).isEqualTo("decisionVersion=1");
    }

    @Test
    void forgedStaleAndUnsignedClicksAre401ProblemsAndRecordNothing() {
        byte[] body = SlackRequests.form(SlackRequests.click("lead.accept", newLeadId() + ":1", "U0MALLORY1", actionTs()));
        long now = Instant.now().getEpochSecond();
        long before = published().endOffsets(Topics.LEADS_ACTIVITY);

        HttpResponse<String> forged = slack().post(body, "not-the-signing-secret", now);
        // a minute beyond Slack's five on either side, so the second the server reads its clock in does not matter
        HttpResponse<String> stale = slack().post(body, SlackRequests.SIGNING_SECRET, now - 360);
        HttpResponse<String> early = slack().post(body, SlackRequests.SIGNING_SECRET, now + 360);
        HttpResponse<String> unsigned = webhooks().post(SlackRequests.PATH, SlackRequests.FORM, body);
        HttpResponse<String> noSignature = webhooks().post(SlackRequests.PATH, SlackRequests.FORM, body,
                "X-Slack-Request-Timestamp", Long.toString(now));
        HttpResponse<String> otherVersion = webhooks().post(SlackRequests.PATH, SlackRequests.FORM, body,
                "X-Slack-Request-Timestamp", Long.toString(now),
                "X-Slack-Signature", SlackRequests.signature(SlackRequests.SIGNING_SECRET, now, body).replace("v0=", "v1="));
        HttpResponse<String> tampered = webhooks().post(SlackRequests.PATH, SlackRequests.FORM,
                SlackRequests.form(SlackRequests.click("lead.accept", newLeadId() + ":1", "U0MALLORY1", actionTs())),
                "X-Slack-Request-Timestamp", Long.toString(now), "X-Slack-Signature", SlackRequests.signature(SlackRequests.SIGNING_SECRET, now, body));

        for (HttpResponse<String> refused : List.of(forged, stale, early, unsigned, noSignature, otherVersion, tampered)) {
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(401);
            assertThat(refused.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
        }
        assertThat(json.readTree(forged.body()).get("field").asString()).isEqualTo("X-Slack-Signature");
        assertThat(json.readTree(stale.body()).get("field").asString()).isEqualTo("X-Slack-Request-Timestamp");
        assertThat(json.readTree(early.body()).get("field").asString()).isEqualTo("X-Slack-Request-Timestamp");
        assertThat(json.readTree(unsigned.body()).get("field").asString()).isEqualTo("X-Slack-Request-Timestamp");
        assertThat(json.readTree(noSignature.body()).get("field").asString()).isEqualTo("X-Slack-Signature");
        assertThat(json.readTree(otherVersion.body()).get("field").asString()).isEqualTo("X-Slack-Signature");
        assertThat(json.readTree(tampered.body()).get("field").asString()).isEqualTo("X-Slack-Signature");
        assertThat(published().endOffsets(Topics.LEADS_ACTIVITY)).isEqualTo(before);
    }

    @Test
    void theSameRequestAgainIsAnsweredAgainAndRecordedOnce() {
        String leadId = newLeadId();
        byte[] body = SlackRequests.form(SlackRequests.click("lead.accept", leadId + ":2", "U0CAMERON1", actionTs()));
        long now = Instant.now().getEpochSecond();

        HttpResponse<String> first = slack().post(body, SlackRequests.SIGNING_SECRET, now);
        HttpResponse<String> again = slack().post(body, SlackRequests.SIGNING_SECRET, now);

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(again.body()).isEmpty();
        assertThat(published().values(Topics.LEADS_ACTIVITY, leadId, LeadActivity.class)).hasSize(1);
    }

    @Test
    void otherInteractionsAreAcknowledgedAndIgnored() {
        String leadId = newLeadId();
        String viewSubmission = """
                {"type": "view_submission", "team": {"id": "T01B5M3VC1X", "domain": "acme-sales"},
                 "user": {"id": "U0CAMERON1", "username": "cameron", "name": "cameron", "team_id": "T01B5M3VC1X"},
                 "api_app_id": "A01BGTV24LQ", "token": "RFEwDETALFMJkphCasIfOUZT", "trigger_id": "12466734323.1395872398",
                 "view": {"id": "V0PKB1ZFV", "type": "modal", "callback_id": "lead-note", "state": {"values": {}}},
                 "response_urls": []}
                """;
        String blockSuggestion = """
                {"type": "block_suggestion", "user": {"id": "U0CAMERON1", "name": "cameron", "team_id": "T01B5M3VC1X"},
                 "container": {"type": "message", "message_ts": "1767607201.015400", "channel_id": "D01ACC2E8S3"},
                 "api_app_id": "A01BGTV24LQ", "token": "RFEwDETALFMJkphCasIfOUZT", "action_id": "rep-picker",
                 "block_id": "lead-actions", "value": "cam"}
                """;
        String otherButton = SlackRequests.click("lead.open-in-hubspot", leadId + ":1", "U0CAMERON1", actionTs());
        long before = published().endOffsets(Topics.LEADS_ACTIVITY);

        List<HttpResponse<String>> responses = List.of(slack().post(viewSubmission), slack().post(blockSuggestion),
                slack().post(otherButton));

        assertThat(responses).allSatisfy(r -> {
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            assertThat(r.body()).isEmpty();
        });
        assertThat(published().endOffsets(Topics.LEADS_ACTIVITY)).isEqualTo(before);
    }

    @Test
    void aPayloadThatCannotBeOurClickIsA400NamingTheField() {
        String leadId = newLeadId();
        String click = SlackRequests.click("lead.accept", leadId + ":1", "U0CAMERON1", actionTs());
        long now = Instant.now().getEpochSecond();
        long before = published().endOffsets(Topics.LEADS_ACTIVITY);

        HttpResponse<String> noPayload = slack().post("token=RFEwDETALFMJkphCasIfOUZT".getBytes(StandardCharsets.UTF_8),
                SlackRequests.SIGNING_SECRET, now);
        HttpResponse<String> notJson = slack().post("{\"type\": \"block_actions\", ");
        HttpResponse<String> noActions = slack().post(click.substring(0, click.lastIndexOf("\"actions\": [")).stripTrailing()
                .replaceAll(",$", "") + "}");
        HttpResponse<String> badValue = slack().post(click.replace(leadId + ":1", "lead-42"));
        HttpResponse<String> notALeadId = slack().post(click.replace(leadId + ":1", "../../admin:1"));
        HttpResponse<String> notAVersion = slack().post(click.replace(leadId + ":1", leadId + ":v1"));
        HttpResponse<String> versionZero = slack().post(click.replace(leadId + ":1", leadId + ":0"));
        HttpResponse<String> noUser = slack().post(click.replace("\"id\": \"U0CAMERON1\"", "\"id\": \"\""));

        assertThat(field(noPayload)).isEqualTo("payload");
        assertThat(field(notJson)).isEqualTo("payload");
        assertThat(field(noActions)).isEqualTo("payload.actions");
        assertThat(field(badValue)).isEqualTo("payload.actions[0].value");
        assertThat(field(notALeadId)).isEqualTo("payload.actions[0].value");
        assertThat(field(notAVersion)).isEqualTo("payload.actions[0].value");
        assertThat(field(versionZero)).isEqualTo("payload.actions[0].value");
        assertThat(field(noUser)).isEqualTo("payload.user.id");
        assertThat(published().endOffsets(Topics.LEADS_ACTIVITY)).isEqualTo(before);
    }

    private String field(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
        return json.readTree(response.body()).get("field").asString();
    }
}
