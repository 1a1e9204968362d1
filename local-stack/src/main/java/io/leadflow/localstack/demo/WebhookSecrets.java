package io.leadflow.localstack.demo;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The webhook secrets lead-intake checks, as the environment gives them (each may list several,
 * comma-separated; the first one signs). A blank secret means that source is accepted unsigned in the
 * local stack.
 */
public record WebhookSecrets(String website, String calendly, String calcom, String mailgun, String sendgrid, String hubspot) {

    /** Environment variable of each source's secret, as lead-intake reads them. */
    public static final Map<String, String> VARIABLES = Map.of(
            "website", "LEADFLOW_WEBSITE_SECRET",
            "calendly", "LEADFLOW_CALENDLY_SIGNING_KEY",
            "calcom", "LEADFLOW_CALCOM_SECRET",
            "mailgun", "LEADFLOW_MAILGUN_SIGNING_KEY",
            "sendgrid", "LEADFLOW_SENDGRID_PUBLIC_KEY",
            "hubspot", "LEADFLOW_HUBSPOT_CLIENT_SECRET");

    public static WebhookSecrets from(Function<String, String> env) {
        return new WebhookSecrets(first(env.apply(VARIABLES.get("website"))), first(env.apply(VARIABLES.get("calendly"))),
                first(env.apply(VARIABLES.get("calcom"))), first(env.apply(VARIABLES.get("mailgun"))),
                first(env.apply(VARIABLES.get("sendgrid"))), first(env.apply(VARIABLES.get("hubspot"))));
    }

    private static String first(String value) {
        if (value == null || value.isBlank()) {
            return "";
        }
        return value.split(",")[0].trim();
    }

    /** Sources without a secret, by the name lead-intake uses in its paths. */
    public Map<String, Boolean> signedBySource() {
        Map<String, Boolean> signed = new LinkedHashMap<>();
        signed.put("website", !website.isEmpty());
        signed.put("calendly", !calendly.isEmpty());
        signed.put("calcom", !calcom.isEmpty());
        signed.put("mailgun", !mailgun.isEmpty());
        signed.put("sendgrid", !sendgrid.isEmpty());
        signed.put("hubspot", !hubspot.isEmpty());
        return signed;
    }

    public boolean allSigned() {
        return signedBySource().values().stream().allMatch(Boolean::booleanValue);
    }

    public boolean noneSigned() {
        return signedBySource().values().stream().noneMatch(Boolean::booleanValue);
    }

    @Override
    public String toString() {
        return "WebhookSecrets" + signedBySource();
    }
}
