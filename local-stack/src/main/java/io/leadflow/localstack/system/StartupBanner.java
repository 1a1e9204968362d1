package io.leadflow.localstack.system;

import io.leadflow.localstack.LocalStack;

import java.util.Map;

/** The one short block printed once everything is up: what runs where, and a signed curl to try. */
public final class StartupBanner {

    private StartupBanner() {
    }

    public static String render(LocalStack stack) {
        StringBuilder out = new StringBuilder("\n");
        out.append("Leadflow is running (data in ").append(stack.dataDir().toAbsolutePath().normalize()).append(")\n");
        for (Map.Entry<String, String> e : stack.endpoints().entrySet()) {
            out.append(String.format("  %-16s %s%n", e.getKey(), e.getValue()));
        }
        out.append("  HubSpot          ").append(stack.usesHubSpotSandbox()
                ? "sandbox at " + stack.consoleUrl() + "/sandbox/hubspot (set LEADFLOW_HUBSPOT_TOKEN for the real API)"
                : "the real API (LEADFLOW_HUBSPOT_TOKEN)").append('\n');
        out.append("  Slack            ").append(stack.usesSlackSandbox()
                ? "sandbox at " + stack.consoleUrl() + "/sandbox/slack/api (set LEADFLOW_SLACK_BOT_TOKEN for the real API)"
                : "the real API (LEADFLOW_SLACK_BOT_TOKEN)").append('\n');
        out.append("  Listening on     ").append(stack.binding().describe()).append(" (Kafka and the registry: 127.0.0.1 only)\n");
        out.append("  Admin token      ").append(adminToken(stack)).append('\n');
        if (!stack.unsignedSources().isEmpty()) {
            out.append("  Signatures       NOT checked for ").append(String.join(", ", stack.unsignedSources()))
                    .append(" (no secret set; LEADFLOW_INTAKE_ALLOW_UNSIGNED=true)\n");
        }
        if (stack.options().demo()) {
            out.append("  Demo feed        posting sample leads every ").append(every(stack.options().demoEvery())).append('\n');
        }
        out.append("\nTry a lead, then watch it in the console:\n").append(curl(stack)).append('\n');
        return out.toString();
    }

    /** A pace in whole seconds, or in milliseconds below one second ({@code 0.3s} would read "every 0 s"). */
    static String every(java.time.Duration pace) {
        return pace.toMillis() % 1000 == 0 ? pace.toSeconds() + " s" : pace.toMillis() + " ms";
    }

    /** The admin token, masked, with where to find it and what needs it. Never the token itself. */
    static String adminToken(LocalStack stack) {
        AdminToken token = stack.admin();
        String where = token.generated()
                ? "made up for this run, in " + stack.adminTokenFile().toAbsolutePath().normalize()
                : "from " + AdminToken.ENV;
        String who = token.requiredEverywhere()
                ? "needed by every admin endpoint and the console's API"
                : "needed by the trials API; the other admin endpoints answer this machine without it";
        return token.masked() + " (" + where + "): " + who;
    }

    /** A website-form lead as a curl command, signed with the website secret when there is one. */
    static String curl(LocalStack stack) {
        String body = "{\"submissionId\":\"try-'$(date +%s)'\",\"email\":\"ada@example.org\",\"firstName\":\"Ada\","
                + "\"company\":\"Example Org\",\"country\":\"Germany\",\"planInterest\":\"enterprise\",\"monthlyEvents\":\"60m\"}";
        String url = stack.intakeUrl() + "/webhooks/website";
        if (stack.secrets().website().isEmpty()) {
            return "  curl -i " + url + " -H 'Content-Type: application/json' \\\n    -d '" + body + "'";
        }
        return "  BODY='" + body + "'\n"
                + "  TS=$(date +%s); SIG=$(printf '%s.%s' \"$TS\" \"$BODY\" | openssl dgst -sha256 -hmac \"$LEADFLOW_WEBSITE_SECRET\" | sed 's/^.* //')\n"
                + "  curl -i " + url + " -H 'Content-Type: application/json' \\\n"
                + "    -H \"X-Leadflow-Signature: t=$TS,v1=$SIG\" -d \"$BODY\"";
    }
}
