package io.leadflow.intake.privacy;

import io.leadflow.avro.BookingLink;
import io.leadflow.avro.ErasureReport;
import io.leadflow.avro.ErasureRequested;
import io.leadflow.avro.ErasureStatus;
import io.leadflow.avro.LeadReceived;
import io.leadflow.avro.LeadRouted;
import io.leadflow.avro.Owner;
import io.leadflow.avro.Pipeline;
import io.leadflow.avro.Plan;
import io.leadflow.intake.IntakeIntegrationTest;
import io.leadflow.intake.Webhooks;
import io.leadflow.platform.privacy.Subjects;
import io.leadflow.schemas.Topics;
import io.leadflow.testing.AvroTopics;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The right to erasure over HTTP, on a real broker: the request, the receipt, intake's own part and the completion. */
class ErasureTests extends IntakeIntegrationTest {

    static final String ADMIN_TOKEN = "erasure-tests-admin-token";
    static final String PRIVACY_KEY = "erasure-tests-privacy-key-of-32-bytes-or-more";
    private static final Subjects SUBJECTS = new Subjects(PRIVACY_KEY);
    /** The systems other than lead-intake that report on an erasure. */
    static final List<String> OTHER_SYSTEMS = List.of("routing-service state", "trial-tracker state", "hubspot",
            "crm-sync state", "slack", "rep-notifier state");

    @DynamicPropertySource
    static void adminAndPrivacy(DynamicPropertyRegistry registry) {
        registry.add("leadflow.admin.token", () -> ADMIN_TOKEN);
        registry.add("leadflow.privacy.key", () -> PRIVACY_KEY);
    }

    @Autowired
    ObjectMapper json;

    @Autowired
    MeterRegistry meters;

    @Test
    void anErasureIsAnsweredOnlyOnceKafkaHoldsItAndARepeatForThePersonIsTheSameErasure() {
        String email = person();

        HttpResponse<String> first = post("{\"email\": \"" + email + "\", \"reason\": \"asked by email on 2026-11-30\"}", true);

        assertThat(first.statusCode()).isEqualTo(202);
        JsonNode answer = json.readTree(first.body());
        String erasureId = answer.get("erasureId").asString();
        assertThat(answer.get("status").asString()).isEqualTo("pending");
        assertThat(answer.get("receipt").asString()).isEqualTo("/privacy/erasures/" + erasureId);
        assertThat(first.headers().firstValue("Location")).contains("/privacy/erasures/" + erasureId);
        List<ErasureRequested> held = published().values(Topics.PRIVACY_ERASURES, SUBJECTS.of(email), ErasureRequested.class);
        assertThat(held).as("acknowledged before the answer").hasSize(1);
        assertThat(held.get(0).getErasureId()).isEqualTo(erasureId);
        assertThat(held.get(0).getEmail()).isEqualTo(email);
        assertThat(held.get(0).toString()).doesNotContain("asked by email");

        HttpResponse<String> again = post("{\"email\": \"  " + email.toUpperCase() + " \"}", true);

        assertThat(again.statusCode()).isEqualTo(202);
        assertThat(json.readTree(again.body()).get("erasureId").asString()).isEqualTo(erasureId);
        assertThat(published().values(Topics.PRIVACY_ERASURES, SUBJECTS.of(email), ErasureRequested.class)).hasSize(1);
    }

    @Test
    void badRequestsAre400ProblemsNamingTheFieldAndRecordNothing() {
        long before = published().endOffsets(Topics.PRIVACY_ERASURES);
        Map<String, String> bodies = Map.of(
                "{}", "email",
                "{\"email\": null}", "email",
                "{\"email\": 42}", "email",
                "{\"email\": \"not an address\"}", "email",
                "{\"email\": \"" + "a".repeat(250) + "@x.io\"}", "email",
                "{\"email\": \"jo@example.com\", \"reason\": \"" + "r".repeat(501) + "\"}", "reason",
                "{\"email\": \"jo@example.com\", \"reason\": [\"why\"]}", "reason",
                "[\"jo@example.com\"]", "body");

        bodies.forEach((body, field) -> {
            HttpResponse<String> response = post(body, true);

            assertThat(response.statusCode()).as(body).isEqualTo(400);
            assertThat(response.headers().firstValue("Content-Type")).as(body)
                    .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
            assertThat(json.readTree(response.body()).get("field").asString()).as(body).isEqualTo(field);
        });
        assertThat(published().endOffsets(Topics.PRIVACY_ERASURES)).isEqualTo(before);
    }

    @Test
    void withoutTheAdminTokenNeitherTheRequestNorTheReceiptAnswers() {
        String erasureId = json.readTree(post("{\"email\": \"" + person() + "\"}", true).body()).get("erasureId").asString();
        long before = published().endOffsets(Topics.PRIVACY_ERASURES);

        HttpResponse<String> request = post("{\"email\": \"" + person() + "\"}", false);
        HttpResponse<String> receipt = get("/privacy/erasures/" + erasureId, false);

        assertThat(request.statusCode()).isEqualTo(401);
        assertThat(receipt.statusCode()).isEqualTo(401);
        assertThat(published().endOffsets(Topics.PRIVACY_ERASURES)).isEqualTo(before);
    }

    @Test
    void anUnknownErasureIsA404ProblemNamingTheId() {
        HttpResponse<String> response = get("/privacy/erasures/" + UUID.randomUUID(), true);

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(json.readTree(response.body()).get("field").asString()).isEqualTo("erasureId");
    }

    @Test
    void theReceiptHasALinePerSystemAndOnceEveryOneIsDoneTheEmailIsNoLongerKept() {
        String email = person();
        String erasureId = json.readTree(post("{\"email\": \"" + email + "\"}", true).body()).get("erasureId").asString();

        JsonNode pending = receipt(erasureId);
        assertThat(pending.get("subject").asString()).isEqualTo(SUBJECTS.of(email));
        assertThat(pending.get("status").asString()).isEqualTo("pending");
        assertThat(pending.get("completedAt").isNull()).isTrue();
        assertThat(systems(pending)).containsExactly("lead-intake state", "routing-service state", "trial-tracker state", "hubspot",
                "crm-sync state", "slack", "rep-notifier state", "kafka event topics");
        JsonNode topics = line(pending, "kafka event topics");
        Instant requestedAt = Instant.parse(pending.get("requestedAt").asString());
        assertThat(topics.get("status").asString()).isEqualTo("pending");
        assertThat(topics.get("detail").asString()).contains(requestedAt.plus(Duration.ofDays(7)).toString(),
                requestedAt.plus(Duration.ofDays(14)).toString());
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(line(receipt(erasureId), "lead-intake state").get("status").asString()).isEqualTo("done"));

        report(erasureId, "hubspot", ErasureStatus.FAILED, "HubSpot answered 503; will retry", 1);
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            JsonNode failing = receipt(erasureId);
            assertThat(failing.get("status").asString()).isEqualTo("failed");
            assertThat(line(failing, "hubspot").get("status").asString()).isEqualTo("failed");
            assertThat(line(failing, "hubspot").get("detail").asString()).isEqualTo("HubSpot answered 503; will retry");
            assertThat(line(failing, "routing-service state").get("status").asString()).isEqualTo("pending");
        });
        for (String system : OTHER_SYSTEMS) {
            report(erasureId, system, ErasureStatus.DONE, "1 record erased", system.equals("hubspot") ? 2 : 1);
        }

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode done = receipt(erasureId);
            assertThat(done.get("status").asString()).isEqualTo("done");
            assertThat(done.get("completedAt").isNull()).isFalse();
            assertThat(line(done, "hubspot").get("attempts").asInt()).isEqualTo(2);
        });
        List<ErasureRequested> held = published().values(Topics.PRIVACY_ERASURES, SUBJECTS.of(email), ErasureRequested.class);
        ErasureRequested latest = held.get(held.size() - 1);
        assertThat(latest.getErasureId()).isEqualTo(erasureId);
        assertThat(latest.getEmail()).isNull();
        assertThat(latest.getCompletedAt()).isNotNull();
        assertThat(latest.getRequestedAt()).isEqualTo(requestedAt);
        HttpResponse<String> again = post("{\"email\": \"" + email + "\"}", true);
        assertThat(json.readTree(again.body()).get("erasureId").asString()).as("still the same erasure").isEqualTo(erasureId);
        assertThat(json.readTree(again.body()).get("status").asString()).isEqualTo("done");
    }

    @Test
    void intakeForgetsThePersonsBookingLinksAndNextStepOwnerAndNeverKeepsTheirOldDecisionsAgain() {
        String email = person();
        JsonNode form = json.readTree(webhooks().website(form(email)).body());
        String leadId = form.get("leadId").asString();
        String next = form.get("next").asString();
        LeadReceived lead = published().awaitValues(Topics.LEADS_RECEIVED, leadId, LeadReceived.class).get(0);
        String bookingKey = "calendly:https://api.calendly.com/scheduled_events/E/invitees/" + UUID.randomUUID();
        send(Topics.INTAKE_BOOKINGS.name(), bookingKey, BookingLink.newBuilder().setProvider("calendly").setBookingId(bookingKey)
                .setLeadId(leadId).setSourceEventId(bookingKey).setAt(Instant.now()).build());
        route(lead);
        await().atMost(Duration.ofSeconds(20)).until(() -> get(next, false).statusCode() == 200);
        double skippedBefore = skipped();

        String erasureId = json.readTree(post("{\"email\": \"" + email + "\"}", true).body()).get("erasureId").asString();

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode line = line(receipt(erasureId), "lead-intake state");
            assertThat(line.get("status").asString()).isEqualTo("done");
            assertThat(line.get("detail").asString()).contains("1 lead found", "1 booking links removed", "1 next-step owners removed")
                    .doesNotContain(email, leadId);
        });
        assertThat(get(next, false).statusCode()).as("the owner is no longer shown").isEqualTo(202);
        List<BookingLink> links = published().values(Topics.INTAKE_BOOKINGS, bookingKey, BookingLink.class);
        assertThat(links).as("the link, then its tombstone").hasSize(2);
        assertThat(links.get(1)).isNull();

        route(lead);

        await().atMost(Duration.ofSeconds(20)).until(() -> skipped() > skippedBefore);
        assertThat(get(next, false).statusCode()).as("a replayed decision about the old lead is dropped").isEqualTo(202);
    }

    private double skipped() {
        return meters.find("leadflow.privacy.skipped").tag("service", "lead-intake").counters().stream()
                .mapToDouble(c -> c.count()).sum();
    }

    private static String person() {
        return "erase-" + UUID.randomUUID() + "@acme-analytics.example";
    }

    private static String form(String email) {
        return """
                {"submissionId": "erase-%s", "email": "%s", "firstName": "Jane", "company": "Acme Analytics",
                 "country": "Germany", "planInterest": "enterprise", "monthlyEvents": "60m"}
                """.formatted(UUID.randomUUID(), email);
    }

    private JsonNode receipt(String erasureId) {
        HttpResponse<String> response = get("/privacy/erasures/" + erasureId, true);
        assertThat(response.statusCode()).isEqualTo(200);
        return json.readTree(response.body());
    }

    private static List<String> systems(JsonNode receipt) {
        List<String> names = new ArrayList<>();
        receipt.get("systems").forEach(line -> names.add(line.get("system").asString()));
        return names;
    }

    private static JsonNode line(JsonNode receipt, String system) {
        for (JsonNode line : receipt.get("systems")) {
            if (line.get("system").asString().equals(system)) {
                return line;
            }
        }
        throw new AssertionError("no line for " + system + " in " + receipt);
    }

    private static void report(String erasureId, String system, ErasureStatus status, String detail, int attempts) {
        send(Topics.PRIVACY_ERASURE_REPORTS.name(), erasureId + ":" + system, ErasureReport.newBuilder().setErasureId(erasureId)
                .setSystem(system).setStatus(status).setDetail(detail).setAttempts(attempts).setReportedAt(Instant.now()).build());
    }

    private static void route(LeadReceived lead) {
        send(Topics.LEADS_ROUTED.name(), lead.getLeadId(), LeadRouted.newBuilder()
                .setLeadId(lead.getLeadId())
                .setRoutedAt(Instant.now())
                .setLead(lead)
                .setPipeline(Pipeline.HANDS_ON)
                .setRecommendedPlan(Plan.ENTERPRISE)
                .setOwner(Owner.newBuilder().setRepId("simon").setName("Simon").setEmail("simon@example.com").setSlackUserId("U00SIMON")
                        .setBookingUrl("https://calendly.com/leadflow-simon/30min").build())
                .setRulesVersion("test")
                .setDecisionVersion(1)
                .build());
    }

    private static void send(String topic, String key, Object value) {
        AvroTopics.send(REGISTRY, topic, key, value);
    }

    private HttpResponse<String> post(String body, boolean withToken) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(webhooks().url(ErasureController.PATH)))
                .timeout(Duration.ofSeconds(15)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        return Webhooks.send(withToken ? request.header("Authorization", "Bearer " + ADMIN_TOKEN) : request);
    }

    private HttpResponse<String> get(String path, boolean withToken) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(webhooks().url(path))).timeout(Duration.ofSeconds(15)).GET();
        return Webhooks.send(withToken ? request.header("Authorization", "Bearer " + ADMIN_TOKEN) : request);
    }
}
