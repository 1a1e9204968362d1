package io.leadflow.routing.api;

import io.leadflow.avro.LeadReceived;
import io.leadflow.avro.PlanInterest;
import io.leadflow.routing.RunningRoutingService;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static io.leadflow.routing.Leads.lead;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code GET /routing/sla} lists every routed lead's clock from the routing task's stores: owner, policy, status and
 * when it falls due, open clocks first and soonest due first; it needs the admin token like every routing read, and a
 * bad {@code limit} is a problem naming it.
 */
class SlaClocksApiTests extends RunningRoutingService {

    @Test
    void routedLeadsAreListedWithTheirOwnerDueTimeAndStatusOpenClocksFirstSoonestDueFirst() throws Exception {
        LeadReceived selfServe = lead().build();
        LeadReceived handsOn = lead().us().interest(PlanInterest.ENTERPRISE).events(60_000_000L).title("CTO").build();
        publish(selfServe);
        publish(handsOn);

        JsonNode answer = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300))
                .until(() -> get("/routing/sla"), body -> find(body, selfServe.getLeadId()) != null && find(body, handsOn.getLeadId()) != null);

        JsonNode plain = find(answer, selfServe.getLeadId());
        JsonNode enterprise = find(answer, handsOn.getLeadId());
        assertThat(plain.path("status").asString()).isEqualTo("waiting");
        assertThat(plain.path("open").asBoolean()).isTrue();
        assertThat(plain.path("policy").asString()).isEqualTo("default");
        assertThat(plain.path("company").asString()).isEqualTo(selfServe.getContact().getCompanyName());
        assertThat(plain.path("source").asString()).isEqualTo("WEBSITE_FORM");
        assertThat(plain.path("decisionVersion").asInt()).isEqualTo(1);
        assertThat(plain.path("reminderSent").asBoolean()).isFalse();
        assertThat(plain.path("reassignments").asInt()).isZero();
        assertThat(plain.has("escalatedTo")).isFalse();
        assertThat(plain.path("lastEvent").asString()).isEqualTo("routed");
        assertThat(Instant.parse(plain.path("acceptBy").asString())).as("two hours of working time away, at least")
                .isAfter(Instant.now().plus(Duration.ofMinutes(119)));
        assertThat(plain.path("secondsLeft").asLong()).isGreaterThan(Duration.ofMinutes(119).toSeconds());
        assertThat(enterprise.path("policy").asString()).isEqualTo("hands-on");
        assertThat(enterprise.path("owner").path("repId").asString()).isEqualTo("simon");
        assertThat(enterprise.path("owner").path("name").asString()).isEqualTo("Simon");
        assertThat(answer.path("open").asInt()).isGreaterThanOrEqualTo(2);
        assertThat(answer.path("total").asInt()).isGreaterThanOrEqualTo(answer.path("open").asInt());

        List<JsonNode> clocks = new ArrayList<>();
        answer.path("clocks").forEach(clocks::add);
        int firstStopped = (int) clocks.stream().takeWhile(c -> c.path("open").asBoolean()).count();
        assertThat(clocks.subList(firstStopped, clocks.size())).as("open clocks come first").noneMatch(c -> c.path("open").asBoolean());
        List<Instant> due = clocks.subList(0, firstStopped).stream().map(c -> Instant.parse(c.path("acceptBy").asString())).toList();
        assertThat(due).as("the soonest due first").isSorted();
    }

    @Test
    void theListIsCutAtTheLimitAndABadLimitIsAProblemNamingIt() throws Exception {
        publish(lead().build());
        await().atMost(Duration.ofSeconds(60)).until(() -> get("/routing/sla").path("total").asInt() >= 1);

        JsonNode one = get("/routing/sla?limit=1");
        HttpResponse<String> zero = send("/routing/sla?limit=0", "Bearer " + TOKEN);
        HttpResponse<String> words = send("/routing/sla?limit=many", "Bearer " + TOKEN);

        assertThat(one.path("clocks")).hasSize(1);
        assertThat(one.path("limit").asInt()).isEqualTo(1);
        for (HttpResponse<String> refused : List.of(zero, words)) {
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
            assertThat(refused.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
            assertThat(json.readTree(refused.body()).path("field").asString()).isEqualTo("limit");
        }
    }

    @Test
    void theListNeedsTheAdminTokenLikeEveryRoutingRead() throws Exception {
        for (String authorization : new String[] {null, "Bearer wrong-" + TOKEN}) {
            HttpResponse<String> response = send("/routing/sla", authorization);

            assertThat(response.statusCode()).as(response.body()).isEqualTo(401);
            assertThat(json.readTree(response.body()).path("field").asString()).isEqualTo("Authorization");
            assertThat(response.body()).doesNotContain("clocks");
        }
    }

    private static JsonNode find(JsonNode answer, String leadId) {
        for (JsonNode clock : answer.path("clocks")) {
            if (clock.path("leadId").asString().equals(leadId)) {
                return clock;
            }
        }
        return null;
    }

    private JsonNode get(String path) throws Exception {
        HttpResponse<String> response = send(path, "Bearer " + TOKEN);
        assertThat(response.statusCode()).as("GET " + path + ": " + response.body()).isEqualTo(200);
        return json.readTree(response.body());
    }

    private HttpResponse<String> send(String path, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).GET();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
