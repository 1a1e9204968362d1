package io.leadflow.intake.system;

import io.leadflow.avro.LeadSource;

/**
 * The endpoints lead-intake serves. {@link #tag()} is the low-cardinality metric tag and the name in
 * problem details; {@link #leadSource()} is what a lead from here carries.
 *
 * <p>Lead identity: {@code leadId = LeadIds.leadId(leadSource().name(), sourceEventId)}, e.g.
 * {@code WEBSITE_FORM:<submissionId>}, {@code DEMO_BOOKING:<Calendly invitee URI>},
 * {@code DEMO_BOOKING:<Cal.com booking uid>}, {@code EMAIL:<Message-Id>}. Anyone holding a
 * {@code LeadReceived} can recompute its id from its own {@code source} and {@code sourceEventId};
 * the same email forwarded by Mailgun and by SendGrid is one lead.
 */
public enum WebhookSource {
    WEBSITE("website", LeadSource.WEBSITE_FORM, "LEADFLOW_WEBSITE_SECRET"),
    CALENDLY("calendly", LeadSource.DEMO_BOOKING, "LEADFLOW_CALENDLY_SIGNING_KEY"),
    CALCOM("calcom", LeadSource.DEMO_BOOKING, "LEADFLOW_CALCOM_SECRET"),
    MAILGUN("mailgun", LeadSource.EMAIL, "LEADFLOW_MAILGUN_SIGNING_KEY"),
    SENDGRID("sendgrid", LeadSource.EMAIL, "LEADFLOW_SENDGRID_PUBLIC_KEY"),
    HUBSPOT("hubspot", null, "LEADFLOW_HUBSPOT_CLIENT_SECRET"),
    /** Slack interactivity: a rep's click on a lead alert's button; not a lead, an activity of one. */
    SLACK("slack", null, "LEADFLOW_SLACK_SIGNING_SECRET");

    /** Where Slack posts interaction payloads: the Slack app's Interactivity Request URL. */
    public static final String SLACK_INTERACTIONS_PATH = "/webhooks/slack/interactions";

    private final String tag;
    private final LeadSource leadSource;
    private final String secretEnv;

    WebhookSource(String tag, LeadSource leadSource, String secretEnv) {
        this.tag = tag;
        this.leadSource = leadSource;
        this.secretEnv = secretEnv;
    }

    public String tag() {
        return tag;
    }

    public LeadSource leadSource() {
        return leadSource;
    }

    /** The environment variable holding this source's secret(s). */
    public String secretEnv() {
        return secretEnv;
    }

    /** The source an endpoint path belongs to, for requests rejected before a controller ran; null when none. */
    public static WebhookSource fromPath(String path) {
        if (path == null) {
            return null;
        }
        if (path.equals(SLACK_INTERACTIONS_PATH)) {
            return SLACK;
        }
        String last = path.substring(path.lastIndexOf('/') + 1);
        for (WebhookSource source : values()) {
            if (source.tag.equals(last)) {
                return source;
            }
        }
        return null;
    }
}
