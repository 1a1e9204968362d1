package io.leadflow.crm.system;

import io.leadflow.crm.hubspot.HubSpotCrm;
import io.leadflow.crm.hubspot.HubSpotException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.InitializingBean;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What crm-sync needs in the HubSpot account, checked before any record is consumed, and created on request:
 * <ul>
 *   <li>the configured deal pipelines and their stages ({@code GET /crm/v3/pipelines/deals});</li>
 *   <li>the unique deal property {@code leadflow_lead_id} ({@code GET /crm/v3/properties/deals/leadflow_lead_id}),
 *       which the deal upsert matches on;</li>
 *   <li>the text deal property {@code leadflow_slack_channel_id}, the shared Slack channel's id;</li>
 *   <li>the text property {@code leadflow_key} on notes and tasks, the deterministic key looked up before creating one.</li>
 * </ul>
 * Missing properties are created by {@code POST /crm/setup/properties} on this service, or on start-up with
 * {@code LEADFLOW_HUBSPOT_CREATE_PROPERTIES=true}: a {@code leadflow} property group per object type, then the property
 * ({@code POST /crm/v3/properties/{objectType}/groups}, {@code POST /crm/v3/properties/{objectType}}).
 */
public class HubSpotSetup implements InitializingBean {

    private static final Logger log = LoggerFactory.getLogger(HubSpotSetup.class);

    static final String GROUP = "leadflow";

    private final HubSpotCrm crm;
    private final CrmProperties properties;

    HubSpotSetup(HubSpotCrm crm, CrmProperties properties) {
        this.crm = crm;
        this.properties = properties;
    }

    /** A custom property crm-sync relies on. */
    record Required(String objectType, String name, String label, String description, boolean unique) {
    }

    static final List<Required> REQUIRED = List.of(
            new Required("deals", HubSpotCrm.LEAD_ID_PROPERTY, "Leadflow lead id",
                    "Id of the Leadflow lead this deal was created for; deals are upserted on it.", true),
            new Required("deals", io.leadflow.crm.sync.SharedChannelSync.CHANNEL_PROPERTY, "Slack channel id",
                    "Id of the shared Slack Connect channel Leadflow set up for this deal's customer.", false),
            new Required("notes", HubSpotCrm.KEY_PROPERTY, "Leadflow key",
                    "Deterministic key of the note written by Leadflow; looked up so a note is never written twice.", false),
            new Required("tasks", HubSpotCrm.KEY_PROPERTY, "Leadflow key",
                    "Deterministic key of the task written by Leadflow; looked up so a task is never created twice.", false));

    @Override
    public void afterPropertiesSet() {
        try {
            check();
        } catch (HubSpotException.AuthFailed e) {
            throw new IllegalStateException("HubSpot refused crm-sync's credentials at start-up (" + e.status() + " " + e.category()
                    + ": " + e.getMessage() + "). To fix: " + e.whatToFix() + ".", e);
        }
    }

    private void check() {
        if (properties.hubspot().createProperties()) {
            createProperties();
        }
        if (properties.hubspot().verifyOnStartup()) {
            List<String> problems = verify();
            if (!problems.isEmpty()) {
                throw new IllegalStateException("HubSpot account is not ready for crm-sync:\n - " + String.join("\n - ", problems)
                        + "\nCreate the properties with POST /crm/setup/properties (or LEADFLOW_HUBSPOT_CREATE_PROPERTIES=true)"
                        + " and check LEADFLOW_HUBSPOT_PIPELINE_* against Settings > Objects > Deals > Pipelines.");
            }
            log.info("HubSpot account checked: pipelines, stages and custom properties are in place");
        }
    }

    /** Everything missing or wrong, as sentences; empty when the account is ready. */
    public List<String> verify() {
        List<String> problems = new ArrayList<>();
        JsonNode pipelines = crm.dealPipelines();
        checkPipeline("self-serve", "LEADFLOW_HUBSPOT_PIPELINE_SELF_SERVE", properties.pipelines().selfServe(), pipelines, problems);
        checkPipeline("hands-on", "LEADFLOW_HUBSPOT_PIPELINE_HANDS_ON", properties.pipelines().handsOn(), pipelines, problems);
        for (Required required : REQUIRED) {
            Optional<JsonNode> property = crm.property(required.objectType(), required.name());
            if (property.isEmpty()) {
                problems.add("the " + required.objectType() + " property '" + required.name() + "' does not exist");
            } else if (required.unique() && !property.get().path("hasUniqueValue").asBoolean(false)) {
                problems.add("the " + required.objectType() + " property '" + required.name()
                        + "' exists but does not require unique values (hasUniqueValue=false); deals cannot be upserted on it");
            }
        }
        return problems;
    }

    private static void checkPipeline(String label, String env, CrmProperties.PipelineStage wanted, JsonNode pipelines,
                                      List<String> problems) {
        List<String> available = new ArrayList<>();
        for (JsonNode pipeline : pipelines.path("results")) {
            String id = pipeline.path("id").asString("");
            available.add(id);
            if (id.equals(wanted.id())) {
                List<String> stages = new ArrayList<>();
                for (JsonNode stage : pipeline.path("stages")) {
                    stages.add(stage.path("id").asString(""));
                }
                if (!stages.contains(wanted.stage())) {
                    problems.add("the " + label + " pipeline '" + wanted.id() + "' has no stage '" + wanted.stage() + "' ("
                            + env + "_STAGE); its stages are " + stages);
                }
                return;
            }
        }
        problems.add("no deal pipeline '" + wanted.id() + "' for " + label + " (" + env + "); the account has " + available);
    }

    /** Creates what is missing; answers, per property, {@code created} or {@code exists}. */
    public Map<String, String> createProperties() {
        Map<String, String> outcome = new LinkedHashMap<>();
        for (Required required : REQUIRED) {
            String name = required.objectType() + "." + required.name();
            if (crm.property(required.objectType(), required.name()).isPresent()) {
                outcome.put(name, "exists");
                continue;
            }
            createGroup(required.objectType());
            Map<String, Object> definition = new LinkedHashMap<>();
            definition.put("name", required.name());
            definition.put("label", required.label());
            definition.put("description", required.description());
            definition.put("groupName", GROUP);
            definition.put("type", "string");
            definition.put("fieldType", "text");
            definition.put("hasUniqueValue", required.unique());
            definition.put("formField", false);
            try {
                crm.createProperty(required.objectType(), definition);
            } catch (HubSpotException.Rejected e) {
                if (e.status() != 409) {
                    throw e;
                }
                // another instance created it since we looked: instances that start together must all start
                outcome.put(name, "exists");
                continue;
            }
            log.info("Created HubSpot property {}", name);
            outcome.put(name, "created");
        }
        return outcome;
    }

    private void createGroup(String objectType) {
        try {
            crm.createPropertyGroup(objectType, Map.of("name", GROUP, "label", "Leadflow", "displayOrder", -1));
        } catch (HubSpotException.Rejected e) {
            if (e.status() != 409) {
                throw e;
            }
        }
    }
}
