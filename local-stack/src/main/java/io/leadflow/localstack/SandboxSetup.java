package io.leadflow.localstack;

import io.leadflow.sandbox.slack.SlackSandboxWeb;
import io.leadflow.sandbox.hubspot.HubSpotSandboxSettings;
import io.leadflow.sandbox.hubspot.HubSpotSandboxWeb;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How the local stack shapes its HubSpot and Slack sandboxes to the services, and points the services at them: the
 * portal's deal pipelines, the workspace's member ids, and the services' settings for the sandboxes' URLs and tokens.
 */
final class SandboxSetup {

    private SandboxSetup() {
    }

    /** The sandbox's Slack member id for a rep's email, as routing's rules name them. */
    static String slackUserOf(String email) {
        return switch (email) {
            case "cameron@example.com" -> "U00CAMERON1";
            case "simon@example.com" -> "U00SIMON001";
            default -> "U" + Integer.toHexString(email.hashCode()).toUpperCase(Locale.ROOT);
        };
    }

    /**
     * The sandbox portal's default pipelines plus crm-sync's self-serve and hands-on pipelines with their first
     * stages, trial-tracker's evaluation stage and a review-call stage; every pipeline but the default gets its
     * closed-won and closed-lost stages.
     */
    static List<HubSpotSandboxSettings.Pipeline> pipelines(String selfServe, String selfServeStage, String handsOn,
                                                           String handsOnStage, String trialPipelineId, String trialStageId) {
        Map<String, List<HubSpotSandboxSettings.Stage>> stages = new LinkedHashMap<>();
        Map<String, String> labels = new LinkedHashMap<>();
        for (HubSpotSandboxSettings.Pipeline p : HubSpotSandboxSettings.defaults().pipelines()) {
            stages.put(p.id(), new ArrayList<>(p.stages()));
            labels.put(p.id(), p.label());
        }
        addStage(stages, labels, selfServe, "Self-serve", selfServeStage, "New self-serve lead");
        addStage(stages, labels, handsOn, "Hands-on", handsOnStage, "Qualified");
        addStage(stages, labels, trialPipelineId, "Hands-on", trialStageId, "30-day evaluation");
        addStage(stages, labels, handsOn, "Hands-on", handsOn + "-review-call", "Review call with decision makers");
        List<HubSpotSandboxSettings.Pipeline> pipelines = new ArrayList<>();
        stages.forEach((id, list) -> {
            if (!id.equals("default")) {
                addClosed(list, id);
            }
            pipelines.add(new HubSpotSandboxSettings.Pipeline(id, labels.get(id), List.copyOf(list)));
        });
        return pipelines;
    }

    private static void addStage(Map<String, List<HubSpotSandboxSettings.Stage>> stages, Map<String, String> labels, String pipeline,
                                 String pipelineLabel, String stage, String stageLabel) {
        labels.putIfAbsent(pipeline, pipelineLabel);
        List<HubSpotSandboxSettings.Stage> list = stages.computeIfAbsent(pipeline, p -> new ArrayList<>());
        if (list.stream().noneMatch(s -> s.id().equals(stage))) {
            list.add(new HubSpotSandboxSettings.Stage(stage, stageLabel, "0.5", false));
        }
    }

    private static void addClosed(List<HubSpotSandboxSettings.Stage> list, String pipeline) {
        list.add(new HubSpotSandboxSettings.Stage(pipeline + "-closed-won", "Closed won", "1.0", true));
        list.add(new HubSpotSandboxSettings.Stage(pipeline + "-closed-lost", "Closed lost", "0.0", true));
    }

    /** Points crm-sync, trial-tracker and rep-notifier at the HubSpot sandbox served by the console. */
    static void useHubSpotSandbox(String consoleUrl, String token, Map<String, String> crm, Map<String, String> trials,
                                  Map<String, String> notifier) {
        String portal = HubSpotSandboxSettings.defaults().portalId();
        String api = consoleUrl + HubSpotSandboxWeb.BASE_PATH;
        String app = consoleUrl + "/hubspot";
        for (Map<String, String> props : List.of(crm, trials, notifier)) {
            props.put("LEADFLOW_HUBSPOT_PORTAL_ID", portal);
            props.put("LEADFLOW_HUBSPOT_APP_BASE_URL", app);
        }
        crm.put("leadflow.crm.hubspot.base-url", api);
        crm.put("leadflow.crm.hubspot.token", token);
        crm.put("leadflow.crm.hubspot.portal-id", portal);
        crm.put("leadflow.crm.hubspot.app-base-url", app);
        crm.put("LEADFLOW_HUBSPOT_BASE_URL", api);
        crm.put("LEADFLOW_HUBSPOT_TOKEN", token);
        // The sandbox portal is Leadflow's: crm-sync creates its custom properties there on start-up.
        crm.put("leadflow.crm.hubspot.create-properties", "true");
        // At most 190 requests per 10 s at HubSpot for a Professional/Enterprise private app, as the sandbox enforces.
        crm.put("leadflow.crm.rate-limit.max-requests", Integer.toString(HubSpotSandboxSettings.defaults().rateLimit()));
        notifier.put("leadflow.notifier.hubspot.portal-id", portal);
        notifier.put("leadflow.notifier.hubspot.app-base-url", app);
    }

    /** Points rep-notifier at the Slack sandbox served by the console. */
    static void useSlackSandbox(String consoleUrl, String token, Map<String, String> notifier) {
        String api = consoleUrl + SlackSandboxWeb.BASE_PATH;
        notifier.put("leadflow.notifier.slack.base-url", api);
        notifier.put("leadflow.notifier.slack.bot-token", token);
        notifier.put("LEADFLOW_SLACK_BASE_URL", api);
        notifier.put("LEADFLOW_SLACK_BOT_TOKEN", token);
    }
}
