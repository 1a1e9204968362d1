package io.leadflow.localstack.console;

import io.leadflow.localstack.LocalStack;
import io.leadflow.localstack.RunningStackAccess;
import io.leadflow.localstack.demo.SampleLeads;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The console's routing views on the running stack's console (loopback, no token): the live rules file to start from,
 * a simulation of a changed file that shows a lead's old and new owner with both sets of reasons and publishes
 * nothing, routing-service's problem with the line of a file that does not load, and the SLA clock of a routed lead.
 */
class RoutingViewsTests {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final HttpClient HTTP = HttpClient.newHttpClient();

    final LocalStack stack = RunningStackAccess.get();

    /** The live file with Enterprise leads given to Cameron instead of Simon. */
    static String enterpriseToCameron(String yaml) {
        String changed = yaml.replace("assign: simon\n      because: \"{rep} looks after Enterprise customers",
                "assign: cameron\n      because: \"{rep} looks after Enterprise customers");
        assertThat(changed).as("the live rules give Enterprise leads to Simon").isNotEqualTo(yaml);
        return changed;
    }

    @Test
    void aChangedRulesFileIsSimulatedOverPastLeadsShowingOldAndNewOwnerWithReasonsAndNothingIsPublished() throws Exception {
        // given the live rules and a hands-on Enterprise lead Simon got under them
        JsonNode live = JSON.readTree(get("/api/routing/rules").body());
        int liveVersion = live.path("live").path("version").asInt();
        assertThat(liveVersion).isPositive();
        String yaml = live.path("yaml").asString();
        assertThat(yaml).contains("reps:", "owners:");
        Instant before = Instant.now().minusSeconds(1);
        String leadId = routedEnterpriseLead();

        // when the file giving Enterprise leads to Cameron is simulated over a window holding that lead
        HttpResponse<String> response = simulate(enterpriseToCameron(yaml), "?from=" + before + "&sources=WEBSITE_FORM");

        // then the report shows the lead with Simon before and Cameron after, and why each
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode report = JSON.readTree(response.body());
        assertThat(report.path("leadsExamined").asInt()).isGreaterThanOrEqualTo(1);
        assertThat(report.path("changed").path("owner").asInt()).isGreaterThanOrEqualTo(1);
        assertThat(report.path("window").path("sources").toString()).contains("WEBSITE_FORM");
        JsonNode change = report.path("changes").valueStream().filter(c -> c.path("leadId").asString().equals(leadId)).findFirst()
                .orElseThrow(() -> new AssertionError("no change listed for " + leadId + ": " + response.body()));
        assertThat(change.path("changed").toString()).contains("owner");
        assertThat(change.path("before").path("owner").asString()).isEqualTo("simon");
        assertThat(change.path("after").path("owner").asString()).isEqualTo("cameron");
        assertThat(change.path("before").path("reasons").toString()).contains("Simon looks after Enterprise customers");
        assertThat(change.path("after").path("reasons").toString()).contains("Cameron looks after Enterprise customers");
        assertThat(report.path("leadsPerRepAndDay").path("cameron").toString()).contains("\"after\"");
        assertThat(report.path("ruleHits").path("owners").has("enterprise")).isTrue();
        // and nothing was published: the live version is the same
        assertThat(JSON.readTree(get("/api/routing/rules").body()).path("live").path("version").asInt()).isEqualTo(liveVersion);
    }

    @Test
    void aCandidateFileThatDoesNotLoadIsA400ProblemNamingItsLineAndABadWindowNamesItsField() throws Exception {
        String yaml = JSON.readTree(get("/api/routing/rules").body()).path("yaml").asString();
        List<String> lines = yaml.lines().toList();
        int weightLine = 1 + lines.indexOf(lines.stream().filter(l -> l.trim().startsWith("weight:")).findFirst().orElseThrow());
        String broken = yaml.replaceFirst("weight: 1", "weight: -2");

        HttpResponse<String> invalid = simulate(broken, "");
        HttpResponse<String> badFrom = simulate(yaml, "?from=yesterday");
        HttpResponse<String> badSource = simulate(yaml, "?sources=FAX");
        HttpResponse<String> empty = simulate("  \n", "");

        assertThat(invalid.statusCode()).as(invalid.body()).isEqualTo(400);
        assertThat(invalid.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
        JsonNode problem = JSON.readTree(invalid.body());
        assertThat(problem.path("field").asString()).isEqualTo("body");
        assertThat(problem.path("problems")).anySatisfy(p -> {
            assertThat(p.path("line").asInt()).isEqualTo(weightLine);
            assertThat(p.path("path").asString()).isEqualTo("reps[0].weight");
            assertThat(p.path("message").asString()).contains("-2");
        });
        for (var refused : List.of(badFrom, badSource, empty)) {
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
            assertThat(refused.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
        }
        assertThat(JSON.readTree(badFrom.body()).path("field").asString()).isEqualTo("from");
        assertThat(JSON.readTree(badSource.body()).path("field").asString()).isEqualTo("sources");
        assertThat(JSON.readTree(empty.body()).path("field").asString()).isEqualTo("body");
    }

    @Test
    void aRoutedLeadsSlaClockIsListedWithItsOwnerDueTimeAndStatus() throws Exception {
        String leadId = routedEnterpriseLead();

        JsonNode clock = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300)).until(() ->
                JSON.readTree(get("/api/routing/sla").body()).path("clocks").valueStream()
                        .filter(c -> c.path("leadId").asString().equals(leadId)).findFirst().orElse(null), c -> c != null);

        assertThat(clock.path("owner").path("name").asString()).isEqualTo("Simon");
        assertThat(clock.path("policy").asString()).isEqualTo("hands-on");
        assertThat(clock.path("status").asString()).isEqualTo("waiting");
        assertThat(clock.path("open").asBoolean()).isTrue();
        assertThat(Instant.parse(clock.path("acceptBy").asString())).isAfter(Instant.now());
        assertThat(clock.path("reminderSent").asBoolean()).isFalse();
    }

    /** Posts an Enterprise lead from Germany through lead-intake and waits until the console shows it routed. */
    String routedEnterpriseLead() throws Exception {
        String company = "Simulated " + UUID.randomUUID().toString().substring(0, 6);
        var response = stack.webhooks().website(SampleLeads.websiteForm("routing-views-" + UUID.randomUUID(),
                SampleLeads.ENTERPRISE_EU.at(company, company.toLowerCase().replace(' ', '-') + ".de"), Instant.now()));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        String leadId = JSON.readTree(response.body()).path("leadId").asString();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300)).until(() ->
                JSON.readTree(get("/api/leads").body()).valueStream().anyMatch(l -> l.path("leadId").asString().equals(leadId)));
        return leadId;
    }

    HttpResponse<String> get(String path) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(stack.consoleUrl() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("GET " + path + ": " + response.body()).isEqualTo(200);
        return response;
    }

    HttpResponse<String> simulate(String rules, String query) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(stack.consoleUrl() + "/api/routing/simulations" + query))
                .header("Content-Type", "application/yaml").timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofString(rules)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
