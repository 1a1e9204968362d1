package io.leadflow.intake.system;

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
 * @param signatureMaxAge    how old a signed timestamp may be (and how far in the future)
 * @param publishTimeout     how long a request waits for Kafka's acknowledgement before answering 503
 * @param retryAfter         the {@code Retry-After} sent with a 503
 * @param maxJsonBody        body limit for JSON webhooks
 * @param maxEmailBody       body limit for inbound email (attachments are dropped, never stored)
 * @param replayCacheSize    entries kept by the Mailgun token and HubSpot eventId caches (per instance)
 * @param hubspotWebhookUrl  the public URL HubSpot calls, when a proxy rewrites scheme/host/path; empty = as received
 * @param secrets            per-source secrets, each a comma-separated list for rotation
 */
@Validated
@ConfigurationProperties("leadflow.intake")
public record IntakeProperties(@DefaultValue("false") boolean allowUnsigned,
                               @DefaultValue("5m") @NotNull Duration signatureMaxAge,
                               @DefaultValue("5s") @NotNull Duration publishTimeout,
                               @DefaultValue("30s") @NotNull Duration retryAfter,
                               @DefaultValue("1MB") @NotNull DataSize maxJsonBody,
                               @DefaultValue("10MB") @NotNull DataSize maxEmailBody,
                               @DefaultValue("100000") @Min(1) long replayCacheSize,
                               @DefaultValue("") String hubspotWebhookUrl,
                               @DefaultValue @Valid @NotNull Secrets secrets) {

    /**
     * Secrets per source; each value may hold several comma-separated secrets (old and new during a
     * rotation). Empty means the source is not configured.
     */
    public record Secrets(@DefaultValue("") String website,
                          @DefaultValue("") String calendly,
                          @DefaultValue("") String calcom,
                          @DefaultValue("") String mailgun,
                          @DefaultValue("") String sendgrid,
                          @DefaultValue("") String hubspot) {

        public List<String> of(WebhookSource source) {
            String value = switch (source) {
                case WEBSITE -> website;
                case CALENDLY -> calendly;
                case CALCOM -> calcom;
                case MAILGUN -> mailgun;
                case SENDGRID -> sendgrid;
                case HUBSPOT -> hubspot;
            };
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
