package io.leadflow.intake.system;

import io.leadflow.platform.privacy.PrivacyKey;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * Every lead-intake setting ({@code leadflow.intake.*}); application.yml maps each to an environment
 * variable.
 *
 * @param allowUnsigned      accept requests from sources without a secret (local stack only; warned at start-up)
 * @param signatureMaxAge    how old a signed timestamp may be (and how far in the future) for sources that sign each
 *                           attempt afresh: the website form, HubSpot and Slack (five minutes, as HubSpot and Slack
 *                           document)
 * @param retryWindows       how old a signed timestamp may be for providers that resend a delivery with its original
 *                           signature, as long as each documents retrying
 * @param publishTimeout     the longest a request waits for Kafka's acknowledgement (the producer's own delivery
 *                           timeout normally answers first) before answering 503
 * @param retryAfter         the {@code Retry-After} sent with a 503
 * @param bodyReadTimeout    the longest a request body may take to arrive, however slowly it trickles in
 * @param maxJsonBody        body limit for JSON webhooks
 * @param maxEmailBody       body limit for inbound email (attachments are dropped, never stored)
 * @param replayCacheSize    deliveries the shared replay memory keeps in each instance's view
 * @param claimLease         how long one instance's claim on a Mailgun token holds before another may take it over
 * @param hubspotWebhookUrl  the public URL HubSpot calls, when a proxy rewrites scheme/host/path; empty = as received
 * @param hubspotSignals     which HubSpot property changes mean the lead was worked
 * @param secrets            per-source secrets, each a comma-separated list for rotation
 * @param nextStep           the website visitor's next-step link: book a call with the lead's owner at once
 * @param privacy            erasure requests: the key people are named by ({@code leadflow.privacy.key})
 */
@Validated
@ConfigurationProperties("leadflow.intake")
public record IntakeProperties(@DefaultValue("false") boolean allowUnsigned,
                               @DefaultValue("5m") @NotNull Duration signatureMaxAge,
                               @DefaultValue @Valid @NotNull RetryWindows retryWindows,
                               @DefaultValue("10s") @NotNull Duration publishTimeout,
                               @DefaultValue("30s") @NotNull Duration retryAfter,
                               @DefaultValue("10s") @NotNull Duration bodyReadTimeout,
                               @DefaultValue("1MB") @NotNull DataSize maxJsonBody,
                               @DefaultValue("10MB") @NotNull DataSize maxEmailBody,
                               @DefaultValue("1000000") @Min(1) long replayCacheSize,
                               @DefaultValue("30s") @NotNull Duration claimLease,
                               @DefaultValue("") String hubspotWebhookUrl,
                               @DefaultValue @Valid @NotNull HubSpotSignals hubspotSignals,
                               @DefaultValue @Valid @NotNull Secrets secrets,
                               @DefaultValue @Valid @NotNull NextStep nextStep,
                               @DefaultValue @Valid @NotNull PrivacyKey privacy) {

    /**
     * The link a website form's answer carries, which the visitor's browser polls until routing has chosen an owner and
     * then shows that owner's name and booking page.
     *
     * @param secret         HMAC key the links are signed with ({@code LEADFLOW_INTAKE_NEXT_STEP_SECRET}); every instance
     *                       must share it. Empty: a random key per process, so a link works only on the instance that
     *                       made it and until it restarts (fine for one instance; warned at start-up)
     * @param ttl            how long a link answers after the form was received
     * @param allowedOrigins website origins ({@code https://www.example.com}) whose pages may read the link's answer
     *                       cross-origin (CORS); empty: none
     * @param publicUrl      lead-intake's public base URL for the absolute link; empty: this request's scheme and host
     * @param cacheSize      most routed leads each instance remembers for the links
     */
    public record NextStep(@DefaultValue("") String secret,
                           @DefaultValue("30m") @NotNull Duration ttl,
                           @DefaultValue List<String> allowedOrigins,
                           @DefaultValue("") String publicUrl,
                           @DefaultValue("100000") @Min(1) long cacheSize) {

        public NextStep {
            allowedOrigins = allowedOrigins == null ? List.of()
                    : allowedOrigins.stream().map(String::trim).filter(origin -> !origin.isEmpty()).toList();
        }

        @Override
        public String toString() {
            return "NextStep[secret=" + (secret == null || secret.isBlank() ? "<unset>" : "***") + ", ttl=" + ttl
                    + ", allowedOrigins=" + allowedOrigins + ", publicUrl=" + publicUrl + ", cacheSize=" + cacheSize + "]";
        }
    }

    /**
     * Which HubSpot property changes say that someone worked a lead (a {@code WORKED} activity on {@code leads.activity}).
     *
     * @param workedLeadStatuses internal values of the contact property {@code hs_lead_status} that mean the owner acted.
     *                           HubSpot's default options are NEW, OPEN, IN_PROGRESS, OPEN_DEAL, UNQUALIFIED,
     *                           ATTEMPTED_TO_CONTACT, CONNECTED and BAD_TIMING; all but NEW and OPEN (not yet worked)
     *                           are a rep's doing: an attempt, a conversation, a deal, or a verdict after looking.
     *                           Accounts with their own options list theirs. Compared ignoring case.
     * @param openingDealStages  deal stages a deal is opened in (crm-sync's, {@code LEADFLOW_HUBSPOT_PIPELINE_*_STAGE}):
     *                           HubSpot reports the stage a deal is created with as a {@code dealstage} change too, which
     *                           says nothing about anyone working it; every other stage change does
     */
    public record HubSpotSignals(
            @DefaultValue({"ATTEMPTED_TO_CONTACT", "CONNECTED", "IN_PROGRESS", "OPEN_DEAL", "UNQUALIFIED", "BAD_TIMING"})
            @NotNull List<String> workedLeadStatuses,
            @DefaultValue({"appointmentscheduled", "hands-on-qualified"}) @NotNull List<String> openingDealStages) {

        public boolean workedLeadStatus(String value) {
            return value != null && workedLeadStatuses.stream().anyMatch(s -> s.trim().equalsIgnoreCase(value.trim()));
        }

        public boolean openingDealStage(String stage) {
            return stage != null && openingDealStages.stream().anyMatch(s -> s.trim().equals(stage.trim()));
        }
    }

    /**
     * How long after its first attempt each provider that keeps the original signature on a retry may still
     * deliver: a signed timestamp this old is accepted once, and a delivery already accepted is answered
     * idempotently instead. Each is the provider's documented retry period plus an hour.
     *
     * @param calendly 24 h of retries (developer.calendly.com/api-docs/overview/webhooks/webhook-errors)
     * @param mailgun  8 h of retries (documentation.mailgun.com/docs/mailgun/user-manual/webhooks/webhook-retries)
     * @param sendgrid 3 days of retries for Inbound Parse
     */
    public record RetryWindows(@DefaultValue("25h") @NotNull Duration calendly,
                               @DefaultValue("9h") @NotNull Duration mailgun,
                               @DefaultValue("73h") @NotNull Duration sendgrid) {
    }

    /**
     * Secrets per source; each value may hold several comma-separated secrets (old and new during a
     * rotation). Empty means the source is not configured.
     */
    public record Secrets(@DefaultValue("") String website,
                          @DefaultValue("") String calendly,
                          @DefaultValue("") String calcom,
                          @DefaultValue("") String mailgun,
                          @DefaultValue("") String sendgrid,
                          @DefaultValue("") String sendgridOauthClientId,
                          @DefaultValue("") String sendgridOauthClientSecret,
                          @DefaultValue("") String hubspot,
                          @DefaultValue("") String slack) {

        public List<String> of(WebhookSource source) {
            String value = switch (source) {
                case WEBSITE -> website;
                case CALENDLY -> calendly;
                case CALCOM -> calcom;
                case MAILGUN -> mailgun;
                case SENDGRID -> sendgrid;
                case HUBSPOT -> hubspot;
                case SLACK -> slack;
            };
            return split(value);
        }

        /** Whether anything authenticates this source's requests (for SendGrid: public keys or the OAuth client). */
        public boolean configured(WebhookSource source) {
            return !of(source).isEmpty() || (source == WebhookSource.SENDGRID && sendGridOAuthConfigured());
        }

        /** SendGrid's OAuth client (its security policy's client_id and client_secret) is set. */
        public boolean sendGridOAuthConfigured() {
            return !split(sendgridOauthClientId).isEmpty() && !split(sendgridOauthClientSecret).isEmpty();
        }

        private static List<String> split(String value) {
            if (value == null || value.isBlank()) {
                return List.of();
            }
            return Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        }

        @Override
        public String toString() {
            return "Secrets[***]";
        }
    }
}
