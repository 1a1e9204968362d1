package io.leadflow.localstack;

import io.leadflow.avro.LeadRouted;
import io.leadflow.localstack.demo.SampleLeads;
import io.leadflow.schemas.Topics;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Stopping the local stack and starting it again on the same data directory keeps everything: topics
 * and their records, schema ids, the sandboxes' contents, and leads keep flowing.
 */
class RestartTests {

    static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void keepsItsDataAndSchemaIdsAcrossARestartAndLeadsStillFlow() {
        // given a lead that went all the way through
        LocalStack before = RunningStack.get();
        String first = post(before, "restart-before");
        await().atMost(Duration.ofSeconds(60)).until(() -> console(before, "/api/leads").toString().contains(first));
        String dealId = await().atMost(Duration.ofSeconds(60)).until(() -> dealOf(before, first), id -> id != null);
        String schemasBefore = Http.send("GET", before.registryUrl() + "/subjects/" + Topics.LEADS_ROUTED.valueSubject() + "/versions/latest", null).body();

        // when the stack is stopped and started again on the same data directory
        LocalStack after = RunningStack.restart();

        // then the earlier lead is still in the console, the schema ids are unchanged, and HubSpot still has its deal
        await().atMost(Duration.ofSeconds(60)).until(() -> console(after, "/api/leads").toString().contains(first));
        String schemasAfter = Http.send("GET", after.registryUrl() + "/subjects/" + Topics.LEADS_ROUTED.valueSubject() + "/versions/latest", null).body();
        assertThat(JSON.readTree(schemasAfter).path("id").asInt()).isEqualTo(JSON.readTree(schemasBefore).path("id").asInt()).isPositive();
        assertThat(dealOf(after, first)).isEqualTo(dealId);
        // and a new lead flows through
        String second = post(after, "restart-after");
        LeadRouted routed = new TopicReader(after).awaitValues(Topics.LEADS_ROUTED, second, r -> true).get(0);
        assertThat(routed.getOwner().getRepId()).isNotBlank();
        await().atMost(Duration.ofSeconds(60)).until(() -> console(after, "/api/leads").toString().contains(second));
    }

    static String post(LocalStack stack, String prefix) {
        String id = UUID.randomUUID().toString().substring(0, 6);
        SampleLeads.Persona persona = SampleLeads.CLOUD_SMALL.at("Restart " + id, "restart-" + id + ".co.uk");
        HttpResponse<String> response = stack.webhooks().website(SampleLeads.websiteForm(prefix + "-" + id, persona, Instant.now()));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        return JSON.readTree(response.body()).path("leadId").asString();
    }

    /** The HubSpot sandbox deal of a lead, as the console shows it. */
    static String dealOf(LocalStack stack, String leadId) {
        for (JsonNode deal : console(stack, "/api/hubspot").path("deals")) {
            if (leadId.equals(deal.path("properties").path("leadflow_lead_id").asString(""))) {
                return deal.path("id").asString();
            }
        }
        return null;
    }

    static JsonNode console(LocalStack stack, String path) {
        return JSON.readTree(Http.send("GET", stack.consoleUrl() + path, null).body());
    }
}
