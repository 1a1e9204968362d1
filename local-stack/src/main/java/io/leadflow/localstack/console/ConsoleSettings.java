package io.leadflow.localstack.console;

import java.util.Map;

/**
 * What the console needs to know about the running stack.
 *
 * @param intakeUrl      lead-intake's base URL (the sample-lead button posts there)
 * @param trialsUrl      trial-tracker's base URL ({@code GET /trials})
 * @param endpoints      what runs where, by name, for the status panel
 * @param hubspotSandbox whether crm-sync talks to the sandbox (false: the real HubSpot)
 * @param slackSandbox   whether rep-notifier talks to the sandbox (false: the real Slack)
 * @param unsignedSources sources lead-intake accepts without a signature
 */
public record ConsoleSettings(String intakeUrl, String trialsUrl, Map<String, String> endpoints, boolean hubspotSandbox,
                              boolean slackSandbox, java.util.List<String> unsignedSources) {
}
