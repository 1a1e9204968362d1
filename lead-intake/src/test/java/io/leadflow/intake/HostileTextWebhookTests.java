package io.leadflow.intake;

import io.leadflow.avro.LeadReceived;
import io.leadflow.avro.Need;
import io.leadflow.intake.signature.Hmac;
import io.leadflow.schemas.LeadIds;
import io.leadflow.schemas.Topics;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Correctly signed webhooks whose text is hostile, on every lead channel: repeated characters that
 * overflowed the stack in the free-text and host patterns (a 500 and a thousand log lines each),
 * multipart bodies with bare LF line ends, raw MIME and HTML bodies. Each is a lead (202) or a 400 naming
 * the field, never a 5xx.
 */
class HostileTextWebhookTests extends IntakeIntegrationTest {

    static final String STACK_BREAKER = "events" + " ".repeat(5_000) + "5m, and MAU" + " :".repeat(2_500) + " 20k";

    @Autowired
    ObjectMapper json;

    @Test
    void publishesAWebsiteLeadWhoseWebsiteAndMessageRepeatThousandsOfCharacters() {
        String submissionId = "sub-" + UUID.randomUUID();
        ObjectNode form = json.createObjectNode()
                .put("submissionId", submissionId)
                .put("email", "jane@acme.com")
                .put("website", "a.".repeat(2_500) + "com")
                .put("message", STACK_BREAKER);

        HttpResponse<String> response = webhooks().website(form.toString());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        LeadReceived lead = published().awaitValues(Topics.LEADS_RECEIVED, LeadIds.leadId("WEBSITE_FORM", submissionId), LeadReceived.class).get(0);
        assertThat(lead.getContact().getCompanyDomain()).isEqualTo("acme.com");
        assertThat(lead.getMonthlyEvents()).isEqualTo(5_000_000L);
        assertThat(lead.getMonthlyActiveUsers()).isEqualTo(20_000L);
    }

    @Test
    void rejectsAWebsiteVolumeOf200000DigitsNamingTheField() {
        ObjectNode form = json.createObjectNode()
                .put("submissionId", "sub-" + UUID.randomUUID())
                .put("email", "jane@acme.com")
                .put("monthlyEvents", "1".repeat(200_000));

        HttpResponse<String> response = webhooks().website(form.toString());

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json.readTree(response.body()).get("field").asString()).isEqualTo("monthlyEvents");
    }

    @Test
    void publishesACalcomBookingWhoseAnswersRepeatThousandsOfCharacters() {
        String uid = "hostile-" + UUID.randomUUID();
        byte[] body = ("""
                {"triggerEvent": "BOOKING_CREATED", "payload": {"uid": "%s", "title": "Demo",
                 "startTime": "2026-01-06T09:00:00Z", "endTime": "2026-01-06T09:45:00Z",
                 "attendees": [{"email": "chloe@initech.fr", "name": "Chlo\u00e9 Martin"}],
                 "responses": {"website": {"label": "Website", "value": "%s"},
                               "notes": {"label": "additional_notes", "value": "%s"}}}}
                """.formatted(uid, "a.".repeat(2_500) + "com", STACK_BREAKER)).getBytes(StandardCharsets.UTF_8);

        HttpResponse<String> response = webhooks().post("/webhooks/calcom", "application/json", body,
                "X-Cal-Signature-256", Hmac.sha256Hex(Webhooks.CALCOM_SECRET, body));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        LeadReceived lead = published().awaitValues(Topics.LEADS_RECEIVED, LeadIds.leadId("DEMO_BOOKING", uid), LeadReceived.class).get(0);
        assertThat(lead.getContact().getCompanyDomain()).isEqualTo("initech.fr");
        assertThat(lead.getMonthlyEvents()).isEqualTo(5_000_000L);
    }

    @Test
    void publishesAMailgunEmailWhoseBodyRepeatsThousandsOfCharacters() {
        String messageId = UUID.randomUUID() + "@mail.hooli.xyz";
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("from", "Gavin Belson <gavin@hooli.xyz>");
        fields.put("subject", "Evaluation");
        fields.put("body-plain", "We need SSO. " + STACK_BREAKER + " " + "<".repeat(100_000));
        fields.put("Message-Id", "<" + messageId + ">");
        fields.putAll(Webhooks.mailgunSignature(Webhooks.MAILGUN_KEY, Instant.now().getEpochSecond(), Webhooks.newToken()));
        Webhooks.Multipart multipart = new Webhooks.Multipart().fields(fields);

        HttpResponse<String> response = webhooks().post("/webhooks/email/mailgun", multipart.contentType(), multipart.body());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        LeadReceived lead = published().awaitValues(Topics.LEADS_RECEIVED, LeadIds.leadId("EMAIL", messageId), LeadReceived.class).get(0);
        assertThat(lead.getNeeds()).containsExactly(Need.SSO);
        assertThat(lead.getMonthlyEvents()).isEqualTo(5_000_000L);
    }

    @Test
    void rejectsAMailgunBodyWhoseMultipartLinesEndInLfAloneNamingTheBody() {
        StringBuilder body = new StringBuilder();
        while (body.length() < 1_000_000) {
            body.append("--b\nContent-Disposition: form-data; name=\"f\"\n\nv\n");
        }
        body.append("--b--\n");
        long before = published().endOffsets(Topics.LEADS_RECEIVED);

        HttpResponse<String> response = webhooks().post("/webhooks/email/mailgun", "multipart/form-data; boundary=b",
                body.toString().getBytes(StandardCharsets.US_ASCII));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
        assertThat(json.readTree(response.body()).get("field").asString()).isEqualTo("body");
        assertThat(published().endOffsets(Topics.LEADS_RECEIVED)).isEqualTo(before);
    }

    @Test
    void publishesASendGridRawMimeMessageFromItsTextPart() {
        String messageId = UUID.randomUUID() + "@mail.hooli.xyz";
        String raw = "From: Gavin Belson <gavin@hooli.xyz>\r\nTo: hey@posthog.example\r\nSubject: Enterprise evaluation\r\n"
                + "Message-ID: <" + messageId + ">\r\nMIME-Version: 1.0\r\nContent-Type: multipart/alternative; boundary=\"alt\"\r\n\r\n"
                + "--alt\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\nWe need SSO and an MSA; roughly 80 million events per month.\r\n"
                + "--alt\r\nContent-Type: text/html; charset=UTF-8\r\n\r\n<p>" + "<".repeat(100_000) + "</p>\r\n--alt--\r\n";
        Webhooks.Multipart multipart = new Webhooks.Multipart()
                .field("to", "hey@posthog.example")
                .field("from", "Gavin Belson <gavin@hooli.xyz>")
                .field("subject", "Enterprise evaluation")
                .field("email", raw)
                .field("envelope", "{\"to\":[\"hey@posthog.example\"],\"from\":\"gavin@hooli.xyz\"}");
        byte[] body = multipart.body();
        String timestamp = Webhooks.now();

        HttpResponse<String> response = webhooks().post("/webhooks/email/sendgrid", multipart.contentType(), body,
                "X-Twilio-Email-Event-Webhook-Signature", Webhooks.sendGridSignature(timestamp, body),
                "X-Twilio-Email-Event-Webhook-Timestamp", timestamp);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        LeadReceived lead = published().awaitValues(Topics.LEADS_RECEIVED, LeadIds.leadId("EMAIL", messageId), LeadReceived.class).get(0);
        assertThat(lead.getMessage()).isEqualTo("Enterprise evaluation\n\nWe need SSO and an MSA; roughly 80 million events per month.");
        assertThat(lead.getMonthlyEvents()).isEqualTo(80_000_000L);
        assertThat(lead.getNeeds()).containsExactly(Need.SSO, Need.NON_STANDARD_BILLING, Need.MSA);
    }

    @Test
    void publishesASendGridEmailFromHostileHtmlWhenThereIsNoText() {
        String messageId = UUID.randomUUID() + "@mail.hooli.xyz";
        Webhooks.Multipart multipart = new Webhooks.Multipart()
                .field("headers", "From: Gavin Belson <gavin@hooli.xyz>\r\nMessage-ID: <" + messageId + ">\r\nSubject: Hi\r\n"
                        + "X-Folded: a" + "\r\n b".repeat(100_000))
                .field("from", "Gavin Belson <gavin@hooli.xyz>")
                .field("subject", "Hi")
                .field("html", "<p>We need <b>SSO</b></p><script>" + "<script>".repeat(12_500) + "</script>"
                        + "<div>".repeat(50_000) + "<br>" + "<".repeat(100_000));
        byte[] body = multipart.body();
        String timestamp = Webhooks.now();

        HttpResponse<String> response = webhooks().post("/webhooks/email/sendgrid", multipart.contentType(), body,
                "X-Twilio-Email-Event-Webhook-Signature", Webhooks.sendGridSignature(timestamp, body),
                "X-Twilio-Email-Event-Webhook-Timestamp", timestamp);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        LeadReceived lead = published().awaitValues(Topics.LEADS_RECEIVED, LeadIds.leadId("EMAIL", messageId), LeadReceived.class).get(0);
        assertThat(lead.getNeeds()).containsExactly(Need.SSO);
        assertThat(lead.getMessage()).startsWith("Hi\n\nWe need SSO\n\n<<<");
    }
}
