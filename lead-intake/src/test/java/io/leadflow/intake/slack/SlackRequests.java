package io.leadflow.intake.slack;

import io.leadflow.intake.Webhooks;
import io.leadflow.intake.signature.Hmac;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * Interaction requests as Slack sends them: the payload JSON URL-encoded in a form field named {@code payload}, signed
 * {@code v0=<hex HMAC-SHA256 of "v0:" + timestamp + ":" + body>} with the app's signing secret.
 */
public final class SlackRequests {

    public static final String SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5";
    /** The secret before a rotation, still configured next to the new one. */
    public static final String OLD_SIGNING_SECRET = "a3c0ffee5e1f00d5a3c0ffee5e1f00d5";
    public static final String PATH = "/webhooks/slack/interactions";
    public static final String FORM = "application/x-www-form-urlencoded";

    private final Webhooks webhooks;

    public SlackRequests(Webhooks webhooks) {
        this.webhooks = webhooks;
    }

    public static byte[] form(String payloadJson) {
        return ("payload=" + URLEncoder.encode(payloadJson, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
    }

    public static String signature(String secret, long timestamp, byte[] body) {
        return "v0=" + Hmac.sha256Hex(secret, ("v0:" + timestamp + ":").getBytes(StandardCharsets.UTF_8), body);
    }

    /** Posts a form body signed with {@code secret} at {@code timestamp} (unix seconds). */
    public HttpResponse<String> post(byte[] body, String secret, long timestamp) {
        return webhooks.post(PATH, FORM, body,
                "X-Slack-Request-Timestamp", Long.toString(timestamp),
                "X-Slack-Signature", signature(secret, timestamp, body));
    }

    /** Posts the payload signed with the current secret, now. */
    public HttpResponse<String> post(String payloadJson) {
        return post(form(payloadJson), SIGNING_SECRET, Instant.now().getEpochSecond());
    }

    /**
     * A {@code block_actions} payload for a click on a lead alert's button, shaped as Slack's reference shows it
     * (docs.slack.dev/reference/interaction-payloads/block_actions-payload): a message button in a DM with the rep.
     */
    public static String click(String actionId, String value, String user, String actionTs) {
        return """
                {
                  "type": "block_actions",
                  "user": {"id": "%s", "username": "cameron", "name": "cameron", "team_id": "T01B5M3VC1X"},
                  "api_app_id": "A01BGTV24LQ",
                  "token": "RFEwDETALFMJkphCasIfOUZT",
                  "container": {"type": "message", "message_ts": "1767607201.015400", "channel_id": "D01ACC2E8S3",
                                "is_ephemeral": false},
                  "trigger_id": "1388105719492.1379717998065.9bc163894734c1f415a2c504e81dec91",
                  "team": {"id": "T01B5M3VC1X", "domain": "acme-sales"},
                  "enterprise": null,
                  "is_enterprise_install": false,
                  "channel": {"id": "D01ACC2E8S3", "name": "directmessage"},
                  "message": {
                    "bot_id": "B01AQ1SN737", "type": "message", "text": "New lead: Ada at Analytical",
                    "user": "U01BGV723R6", "ts": "1767607201.015400", "team": "T01B5M3VC1X",
                    "blocks": [
                      {"type": "section", "block_id": "lead", "text": {"type": "mrkdwn", "text": "*New lead*: Ada at Analytical", "verbatim": false}},
                      {"type": "actions", "block_id": "lead-actions", "elements": [
                        {"type": "button", "action_id": "lead.accept", "text": {"type": "plain_text", "text": "Accept", "emoji": true},
                         "style": "primary", "value": "%s"},
                        {"type": "button", "action_id": "lead.pass", "text": {"type": "plain_text", "text": "Pass", "emoji": true},
                         "value": "%s"}
                      ]}
                    ]
                  },
                  "state": {"values": {}},
                  "response_url": "https://hooks.slack.com/actions/T01B5M3VC1X/1392431917184/5tNKfErgkXdPjmhKzuyRbaFJ",
                  "actions": [
                    {"action_id": "%s", "block_id": "lead-actions", "text": {"type": "plain_text", "text": "Accept", "emoji": true},
                     "value": "%s", "style": "primary", "type": "button", "action_ts": "%s"}
                  ]
                }
                """.formatted(user, value, value, actionId, value, actionTs);
    }
}
