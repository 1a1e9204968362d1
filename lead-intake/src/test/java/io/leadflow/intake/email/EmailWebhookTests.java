package io.leadflow.intake.email;

import io.leadflow.avro.LeadReceived;
import io.leadflow.avro.LeadSource;
import io.leadflow.avro.Need;
import io.leadflow.avro.PlanInterest;
import io.leadflow.avro.Region;
import io.leadflow.intake.IntakeIntegrationTest;
import io.leadflow.intake.Webhooks;
import io.leadflow.schemas.LeadIds;
import io.leadflow.schemas.Topics;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.ObjectMapper;

import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Inbound email through Mailgun's route forward() and SendGrid's Inbound Parse. */
class EmailWebhookTests extends IntakeIntegrationTest {

    static final String BODY = MailgunFields.BODY;

    @Autowired
    ObjectMapper json;

    static Map<String, String> mailgunFields(String messageId, String token) {
        return MailgunFields.mailgunFields(messageId, token, Instant.now());
    }

    @Test
    void publishesAMailgunEmailSentFormUrlEncoded() {
        String messageId = UUID.randomUUID() + "@mail.hooli.xyz";

        HttpResponse<String> response = webhooks().post("/webhooks/email/mailgun", "application/x-www-form-urlencoded",
                Webhooks.urlEncoded(mailgunFields(messageId, Webhooks.newToken())));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        String leadId = LeadIds.leadId("EMAIL", messageId);
        assertThat(json.readTree(response.body()).get("leadId").asString()).isEqualTo(leadId);
        LeadReceived lead = published().awaitValues(Topics.LEADS_RECEIVED, leadId, LeadReceived.class).get(0);
        assertThat(lead.getSource()).isEqualTo(LeadSource.EMAIL);
        assertThat(lead.getSourceEventId()).isEqualTo(messageId);
        assertThat(lead.getContact().getEmail()).isEqualTo("gavin@hooli.xyz");
        assertThat(lead.getContact().getFirstName()).isEqualTo("Gavin");
        assertThat(lead.getContact().getLastName()).isEqualTo("Belson");
        assertThat(lead.getContact().getCompanyDomain()).isEqualTo("hooli.xyz");
        assertThat(lead.getContact().getRegion()).isEqualTo(Region.UNKNOWN);
        assertThat(lead.getPlanInterest()).isEqualTo(PlanInterest.ENTERPRISE);
        assertThat(lead.getMonthlyEvents()).isEqualTo(80_000_000L);
        assertThat(lead.getNeeds()).containsExactly(Need.SSO, Need.NON_STANDARD_BILLING, Need.MSA);
        assertThat(lead.getMessage()).startsWith("Enterprise evaluation\n\nHi team,").doesNotContain("quoted earlier mail");
        assertThat(lead.getDemo()).isNull();
    }

    @Test
    void publishesAMailgunEmailSentMultipartAndDropsAttachments() {
        String messageId = UUID.randomUUID() + "@mail.hooli.xyz";
        Webhooks.Multipart multipart = new Webhooks.Multipart()
                .fields(mailgunFields(messageId, Webhooks.newToken()))
                .file("attachment-1", "architecture.pdf", new byte[64 * 1024]);

        HttpResponse<String> response = webhooks().post("/webhooks/email/mailgun", multipart.contentType(), multipart.body());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        LeadReceived lead = published().awaitValues(Topics.LEADS_RECEIVED, LeadIds.leadId("EMAIL", messageId), LeadReceived.class).get(0);
        assertThat(lead.getContact().getEmail()).isEqualTo("gavin@hooli.xyz");
    }

    @Test
    void answersARepeatIdempotentlyAndRejectsATokenReusedWithAnotherBodyAndForgeriesWith401() {
        String token = Webhooks.newToken();
        String messageId = UUID.randomUUID() + "@mail.hooli.xyz";
        Map<String, String> fields = mailgunFields(messageId, token);
        byte[] body = Webhooks.urlEncoded(fields);
        assertThat(webhooks().post("/webhooks/email/mailgun", "application/x-www-form-urlencoded", body).statusCode()).isEqualTo(202);
        long before = published().endOffsets(Topics.LEADS_RECEIVED);

        HttpResponse<String> repeat = webhooks().post("/webhooks/email/mailgun", "application/x-www-form-urlencoded", body);
        fields.put("stripped-text", "Please wire the invoice amount to this account instead.");
        HttpResponse<String> replay = webhooks().post("/webhooks/email/mailgun", "application/x-www-form-urlencoded",
                Webhooks.urlEncoded(fields));
        Map<String, String> wrongKey = mailgunFields("x@y", Webhooks.newToken());
        wrongKey.putAll(Webhooks.mailgunSignature("not-the-key", Instant.now().getEpochSecond(), Webhooks.newToken()));
        Map<String, String> stale = mailgunFields("x@y", Webhooks.newToken());
        stale.putAll(Webhooks.mailgunSignature(Webhooks.MAILGUN_KEY, Instant.now().getEpochSecond() - 10 * 3600, Webhooks.newToken()));
        Map<String, String> unsigned = mailgunFields("x@y", Webhooks.newToken());
        unsigned.remove("signature");

        assertThat(repeat.statusCode()).as(repeat.body()).isEqualTo(202);
        assertThat(json.readTree(repeat.body()).get("outcome").asString()).isEqualTo("duplicate");
        assertThat(json.readTree(repeat.body()).get("leadId").asString()).isEqualTo(LeadIds.leadId("EMAIL", messageId));
        assertThat(replay.statusCode()).isEqualTo(401);
        assertThat(json.readTree(replay.body()).get("field").asString()).isEqualTo("token");
        assertThat(webhooks().post("/webhooks/email/mailgun", "application/x-www-form-urlencoded", Webhooks.urlEncoded(wrongKey))
                .statusCode()).isEqualTo(401);
        assertThat(webhooks().post("/webhooks/email/mailgun", "application/x-www-form-urlencoded", Webhooks.urlEncoded(stale))
                .statusCode()).isEqualTo(401);
        assertThat(webhooks().post("/webhooks/email/mailgun", "application/x-www-form-urlencoded", Webhooks.urlEncoded(unsigned))
                .statusCode()).isEqualTo(401);
        assertThat(published().endOffsets(Topics.LEADS_RECEIVED)).isEqualTo(before);
    }

    @Test
    void answersMailThatCanNeverBeALeadWith406SoMailgunStopsRetrying() {
        Map<String, String> autoReply = mailgunFields(UUID.randomUUID() + "@mail.hooli.xyz", Webhooks.newToken());
        autoReply.put("subject", "Automatic reply: Enterprise evaluation");
        long before = published().endOffsets(Topics.LEADS_RECEIVED);

        HttpResponse<String> response = webhooks().post("/webhooks/email/mailgun", "application/x-www-form-urlencoded",
                Webhooks.urlEncoded(autoReply));

        assertThat(response.statusCode()).isEqualTo(406);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
        assertThat(published().endOffsets(Topics.LEADS_RECEIVED)).isEqualTo(before);
    }

    public static Webhooks.Multipart sendGrid(String messageId) {
        return new Webhooks.Multipart()
                .field("headers", "Received: by mx0047p1mdw1.sendgrid.net\r\nMIME-Version: 1.0\r\n"
                        + "From: Gavin Belson <gavin@hooli.xyz>\r\nDate: Mon, 5 Jan 2026 10:11:12 +0100\r\n"
                        + "Message-ID: <" + messageId + ">\r\nSubject: Enterprise evaluation\r\n"
                        + "To: hey@posthog.example\r\nContent-Type: multipart/alternative; boundary=\"000\"")
                .field("dkim", "{@hooli.xyz : pass}")
                .field("to", "hey@posthog.example")
                .field("from", "Gavin Belson <gavin@hooli.xyz>")
                .field("subject", "Enterprise evaluation")
                .field("text", BODY)
                .field("html", "<p>" + BODY + "</p>")
                .field("sender_ip", "209.85.220.41")
                .field("envelope", "{\"to\":[\"hey@posthog.example\"],\"from\":\"gavin@hooli.xyz\"}")
                .field("attachments", "1")
                .field("charsets", "{\"to\":\"UTF-8\",\"html\":\"UTF-8\",\"subject\":\"UTF-8\",\"from\":\"UTF-8\",\"text\":\"UTF-8\"}")
                .field("SPF", "pass")
                .file("attachment1", "logo.png", new byte[] {1, 2, 3});
    }

    @Test
    void publishesASendGridEmailSignedWithEcdsaAsTheSameLeadAsViaMailgun() {
        String messageId = UUID.randomUUID() + "@mail.hooli.xyz";
        Webhooks.Multipart multipart = sendGrid(messageId);
        byte[] body = multipart.body();
        String timestamp = Webhooks.now();

        HttpResponse<String> response = webhooks().post("/webhooks/email/sendgrid", multipart.contentType(), body,
                "X-Twilio-Email-Event-Webhook-Signature", Webhooks.sendGridSignature(timestamp, body),
                "X-Twilio-Email-Event-Webhook-Timestamp", timestamp);
        HttpResponse<String> viaMailgun = webhooks().post("/webhooks/email/mailgun", "application/x-www-form-urlencoded",
                Webhooks.urlEncoded(mailgunFields(messageId, Webhooks.newToken())));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        String leadId = LeadIds.leadId("EMAIL", messageId);
        assertThat(json.readTree(response.body()).get("leadId").asString()).isEqualTo(leadId);
        assertThat(json.readTree(viaMailgun.body()).get("leadId").asString()).isEqualTo(leadId);
        LeadReceived lead = published().awaitValues(Topics.LEADS_RECEIVED, leadId, LeadReceived.class).get(0);
        assertThat(lead.getContact().getEmail()).isEqualTo("gavin@hooli.xyz");
        assertThat(lead.getContact().getLastName()).isEqualTo("Belson");
        assertThat(lead.getPlanInterest()).isEqualTo(PlanInterest.ENTERPRISE);
        assertThat(lead.getMonthlyEvents()).isEqualTo(80_000_000L);
        assertThat(lead.getMessage()).startsWith("Enterprise evaluation");
    }

    @Test
    void rejectsASendGridRequestWhoseSignatureDoesNotMatch() {
        Webhooks.Multipart multipart = sendGrid(UUID.randomUUID() + "@mail.hooli.xyz");
        byte[] body = multipart.body();
        String timestamp = Webhooks.now();
        byte[] other = sendGrid("other@x").body();

        HttpResponse<String> tampered = webhooks().post("/webhooks/email/sendgrid", multipart.contentType(), body,
                "X-Twilio-Email-Event-Webhook-Signature", Webhooks.sendGridSignature(timestamp, other),
                "X-Twilio-Email-Event-Webhook-Timestamp", timestamp);
        HttpResponse<String> missing = webhooks().post("/webhooks/email/sendgrid", multipart.contentType(), body);

        assertThat(tampered.statusCode()).isEqualTo(401);
        assertThat(missing.statusCode()).isEqualTo(401);
        assertThat(json.readTree(missing.body()).get("field").asString()).isEqualTo("X-Twilio-Email-Event-Webhook-Signature");
        assertThat(json.readTree(missing.body()).get("detail").asString())
                .as("says how to fix it").contains("security policy", "parse setting");
    }

    @Test
    void acceptsASendGridRetrySignedTwoDaysAgoOnce() {
        String messageId = UUID.randomUUID() + "@mail.hooli.xyz";
        Webhooks.Multipart multipart = sendGrid(messageId);
        byte[] body = multipart.body();
        String timestamp = Long.toString(Instant.now().minus(java.time.Duration.ofDays(2)).getEpochSecond());
        String signature = Webhooks.sendGridSignature(timestamp, body);

        HttpResponse<String> retry = webhooks().post("/webhooks/email/sendgrid", multipart.contentType(), body,
                "X-Twilio-Email-Event-Webhook-Signature", signature, "X-Twilio-Email-Event-Webhook-Timestamp", timestamp);
        HttpResponse<String> again = webhooks().post("/webhooks/email/sendgrid", multipart.contentType(), body,
                "X-Twilio-Email-Event-Webhook-Signature", signature, "X-Twilio-Email-Event-Webhook-Timestamp", timestamp);

        assertThat(retry.statusCode()).as(retry.body()).isEqualTo(202);
        assertThat(json.readTree(again.body()).get("outcome").asString()).isEqualTo("duplicate");
        assertThat(published().awaitValues(Topics.LEADS_RECEIVED, LeadIds.leadId("EMAIL", messageId), LeadReceived.class)).hasSize(1);
    }
}
