package io.leadflow.localstack;

import io.leadflow.localstack.demo.SampleLeads;
import io.leadflow.localstack.system.Binding;
import io.leadflow.localstack.system.LocalStackOptions;
import io.leadflow.localstack.system.Ports;
import io.leadflow.localstack.system.StartupBanner;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code ./leadflow --bind 0.0.0.0}: reachable from other machines, so every admin endpoint needs the admin token
 * (made up for the run, shown masked), the sandboxes accept only the tokens the stack gave its services, and leads
 * still flow all the way to HubSpot and Slack.
 */
class BoundBeyondLoopbackTests {

    static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void everyAdminEndpointNeedsTheMadeUpTokenAndLeadsStillReachTheSandboxes() throws Exception {
        Path data = Files.createTempDirectory("leadflow-bound-stack");
        LocalStackOptions options = new LocalStackOptions(data, false, false, null, Ports.random(), Map.of()).withBinding(Binding.of("0.0.0.0"));
        try (LocalStack stack = LocalStack.start(options)) {
            String token = stack.adminToken();
            String bearer = "Bearer " + token;

            // the banner says so, without the token
            assertThat(StartupBanner.render(stack)).contains("all interfaces (0.0.0.0)", "needed by every admin endpoint").doesNotContain(token);
            assertThat(stack.admin().generated()).isTrue();

            // every admin endpoint answers 401 without the token, and works with it
            for (String url : new String[] {stack.serviceUrl(LocalStack.ROUTING) + "/routing/reps", stack.serviceUrl(LocalStack.CRM) + "/crm/setup",
                    stack.trialsUrl() + "/trials", stack.consoleUrl() + "/api/leads", stack.consoleUrl() + "/api/trials",
                    stack.consoleUrl() + "/sandbox/hubspot/faults"}) {
                HttpResponse<String> refused = Http.send("GET", url, null);
                assertThat(refused.statusCode()).as(url).isEqualTo(401);
                assertThat(JSON.readTree(refused.body()).path("field").asString()).isEqualTo("Authorization");
                // (routing's reps need its stream running, which may take a moment after start-up)
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                        assertThat(Http.send("GET", url, null, "Authorization", bearer).statusCode()).as(url).isEqualTo(200));
            }
            assertThat(Http.send("GET", stack.consoleUrl() + "/api/status", null).statusCode()).isEqualTo(200);

            // the sandboxes take only the stack's own tokens now
            HttpResponse<String> hubspot = Http.send("GET", stack.consoleUrl() + "/sandbox/hubspot/crm/v3/pipelines/deals", null,
                    "Authorization", "Bearer pat-any-shaped-token");
            assertThat(hubspot.statusCode()).isEqualTo(401);
            HttpResponse<String> slack = Http.send("POST", stack.consoleUrl() + "/sandbox/slack/api/auth.test", "{}",
                    "Authorization", "Bearer xoxb-any-shaped-token");
            assertThat(JSON.readTree(slack.body()).path("error").asString()).isEqualTo("invalid_auth");

            // and a lead still reaches HubSpot and its rep in Slack, through the services' own tokens
            String company = "Bound " + UUID.randomUUID().toString().substring(0, 6);
            SampleLeads.Persona persona = SampleLeads.ENTERPRISE_EU.at(company, company.toLowerCase().replace(' ', '-') + ".de");
            HttpResponse<String> accepted = stack.webhooks().website(SampleLeads.websiteForm("bound-" + UUID.randomUUID(), persona, Instant.now()));
            assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
            String leadId = JSON.readTree(accepted.body()).path("leadId").asString();
            await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
                assertThat(StreamSupport.stream(stack.hubspot().objects("deals").spliterator(), false)
                        .anyMatch(d -> leadId.equals(d.path("properties").path("leadflow_lead_id").asString("")))).isTrue();
                assertThat(StreamSupport.stream(stack.slack().messages(100).spliterator(), false)
                        .anyMatch(m -> m.toString().contains(company))).isTrue();
            });
        }
        assertThat(data.resolve("admin-token")).as("the made-up token's file goes with the stack").doesNotExist();
    }
}
