package io.leadflow.localstack.console;

import java.util.Map;

/**
 * What the console needs to know about the running stack.
 *
 * @param intakeUrl      lead-intake's base URL (the sample-lead button posts there)
 * @param trialsUrl      trial-tracker's base URL ({@code GET /trials})
 * @param routingUrl     routing-service's base URL (live rules, simulations, SLA clocks)
 * @param adminToken     bearer token of trial-tracker's and routing-service's APIs, lent to callers only while the console's API is open (loopback, no token)
 * @param endpoints      what runs where, by name, for the status panel
 * @param hubspotSandbox whether crm-sync talks to the sandbox (false: the real HubSpot)
 * @param slackSandbox   whether rep-notifier talks to the sandbox (false: the real Slack)
 * @param unsignedSources sources lead-intake accepts without a signature
 */
public record ConsoleSettings(String intakeUrl, String trialsUrl, String routingUrl, String adminToken, Map<String, String> endpoints, boolean hubspotSandbox,
                              boolean slackSandbox, java.util.List<String> unsignedSources) {

    @Override
    public String toString() {
        return "ConsoleSettings[intakeUrl=" + intakeUrl + ", trialsUrl=" + trialsUrl + ", routingUrl=" + routingUrl + ", adminToken=***]";
    }
}
