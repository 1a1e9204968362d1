package io.leadflow.intake.email;

import io.leadflow.intake.IntakeIntegrationTest;
import io.leadflow.intake.Webhooks;
import io.leadflow.schemas.Topics;
import io.leadflow.testing.KafkaBrokers;
import io.leadflow.testing.WithKafkaBroker;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SendGrid Inbound Parse with an OAuth security policy: SendGrid fetches a token from lead-intake's token URL with the
 * client-credentials grant and sends it as a bearer token; a missing or bad token gets a 401 whose body says
 * {@code invalid_token}, which makes SendGrid fetch a new one.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@WithKafkaBroker
class SendGridOAuthTests {

    static final String CLIENT_ID = "sendgrid-parse";
    static final String CLIENT_SECRET = "oauth-test-client-secret";
    static final String TOKEN_PATH = "/webhooks/email/sendgrid/oauth/token";

    @LocalServerPort
    int port;

    @Autowired
    ObjectMapper json;

    @DynamicPropertySource
    static void oauthOnly(DynamicPropertyRegistry registry) {
        registry.add("spring.kafka.bootstrap-servers", () -> KafkaBrokers.shared().bootstrapServers());
        registry.add("spring.kafka.properties.schema.registry.url", () -> IntakeIntegrationTest.REGISTRY);
        registry.add("leadflow.intake.secrets.sendgrid-oauth-client-id", () -> CLIENT_ID);
        registry.add("leadflow.intake.secrets.sendgrid-oauth-client-secret", () -> CLIENT_SECRET);
    }

    @Test
    void acceptsParseRequestsCarryingATokenFromTheTokenUrl() {
        String token = token("Basic " + basic(CLIENT_ID, CLIENT_SECRET), "grant_type=client_credentials&scope=parse");
        Webhooks.Multipart mail = EmailWebhookTests.sendGrid(UUID.randomUUID() + "@mail.hooli.xyz");

        HttpResponse<String> response = webhooks().post("/webhooks/email/sendgrid", mail.contentType(), mail.body(),
                "Authorization", "Bearer " + token);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        assertThat(json.readTree(response.body()).get("outcome").asString()).isEqualTo("accepted");
    }

    @Test
    void acceptsClientCredentialsInTheFormToo() {
        String token = token(null, "grant_type=client_credentials&client_id=" + CLIENT_ID + "&client_secret=" + CLIENT_SECRET);

        assertThat(token).startsWith("v1.");
    }

    @Test
    void answersAMissingOrForgedTokenWithInvalidTokenSoSendGridFetchesANewOne() {
        Webhooks.Multipart mail = EmailWebhookTests.sendGrid(UUID.randomUUID() + "@mail.hooli.xyz");
        String token = token("Basic " + basic(CLIENT_ID, CLIENT_SECRET), "grant_type=client_credentials");
        String forged = token.substring(0, token.lastIndexOf('.') + 1) + "AAAA" + token.substring(token.lastIndexOf('.') + 5);
        long before = new io.leadflow.intake.Published(KafkaBrokers.shared().bootstrapServers(), IntakeIntegrationTest.REGISTRY)
                .endOffsets(Topics.LEADS_RECEIVED);

        HttpResponse<String> missing = webhooks().post("/webhooks/email/sendgrid", mail.contentType(), mail.body());
        HttpResponse<String> bad = webhooks().post("/webhooks/email/sendgrid", mail.contentType(), mail.body(),
                "Authorization", "Bearer " + forged);

        for (HttpResponse<String> response : java.util.List.of(missing, bad)) {
            assertThat(response.statusCode()).isEqualTo(401);
            assertThat(response.body()).contains("invalid_token");
            assertThat(response.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).contains("invalid_token"));
            assertThat(json.readTree(response.body()).get("field").asString()).isEqualTo("Authorization");
        }
        assertThat(new io.leadflow.intake.Published(KafkaBrokers.shared().bootstrapServers(), IntakeIntegrationTest.REGISTRY)
                .endOffsets(Topics.LEADS_RECEIVED)).isEqualTo(before);
    }

    @Test
    void refusesWrongClientCredentialsAndOtherGrants() {
        HttpResponse<String> wrongSecret = webhooks().post(TOKEN_PATH, "application/x-www-form-urlencoded",
                "grant_type=client_credentials".getBytes(StandardCharsets.UTF_8), "Authorization", "Basic " + basic(CLIENT_ID, "guess"));
        HttpResponse<String> password = webhooks().post(TOKEN_PATH, "application/x-www-form-urlencoded",
                "grant_type=password&username=a&password=b".getBytes(StandardCharsets.UTF_8));

        assertThat(wrongSecret.statusCode()).isEqualTo(401);
        assertThat(json.readTree(wrongSecret.body()).get("error").asString()).isEqualTo("invalid_client");
        assertThat(password.statusCode()).isEqualTo(400);
        assertThat(json.readTree(password.body()).get("error").asString()).isEqualTo("unsupported_grant_type");
        assertThat(json.readTree(password.body()).get("field").asString()).isEqualTo("grant_type");
    }

    private String token(String authorization, String form) {
        HttpResponse<String> response = authorization == null
                ? webhooks().post(TOKEN_PATH, "application/x-www-form-urlencoded", form.getBytes(StandardCharsets.UTF_8))
                : webhooks().post(TOKEN_PATH, "application/x-www-form-urlencoded", form.getBytes(StandardCharsets.UTF_8),
                "Authorization", authorization);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-store");
        JsonNode body = json.readTree(response.body());
        assertThat(body.get("token_type").asString()).isEqualTo("Bearer");
        assertThat(body.get("expires_in").asLong()).isEqualTo(3600);
        return body.get("access_token").asString();
    }

    private Webhooks webhooks() {
        return new Webhooks(port);
    }

    private static String basic(String id, String secret) {
        return Base64.getEncoder().encodeToString((id + ":" + secret).getBytes(StandardCharsets.UTF_8));
    }
}
