package io.leadflow.intake.email;

import io.leadflow.intake.Webhooks;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** The fields of an email as a Mailgun route's forward() posts them, signed with the test key. */
public final class MailgunFields {

    public static final String BODY = """
            Hi team,

            We're evaluating PostHog for Hooli. We'd need SSO and probably an MSA, and we
            send roughly 80 million events per month. Can we talk about the enterprise plan?

            Thanks,
            Gavin
            """;

    private MailgunFields() {
    }

    public static Map<String, String> mailgunFields(String messageId, String token, Instant signedAt) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("recipient", "sales@posthog.example");
        fields.put("sender", "gavin@hooli.xyz");
        fields.put("from", "Gavin Belson <Gavin@Hooli.xyz>");
        fields.put("subject", "Enterprise evaluation");
        fields.put("body-plain", BODY + "\n> quoted earlier mail");
        fields.put("stripped-text", BODY.strip());
        fields.put("stripped-signature", "Gavin");
        fields.put("Message-Id", "<" + messageId + ">");
        fields.put("message-headers", "[[\"Received\", \"by mx.example\"], [\"Message-Id\", \"<" + messageId + ">\"],"
                + " [\"Subject\", \"Enterprise evaluation\"]]");
        fields.put("attachment-count", "0");
        fields.putAll(Webhooks.mailgunSignature(Webhooks.MAILGUN_KEY, signedAt.getEpochSecond(), token));
        return fields;
    }
}
