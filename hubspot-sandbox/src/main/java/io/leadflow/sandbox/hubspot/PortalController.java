package io.leadflow.sandbox.hubspot;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import static io.leadflow.sandbox.hubspot.Answers.JSON;

/**
 * What the portal is configured with, from {@link HubSpotSandboxSettings}: deal pipelines and their stages, owners,
 * and the account's details.
 */
@RestController
@RequestMapping(HubSpotSandboxWeb.BASE_PATH)
class PortalController {

    private final HubSpotSandboxSettings settings;

    PortalController(HubSpotSandbox sandbox) {
        this.settings = sandbox.settings();
    }

    @GetMapping("/crm/{version:v[34]}/pipelines/{type}")
    ResponseEntity<String> pipelines(@PathVariable String type) {
        return Answers.json(200, Types.type(type).equals("deals") ? results(dealPipelines()) : results(JSON.createArrayNode()));
    }

    @GetMapping({"/crm/{version:v[34]}/pipelines/{type}/{pipelineId}", "/crm/{version:v[34]}/pipelines/{type}/{pipelineId}/{part}"})
    ResponseEntity<String> pipeline(@PathVariable String type, @PathVariable String pipelineId,
                                    @PathVariable(required = false) String part) {
        if (!Types.type(type).equals("deals")) {
            return Answers.json(200, results(JSON.createArrayNode()));
        }
        for (JsonNode p : dealPipelines()) {
            if (p.path("id").asString().equals(pipelineId)) {
                return Answers.json(200, "stages".equals(part) ? results(p.path("stages")) : p);
            }
        }
        throw new HubSpotError(404, "OBJECT_NOT_FOUND", "Pipeline " + pipelineId + " does not exist");
    }

    private ArrayNode dealPipelines() {
        ArrayNode all = JSON.createArrayNode();
        for (HubSpotSandboxSettings.Pipeline pipeline : settings.pipelines()) {
            ObjectNode p = all.addObject();
            p.put("id", pipeline.id());
            p.put("label", pipeline.label());
            p.put("displayOrder", all.size() - 1);
            p.put("archived", false);
            ArrayNode stages = p.putArray("stages");
            int order = 0;
            for (HubSpotSandboxSettings.Stage stage : pipeline.stages()) {
                ObjectNode st = stages.addObject();
                st.put("id", stage.id());
                st.put("label", stage.label());
                st.put("displayOrder", order++);
                st.putObject("metadata").put("isClosed", String.valueOf(stage.closed())).put("probability", stage.probability());
                st.put("archived", false);
            }
        }
        return all;
    }

    @GetMapping({"/crm/{version:v[34]}/owners", "/crm/{version:v[34]}/owners/{id}"})
    ResponseEntity<String> owners(@PathVariable(required = false) String id, @RequestParam(required = false) String email) {
        ArrayNode results = JSON.createArrayNode();
        for (HubSpotSandboxSettings.Owner owner : settings.owners()) {
            if ((id == null || id.equals(owner.id())) && (email == null || email.equalsIgnoreCase(owner.email()))) {
                ObjectNode o = results.addObject();
                o.put("id", owner.id());
                o.put("email", owner.email());
                o.put("firstName", owner.firstName());
                o.put("lastName", owner.lastName());
                o.put("userId", Long.parseLong(owner.id()) + 1_000_000);
                o.put("archived", false);
            }
        }
        if (id != null) {
            if (results.isEmpty()) {
                throw new HubSpotError(404, "OBJECT_NOT_FOUND", "Owner " + id + " does not exist");
            }
            return Answers.json(200, results.get(0));
        }
        return Answers.json(200, results(results));
    }

    @GetMapping("/account-info/v3/details")
    ResponseEntity<String> account() {
        ObjectNode account = JSON.createObjectNode();
        account.put("portalId", Long.parseLong(settings.portalId()));
        account.put("accountType", "SANDBOX");
        account.put("timeZone", "UTC");
        account.put("companyCurrency", "USD");
        account.put("uiDomain", "localhost");
        account.put("dataHostingLocation", "na1");
        return Answers.json(200, account);
    }

    private static ObjectNode results(JsonNode results) {
        return JSON.createObjectNode().set("results", results);
    }
}
