package io.leadflow.intake.website;

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
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The website form end to end: signed POST, real broker, Avro through the registry. */
class WebsiteWebhookTests extends IntakeIntegrationTest {

    @Autowired
    ObjectMapper json;

    static String form(String submissionId) {
        return """
                {
                  "submissionId": "%s",
                  "submittedAt": "2026-01-05T14:03:00Z",
                  "email": "  Jane.Doe@Acme.COM ",
                  "firstName": "Jane",
                  "lastName": "Doe",
                  "company": "Acme Analytics",
                  "website": "https://www.acme.com/about",
                  "country": "Deutschland",
                  "title": "Head of Engineering",
                  "planInterest": "enterprise",
                  "monthlyActiveUsers": 250000,
                  "monthlyEvents": "60m",
                  "needs": ["sso", "self-hosting", "msa"],
                  "yCombinator": false,
                  "groupDemo": false,
                  "message": "We have to stay GDPR compliant.",
                  "utm": {"utm_source": "google", "utm_campaign": "brand"}
                }
                """.formatted(submissionId);
    }

    @Test
    void publishesANormalisedLeadAndAnswersWithItsLeadIdAfterTheAck() {
        String submissionId = "sub-" + UUID.randomUUID();

        HttpResponse<String> response = webhooks().website(form(submissionId));

        assertThat(response.statusCode()).isEqualTo(202);
        String leadId = json.readTree(response.body()).get("leadId").asString();
        assertThat(leadId).isEqualTo(LeadIds.leadId("WEBSITE_FORM", submissionId));
        LeadReceived lead = published().awaitValues(Topics.LEADS_RECEIVED, leadId, LeadReceived.class).get(0);
        assertThat(lead.getLeadId()).isEqualTo(leadId);
        assertThat(lead.getSource()).isEqualTo(LeadSource.WEBSITE_FORM);
        assertThat(lead.getSourceEventId()).isEqualTo(submissionId);
        assertThat(lead.getReceivedAt()).isBefore(Instant.now().plusSeconds(1));
        assertThat(lead.getContact().getEmail()).isEqualTo("jane.doe@acme.com");
        assertThat(lead.getContact().getFirstName()).isEqualTo("Jane");
        assertThat(lead.getContact().getLastName()).isEqualTo("Doe");
        assertThat(lead.getContact().getTitle()).isEqualTo("Head of Engineering");
        assertThat(lead.getContact().getCompanyName()).isEqualTo("Acme Analytics");
        assertThat(lead.getContact().getCompanyDomain()).isEqualTo("acme.com");
        assertThat(lead.getContact().getCountry()).isEqualTo("DE");
        assertThat(lead.getContact().getRegion()).isEqualTo(Region.EU);
        assertThat(lead.getPlanInterest()).isEqualTo(PlanInterest.ENTERPRISE);
        assertThat(lead.getMonthlyActiveUsers()).isEqualTo(250_000L);
        assertThat(lead.getMonthlyEvents()).isEqualTo(60_000_000L);
        assertThat(lead.getNeeds()).containsExactly(Need.SSO, Need.SELF_HOSTING, Need.PRIVACY_COMPLIANCE,
                Need.NON_STANDARD_BILLING, Need.MSA);
        assertThat(lead.getTechnical()).isTrue();
        assertThat(lead.getYCombinator()).isFalse();
        assertThat(lead.getGroupDemo()).isFalse();
        assertThat(lead.getDemo()).isNull();
        assertThat(lead.getMessage()).isEqualTo("We have to stay GDPR compliant.");
        assertThat(lead.getUtm()).containsEntry("source", "google").containsEntry("campaign", "brand");
    }

    @Test
    void answersARedeliveryWithTheSameLeadId() {
        String body = form("sub-" + UUID.randomUUID());

        HttpResponse<String> first = webhooks().website(body);
        HttpResponse<String> second = webhooks().website(body);

        assertThat(first.statusCode()).isEqualTo(202);
        assertThat(second.statusCode()).isEqualTo(202);
        assertThat(json.readTree(second.body()).get("leadId")).isEqualTo(json.readTree(first.body()).get("leadId"));
    }

    @Test
    void acceptsTheOldSecretDuringARotation() {
        byte[] body = form("sub-" + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);
        long now = Instant.now().getEpochSecond();
        String both = Webhooks.timestamped(Webhooks.WEBSITE_OLD_SECRET, now, body)
                + ",v1=" + "00".repeat(32);

        HttpResponse<String> response = webhooks().post("/webhooks/website", "application/json", body,
                "X-Leadflow-Signature", both);

        assertThat(response.statusCode()).isEqualTo(202);
    }

    @Test
    void rejectsSignatureFailuresWith401AndPublishesNothing() {
        byte[] body = form("sub-" + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);
        long now = Instant.now().getEpochSecond();
        long before = published().endOffsets(Topics.LEADS_RECEIVED);

        HttpResponse<String> wrongSecret = webhooks().post("/webhooks/website", "application/json", body,
                "X-Leadflow-Signature", Webhooks.timestamped("not-the-secret", now, body));
        HttpResponse<String> stale = webhooks().post("/webhooks/website", "application/json", body,
                "X-Leadflow-Signature", Webhooks.timestamped(Webhooks.WEBSITE_SECRET, now - 301, body));
        byte[] tampered = new String(body, StandardCharsets.UTF_8).replace("enterprise", "cloud").getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> tamperedBody = webhooks().post("/webhooks/website", "application/json", tampered,
                "X-Leadflow-Signature", Webhooks.timestamped(Webhooks.WEBSITE_SECRET, now, body));
        HttpResponse<String> missing = webhooks().post("/webhooks/website", "application/json", body);
        HttpResponse<String> garbled = webhooks().post("/webhooks/website", "application/json", body,
                "X-Leadflow-Signature", "v1=zz,t=yesterday");

        for (HttpResponse<String> response : new HttpResponse[] {wrongSecret, stale, tamperedBody, missing, garbled}) {
            assertThat(response.statusCode()).isEqualTo(401);
            assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                    type -> assertThat(type).startsWith("application/problem+json"));
            assertThat(json.readTree(response.body()).get("field").asString()).isEqualTo("X-Leadflow-Signature");
        }
        assertThat(json.readTree(stale.body()).get("detail").asString()).contains("window");
        assertThat(published().endOffsets(Topics.LEADS_RECEIVED)).isEqualTo(before);
    }

    @Test
    void rejectsInvalidFieldsWith400NamingTheField() {
        long before = published().endOffsets(Topics.LEADS_RECEIVED);

        assertProblem(webhooks().website(form("s1").replace("  Jane.Doe@Acme.COM ", "jane@")), 400, "email");
        assertProblem(webhooks().website(form("s2").replace("\"email\": \"  Jane.Doe@Acme.COM \",", "")), 400, "email");
        assertProblem(webhooks().website(form("").replace("\"submissionId\": \"\"", "\"submissionId\": \" \"")), 400, "submissionId");
        assertProblem(webhooks().website(form("s3").replace("\"enterprise\"", "\"gold\"")), 400, "planInterest");
        assertProblem(webhooks().website(form("s4").replace("\"msa\"", "\"free-lunch\"")), 400, "needs[2]");
        assertProblem(webhooks().website(form("s5").replace("\"60m\"", "\"lots\"")), 400, "monthlyEvents");
        assertProblem(webhooks().website(form("s6").replace("250000", "-3")), 400, "monthlyActiveUsers");
        assertProblem(webhooks().website(form("s7").replace("\"yCombinator\": false", "\"yCombinator\": {\"x\": 1}")), 400, "yCombinator");
        assertProblem(webhooks().website(form("s8").replace("2026-01-05T14:03:00Z", "yesterday")), 400, "submittedAt");
        assertProblem(webhooks().website("{\"submissionId\": \"s9\", \"email\": "), 400, "body");
        assertProblem(webhooks().website("[1, 2, 3]"), 400, null);

        assertThat(published().endOffsets(Topics.LEADS_RECEIVED)).isEqualTo(before);
    }

    /** Read as a list of strings, a nested array broke the parser's place in the form and the answer named the body. */
    @Test
    void namesTheElementOfNeedsThatIsNotAString() {
        long before = published().endOffsets(Topics.LEADS_RECEIVED);

        HttpResponse<String> nested = webhooks().website(form("s11").replace("\"sso\"", "[\"sso\"]"));
        HttpResponse<String> number = webhooks().website(form("s12").replace("\"msa\"", "42"));

        assertProblem(nested, 400, "needs[0]");
        assertThat(json.readTree(nested.body()).get("detail").asString()).isEqualTo("needs[0] must be a string");
        assertProblem(number, 400, "needs[2]");
        assertThat(published().endOffsets(Topics.LEADS_RECEIVED)).isEqualTo(before);
    }

    @Test
    void rejectsOversizedBodiesWith413AndWrongContentTypesWith415() {
        String padding = "x".repeat(1024 * 1024 + 10);
        HttpResponse<String> tooLarge = webhooks().website(form("big").replace("We have to stay GDPR compliant.", padding));
        byte[] body = form("s10").getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> wrongType = webhooks().post("/webhooks/website", "text/plain", body,
                "X-Leadflow-Signature", Webhooks.timestamped(Webhooks.WEBSITE_SECRET, Instant.now().getEpochSecond(), body));

        assertProblem(tooLarge, 413, "body");
        assertProblem(wrongType, 415, "Content-Type");
    }

    private void assertProblem(HttpResponse<String> response, int status, String field) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        JsonNode problem = json.readTree(response.body());
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        if (field != null) {
            assertThat(problem.get("field").asString()).isEqualTo(field);
        }
    }

    @Test
    void describesABodyOfTheWrongShapeWithoutNamingInternalClasses() {
        HttpResponse<String> array = webhooks().website("[{\"submissionId\": \"x\"}]");
        HttpResponse<String> wrongType = webhooks().website("{\"submissionId\": \"x\", \"email\": \"a@b.io\", \"needs\": {\"sso\": true}}");
        HttpResponse<String> hugeNumber = webhooks().website("{\"submissionId\": \"x\", \"email\": \"a@b.io\", \"monthlyEvents\": "
                + "9".repeat(200_000) + "}");

        assertThat(array.statusCode()).isEqualTo(400);
        assertThat(json.readTree(array.body()).get("field").asString()).isEqualTo("body");
        assertThat(wrongType.statusCode()).isEqualTo(400);
        assertThat(json.readTree(wrongType.body()).get("field").asString()).isEqualTo("needs");
        assertThat(json.readTree(wrongType.body()).get("detail").asString()).isEqualTo("needs must be an array");
        assertThat(hugeNumber.statusCode()).isEqualTo(400);
        assertThat(List.of(array, wrongType, hugeNumber)).allSatisfy(r ->
                assertThat(r.body()).doesNotContain("io.leadflow", "WebsiteForm", "tools.jackson", "StreamReadConstraints"));
    }
}
