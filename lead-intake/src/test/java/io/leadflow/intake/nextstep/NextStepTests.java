package io.leadflow.intake.nextstep;

import io.leadflow.avro.LeadReceived;
import io.leadflow.avro.LeadRouted;
import io.leadflow.avro.Owner;
import io.leadflow.avro.Pipeline;
import io.leadflow.avro.Plan;
import io.leadflow.intake.IntakeIntegrationTest;
import io.leadflow.intake.Webhooks;
import io.leadflow.schemas.Topics;
import io.leadflow.schemas.serde.AvroSerializer;
import io.leadflow.testing.KafkaBrokers;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The website visitor's next-step link: from the form's answer to the owner's booking page, and nothing more. */
class NextStepTests extends IntakeIntegrationTest {


    @Autowired
    ObjectMapper json;

    @Test
    void aFormPostIsAnsweredWithANextLinkThatShowsTheOwnersNameAndBookingPageOnceRouted() {
        String submissionId = "next-" + UUID.randomUUID();

        HttpResponse<String> posted = webhooks().website(form(submissionId));

        assertThat(posted.statusCode()).isEqualTo(202);
        JsonNode answer = json.readTree(posted.body());
        String leadId = answer.get("leadId").asString();
        String next = answer.get("next").asString();
        assertThat(next).matches("/leads/next/[A-Za-z0-9_-]{" + NextStepTokens.TOKEN_CHARS + "}").doesNotContain(leadId)
                .doesNotContain(leadId.replace("-", ""));
        assertThat(answer.get("nextUrl").asString()).isEqualTo(webhooks().url(next));
        assertThat(posted.headers().firstValue("Location")).contains(webhooks().url(next));

        HttpResponse<String> waiting = get(next);
        assertThat(waiting.statusCode()).isEqualTo(202);
        assertThat(waiting.headers().firstValue("Retry-After")).contains("1");
        assertThat(json.readTree(waiting.body())).isEqualTo(json.readTree("{\"status\":\"routing\"}"));

        LeadReceived lead = published().awaitValues(Topics.LEADS_RECEIVED, leadId, LeadReceived.class).get(0);
        route(lead, 1, owner("simon", "Simon", "https://calendly.com/leadflow-simon/30min"));

        HttpResponse<String> routed = await().atMost(Duration.ofSeconds(20)).until(() -> get(next), r -> r.statusCode() == 200);
        assertThat(json.readTree(routed.body())).isEqualTo(json.readTree(
                "{\"owner\":{\"name\":\"Simon\",\"bookingUrl\":\"https://calendly.com/leadflow-simon/30min\"}}"));
        assertThat(routed.headers().firstValue("Cache-Control")).hasValueSatisfying(v -> assertThat(v).contains("no-store"));
        // nothing personal: neither the visitor's nor the rep's address, nor the lead
        assertThat(routed.body()).doesNotContain("@", leadId, "Acme", "Jane", "U00SIMON");
    }

    @Test
    void aRepeatedFormIsAnsweredDuplicateWithAWorkingLinkToTheSameLead() {
        String form = form("next-" + UUID.randomUUID());
        JsonNode first = json.readTree(webhooks().website(form).body());

        HttpResponse<String> repeated = webhooks().website(form);

        JsonNode again = json.readTree(repeated.body());
        assertThat(repeated.statusCode()).isEqualTo(202);
        assertThat(again.get("outcome").asString()).isEqualTo("duplicate");
        assertThat(again.get("leadId").asString()).isEqualTo(first.get("leadId").asString());
        LeadReceived lead = published().awaitValues(Topics.LEADS_RECEIVED, first.get("leadId").asString(), LeadReceived.class).get(0);
        route(lead, 1, owner("cameron", "Cameron", "https://calendly.com/leadflow-cameron/30min"));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(json.readTree(get(again.get("next").asString()).body()).at("/owner/name").asString()).isEqualTo("Cameron");
            assertThat(json.readTree(get(first.get("next").asString()).body()).at("/owner/name").asString()).isEqualTo("Cameron");
        });
    }

    @Test
    void aReassignmentShowsTheNewOwnerAndAnOlderDecisionReadLaterDoesNotHideIt() {
        HttpResponse<String> posted = webhooks().website(form("next-" + UUID.randomUUID()));
        JsonNode answer = json.readTree(posted.body());
        String next = answer.get("next").asString();
        LeadReceived lead = published().awaitValues(Topics.LEADS_RECEIVED, answer.get("leadId").asString(), LeadReceived.class).get(0);

        route(lead, 2, owner("cameron", "Cameron", "https://calendly.com/leadflow-cameron/30min"));
        route(lead, 1, owner("simon", "Simon", "https://calendly.com/leadflow-simon/30min"));
        route(lead, 3, owner("sales", "Sales team", null));

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(json.readTree(get(next).body()))
                .isEqualTo(json.readTree("{\"owner\":{\"name\":\"Sales team\",\"bookingUrl\":null}}")));
    }

    @Test
    void aTokenThatIsNotOursIsA404ProblemNamingTheToken() {
        String real = json.readTree(webhooks().website(form("next-" + UUID.randomUUID())).body()).get("next").asString();
        char last = real.charAt(real.length() - 2);
        String tampered = real.substring(0, real.length() - 2) + (last == 'A' ? 'B' : 'A') + real.charAt(real.length() - 1);

        for (String path : new String[] {tampered, "/leads/next/" + "A".repeat(NextStepTokens.TOKEN_CHARS), "/leads/next/abc",
                "/leads/next/" + UUID.randomUUID()}) {
            HttpResponse<String> response = get(path);

            assertThat(response.statusCode()).as(path).isEqualTo(404);
            assertThat(response.headers().firstValue("Content-Type")).as(path).hasValueSatisfying(
                    type -> assertThat(type).startsWith("application/problem+json"));
            assertThat(json.readTree(response.body()).get("field").asString()).isEqualTo("token");
        }
    }

    @Test
    void anExpiredLinkIsA410ProblemEvenAfterRouting() {
        String leadId = UUID.randomUUID().toString();
        NextStepTokens tokens = new NextStepTokens(NEXT_STEP_SECRET.getBytes(StandardCharsets.UTF_8), Duration.ofMinutes(30));
        String path = NextStepController.PATH + tokens.issue(leadId, Instant.now().minus(Duration.ofMinutes(31)));
        String fresh = NextStepController.PATH + tokens.issue(leadId, Instant.now());

        HttpResponse<String> response = get(path);

        assertThat(response.statusCode()).isEqualTo(410);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(json.readTree(response.body()).get("field").asString()).isEqualTo("token");
        assertThat(get(fresh).statusCode()).as("the same lead's link made now, with the same secret, still answers").isEqualTo(202);
    }

    @Test
    void onlyTheWebsitesOwnOriginMayReadTheLink() {
        String next = json.readTree(webhooks().website(form("next-" + UUID.randomUUID())).body()).get("next").asString();

        HttpResponse<String> allowed = get(next, "Origin", WEBSITE_ORIGIN);
        HttpResponse<String> other = get(next, "Origin", "https://evil.example");

        assertThat(allowed.statusCode()).isEqualTo(202);
        assertThat(allowed.headers().firstValue("Access-Control-Allow-Origin")).contains(WEBSITE_ORIGIN);
        assertThat(allowed.headers().firstValue("Access-Control-Expose-Headers")).hasValueSatisfying(v -> assertThat(v).contains("Retry-After"));
        assertThat(allowed.headers().firstValue("Access-Control-Allow-Credentials")).isEmpty();
        assertThat(other.statusCode()).isEqualTo(403);
        assertThat(other.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
        assertThat(other.body()).doesNotContain("routing", "owner");
    }

    private void route(LeadReceived lead, int version, Owner owner) {
        LeadRouted decision = LeadRouted.newBuilder()
                .setLeadId(lead.getLeadId())
                .setRoutedAt(Instant.now())
                .setLead(lead)
                .setPipeline(Pipeline.HANDS_ON)
                .setRecommendedPlan(Plan.ENTERPRISE)
                .setOwner(owner)
                .setRulesVersion("test")
                .setDecisionVersion(version)
                .build();
        Map<String, Object> config = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBrokers.shared().bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, AvroSerializer.class,
                "schema.registry.url", REGISTRY);
        try (KafkaProducer<String, Object> producer = new KafkaProducer<>(config)) {
            producer.send(new ProducerRecord<>(Topics.LEADS_ROUTED.name(), lead.getLeadId(), decision)).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Owner owner(String id, String name, String bookingUrl) {
        return Owner.newBuilder().setRepId(id).setName(name).setEmail(id + "@example.com").setSlackUserId("U00" + id.toUpperCase())
                .setBookingUrl(bookingUrl).build();
    }

    private HttpResponse<String> get(String path, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(webhooks().url(path))).timeout(Duration.ofSeconds(10)).GET();
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return Webhooks.send(request);
    }

    private static String form(String submissionId) {
        return """
                {"submissionId": "%s", "email": "jane.doe@acme.com", "firstName": "Jane", "company": "Acme Analytics",
                 "country": "Germany", "planInterest": "enterprise", "monthlyEvents": "60m"}
                """.formatted(submissionId);
    }
}
