package io.leadflow.routing;

import io.leadflow.avro.LeadReceived;
import io.leadflow.avro.LeadRouted;
import io.leadflow.avro.Pipeline;
import io.leadflow.avro.PlanInterest;
import io.leadflow.avro.RepAlert;
import io.leadflow.schemas.Topics;
import io.leadflow.schemas.serde.AvroDeserializer;
import io.leadflow.testing.KafkaBrokers;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.leadflow.routing.Leads.lead;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The whole service on a real broker with exactly-once processing: a lead on {@code leads.received}
 * comes out as a decision on {@code leads.routed} and a NEW_LEAD alert on {@code rep.alerts}, and the
 * read API answers from the stream's stores. As in production, it listens on every interface with an
 * admin token, which the API needs.
 */
class RoutingServiceTests extends RunningRoutingService {

    @Test
    void aLeadOnLeadsReceivedIsRoutedOnceWithAnAlertForItsOwnerAndServedByTheApi() throws Exception {
        LeadReceived lead = lead().us().interest(PlanInterest.ENTERPRISE).events(60_000_000L).title("CTO").build();
        awaitRoutingState();
        long simonsLeadsBefore = assignedToday("simon");

        publish(lead);
        publish(lead);
        List<ConsumerRecord<String, LeadRouted>> routed = new ArrayList<>();
        List<ConsumerRecord<String, RepAlert>> alerts = new ArrayList<>();
        try (KafkaConsumer<String, LeadRouted> routedConsumer = consumer(Topics.LEADS_ROUTED.name());
             KafkaConsumer<String, RepAlert> alertConsumer = consumer(Topics.REP_ALERTS.name())) {
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                routedConsumer.poll(Duration.ofMillis(200)).forEach(record -> {
                    if (record.key().equals(lead.getLeadId())) {
                        routed.add(record);
                    }
                });
                alertConsumer.poll(Duration.ofMillis(200)).forEach(record -> {
                    if (record.value().getLeadId().equals(lead.getLeadId())) {
                        alerts.add(record);
                    }
                });
                assertThat(routed).hasSize(2);
                assertThat(alerts).hasSize(2);
            });
        }

        assertThat(routed).allSatisfy(record -> {
            assertThat(record.key()).isEqualTo(lead.getLeadId());
            assertThat(record.value().getPipeline()).isEqualTo(Pipeline.HANDS_ON);
            assertThat(record.value().getOwner().getRepId()).isEqualTo("simon");
            assertThat(record.value().getLead()).isEqualTo(lead);
        });
        assertThat(routed.get(1).value()).as("the repeat re-emits the first decision").isEqualTo(routed.get(0).value());
        assertThat(alerts).allSatisfy(record -> {
            assertThat(record.key()).isEqualTo("simon");
            assertThat(record.value().getAlertId()).isEqualTo("NEW_LEAD:" + lead.getLeadId());
        });

        JsonNode decision = get("/routing/decisions/" + lead.getLeadId(), 200);
        assertThat(decision.path("owner").path("repId").asString()).isEqualTo("simon");
        assertThat(decision.path("reasons")).hasSize(3);
        assertThat(decision.path("reasons").get(0).path("rule").asString()).isEqualTo("enterprise-interest");
        assertThat(decision.path("lead").path("email").asString()).isEqualTo(lead.getContact().getEmail());

        JsonNode reps = get("/routing/reps", 200);
        assertThat(reps.path("reps")).anySatisfy(rep -> {
            assertThat(rep.path("id").asString()).isEqualTo("simon");
            assertThat(rep.path("assignedToday").asLong()).as("the repeat counts once").isEqualTo(simonsLeadsBefore + 1);
            assertThat(rep.path("available").asBoolean()).isTrue();
        });

        get("/routing/decisions/" + UUID.randomUUID(), 404);
        assertThat(get("/actuator/health", 200).path("status").asString()).isEqualTo("UP");
        assertThat(text("/actuator/prometheus")).contains("leadflow_routing_decisions_total{owner=\"simon\",pipeline=\"HANDS_ON\",plan=\"ENTERPRISE\"");
    }

    @Test
    void previewAnswersWithReasonsWithoutPublishingOrCountingAnything() throws Exception {
        awaitRoutingState();
        JsonNode repsBefore = get("/routing/reps", 200).path("reps");
        String body = """
                {"email": "ada@initech.io", "company": "Initech", "companyDomain": "initech.io", "country": "de",
                 "planInterest": "scale", "monthlyEvents": 20000000, "needs": ["sso", "msa"], "title": "VP Engineering",
                 "message": "Before we sign the MSA: is there any discount for a two-year commitment?"}
                """;

        HttpResponse<String> response = http.send(request("/routing/preview")
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode preview = json.readTree(response.body());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(preview.path("preview").asBoolean()).isTrue();
        assertThat(preview.path("liveState").asBoolean()).isTrue();
        assertThat(preview.path("sla").path("policy").asString()).isEqualTo("hands-on");
        assertThat(preview.path("sla").path("reassignAfter").asString()).isEqualTo("15 minutes");
        assertThat(preview.path("sla").path("escalateTo").asString()).isEqualTo("C0SALESMGR");
        assertThat(preview.path("sla").path("workingHoursOnly").asBoolean()).isTrue();
        assertThat(java.time.Instant.parse(preview.path("sla").path("acceptBy").asString()))
                .as("15 minutes of Simon's working time from now").isAfterOrEqualTo(java.time.Instant.now().plus(java.time.Duration.ofMinutes(14)));
        assertThat(preview.path("pipeline").asString()).isEqualTo("HANDS_ON");
        assertThat(preview.path("recommendedPlan").asString()).isEqualTo("ENTERPRISE");
        assertThat(preview.path("owner").path("repId").asString()).isEqualTo("simon");
        assertThat(preview.path("lead").path("region").asString()).isEqualTo("EU");
        assertThat(preview.path("reasons")).extracting(r -> r.path("rule").asString())
                .containsExactly("non-standard-billing", "high-volume-more-technical-sso", "scale-eu");
        assertThat(preview.path("flags")).extracting(f -> f.path("code").asString())
                .contains("MSA_REQUESTED", "FREE_EVALUATION_ELIGIBLE", "DISCOUNT_REQUESTED");
        get("/routing/decisions/preview", 404);
        assertThat(get("/routing/reps", 200).path("reps")).isEqualTo(repsBefore);
    }

    @Test
    void aPreviewWithABadFieldIsAProblemNamingIt() throws Exception {
        HttpResponse<String> response = http.send(request("/routing/preview")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"email\": \"ada@initech.io\", \"needs\": [\"sso\", \"telepathy\"]}")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(json.readTree(response.body()).path("field").asString()).isEqualTo("needs[1]");
    }

    @Test
    void everyRoutingEndpointNeedsTheAdminTokenWhileHealthAndMetricsStayOpen() throws Exception {
        awaitRoutingState();
        String leadId = UUID.randomUUID().toString();
        // a call and its status once authorised (no decision is known for this lead)
        Map<HttpRequest.Builder, Integer> calls = Map.of(HttpRequest.newBuilder(uri("/routing/decisions/" + leadId)).GET(), 404,
                HttpRequest.newBuilder(uri("/routing/reps")).GET(), 200,
                HttpRequest.newBuilder(uri("/routing/preview")).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"email\": \"ada@initech.io\"}")), 200,
                HttpRequest.newBuilder(uri("/routing/leads/" + leadId + "/reroute")).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"ownerRepId\": \"simon\"}")), 404);

        for (Map.Entry<HttpRequest.Builder, Integer> entry : calls.entrySet()) {
            HttpRequest.Builder call = entry.getKey();
            for (String authorization : new String[] {null, "Bearer wrong-" + TOKEN, "Bearer " + TOKEN.substring(1)}) {
                HttpRequest.Builder attempt = call.copy();
                if (authorization != null) {
                    attempt.header("Authorization", authorization);
                }
                HttpResponse<String> response = http.send(attempt.build(), HttpResponse.BodyHandlers.ofString());
                assertThat(response.statusCode()).as(response.body()).isEqualTo(401);
                assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
                assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"leadflow\"");
                assertThat(json.readTree(response.body()).path("field").asString()).isEqualTo("Authorization");
                assertThat(response.body()).doesNotContain("cameron@example.com");
            }
            HttpResponse<String> allowed = http.send(call.copy().header("Authorization", "Bearer " + TOKEN).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(allowed.statusCode()).as(allowed.body()).isEqualTo(entry.getValue());
        }
        assertThat(http.send(HttpRequest.newBuilder(uri("/actuator/health")).build(), HttpResponse.BodyHandlers.ofString()).statusCode())
                .isEqualTo(200);
        assertThat(http.send(HttpRequest.newBuilder(uri("/actuator/prometheus")).build(), HttpResponse.BodyHandlers.ofString()).statusCode())
                .isEqualTo(200);
    }

    @Test
    void aRerouteIsCheckedFieldByFieldThenBecomesTheNextDecisionVersionWithItsSlaState() throws Exception {
        LeadReceived lead = lead().build();
        awaitRoutingState();
        publish(lead);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> get("/routing/decisions/" + lead.getLeadId(), 200));
        JsonNode first = get("/routing/decisions/" + lead.getLeadId(), 200);
        String other = first.path("owner").path("repId").asString().equals("simon") ? "cameron" : "simon";

        HttpResponse<String> badCountry = post("/routing/leads/" + lead.getLeadId() + "/reroute", "{\"country\": \"Germany\"}");
        HttpResponse<String> unknownRep = post("/routing/leads/" + lead.getLeadId() + "/reroute", "{\"ownerRepId\": \"mallory\"}");
        HttpResponse<String> nothing = post("/routing/leads/" + lead.getLeadId() + "/reroute", "{\"note\": \"just because\"}");
        HttpResponse<String> unknownLead = post("/routing/leads/" + UUID.randomUUID() + "/reroute", "{\"ownerRepId\": \"simon\"}");
        HttpResponse<String> accepted = post("/routing/leads/" + lead.getLeadId() + "/reroute",
                "{\"ownerRepId\": \"" + other + "\", \"note\": \"knows the buyer\"}");

        assertThat(first.path("decisionVersion").asInt()).isEqualTo(1);
        assertThat(first.path("sla").path("status").asString()).isEqualTo("waiting");
        assertThat(first.path("sla").path("policy").asString()).isEqualTo("default");
        for (var refused : List.of(badCountry, unknownRep, nothing)) {
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
            assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        }
        assertThat(json.readTree(badCountry.body()).path("field").asString()).isEqualTo("country");
        assertThat(json.readTree(unknownRep.body()).path("field").asString()).isEqualTo("ownerRepId");
        assertThat(json.readTree(nothing.body()).path("field").asString()).isEqualTo("body");
        assertThat(unknownLead.statusCode()).isEqualTo(404);
        assertThat(json.readTree(unknownLead.body()).path("field").asString()).isEqualTo("leadId");
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(get("/routing/decisions/" + lead.getLeadId(), 200).path("decisionVersion").asInt()).isEqualTo(2));
        JsonNode second = get("/routing/decisions/" + lead.getLeadId(), 200);
        assertThat(second.path("owner").path("repId").asString()).isEqualTo(other);
        assertThat(second.path("previousOwner").path("repId").asString()).isEqualTo(first.path("owner").path("repId").asString());
        assertThat(second.path("changeReason").asString()).isEqualTo("Re-routed by admin API: knows the buyer");
        assertThat(second.path("sla").path("status").asString()).isEqualTo("reassigned");
        assertThat(second.path("sla").path("decisionVersion").asInt()).isEqualTo(2);
        assertThat(second.path("sla").path("history").valueStream().map(e -> e.path("event").asString()).toList())
                .containsExactly("routed", "rerouted");
        assertThat(text("/actuator/prometheus")).contains("leadflow_routing_sla_reassignments_total{cause=\"rerouted\",policy=\"default\"}");
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return http.send(request(path).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private long assignedToday(String repId) throws Exception {
        for (JsonNode rep : get("/routing/reps", 200).path("reps")) {
            if (rep.path("id").asString().equals(repId)) {
                return rep.path("assignedToday").asLong();
            }
        }
        throw new AssertionError("no rep " + repId);
    }

    private void awaitRoutingState() {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> get("/routing/reps", 200));
    }

    private static <V> KafkaConsumer<String, V> consumer(String topic) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBrokers.shared().bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "routing-test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, AvroDeserializer.class,
                "schema.registry.url", REGISTRY,
                "specific.avro.reader", true);
        KafkaConsumer<String, V> consumer = new KafkaConsumer<>(config);
        consumer.subscribe(List.of(topic));
        return consumer;
    }

    private JsonNode get(String path, int status) throws Exception {
        HttpResponse<String> response = http.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("GET " + path + ": " + response.body()).isEqualTo(status);
        return json.readTree(response.body());
    }

    private String text(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofString()).body();
    }
}
