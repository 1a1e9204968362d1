package io.leadflow.notifier.system;

import io.leadflow.platform.privacy.PrivacyKey;
import io.leadflow.avro.AlertKind;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * Every setting of the rep-notifier ({@code leadflow.notifier.*}).
 *
 * @param slack     the Slack Web API connection
 * @param channels  Slack channel id per alert kind; a kind without one goes to the rep's DM
 * @param rateLimit per-channel posting rate
 * @param delivery  worker threads, retries and back-pressure
 * @param recovery  how an alert left PENDING by a crash is checked against Slack before it is posted again
 * @param hubspot   where the HubSpot buttons point
 * @param deals     the leadId to deal URL cache fed by {@code crm.synced}
 * @param digest    how new leads waiting for the same channel are posted together
 * @param privacy   the key a person is named by in erasure requests
 * @param sharedChannels the shared Slack Connect channel of each hands-on lead
 */
@Validated
@ConfigurationProperties("leadflow.notifier")
public record NotifierProperties(@Valid @NotNull @DefaultValue Slack slack,
                                 Map<AlertKind, String> channels,
                                 @Valid @NotNull @DefaultValue RateLimit rateLimit,
                                 @Valid @NotNull @DefaultValue Delivery delivery,
                                 @Valid @NotNull @DefaultValue Recovery recovery,
                                 @Valid @NotNull @DefaultValue Hubspot hubspot,
                                 @Valid @NotNull @DefaultValue Deals deals,
                                 @Valid @NotNull @DefaultValue Digest digest,
                                 @Valid @NotNull @DefaultValue PrivacyKey privacy,
                                 @Valid @NotNull @DefaultValue SharedChannels sharedChannels) {

    public NotifierProperties {
        Map<AlertKind, String> clean = new EnumMap<>(AlertKind.class);
        if (channels != null) {
            channels.forEach((kind, channel) -> {
                if (kind != null && channel != null && !channel.isBlank()) {
                    clean.put(kind, channel.trim());
                }
            });
        }
        channels = Map.copyOf(clean);
    }

    /** When a hands-on lead gets its shared Slack Connect channel. */
    public enum Trigger {
        /** When routing puts the lead in the hands-on pipeline ({@code leads.routed}). */
        ROUTED,
        /** When its evaluation starts ({@code TrialStarted} on {@code trials.events}). */
        TRIAL_STARTED,
        /** Never: no channel is set up. */
        OFF
    }

    /**
     * A public channel per hands-on lead, named after the company, the customer contact invited through Slack Connect,
     * the owner and the team added, a welcome with the agenda posted.
     *
     * @param trigger         {@code routed}, {@code trial-started} or {@code off}
     * @param prefix          put before the company's name ({@code ext-acme}); lowercase letters, digits, {@code -} and {@code _}
     * @param team            Slack user ids added to every channel besides the owner
     * @param externalLimited the customer may only post (Slack's default), not invite others or add apps
     * @param maxNameAttempts names tried on {@code name_taken} ({@code ext-acme}, {@code ext-acme-2}, …)
     * @param wording         a wording file of your own for the welcome and the problem texts; blank: the built-in one
     */
    public record SharedChannels(@NotNull @DefaultValue("routed") Trigger trigger,
                                 @jakarta.validation.constraints.Pattern(regexp = "[a-z0-9_-]{0,20}") @DefaultValue("ext-") String prefix,
                                 @DefaultValue java.util.List<@jakarta.validation.constraints.Pattern(regexp = "[UW][A-Z0-9]+") String> team,
                                 @DefaultValue("true") boolean externalLimited,
                                 @Min(1) @Max(100) @DefaultValue("20") int maxNameAttempts,
                                 @DefaultValue("") String wording) {

        public SharedChannels {
            team = team == null ? java.util.List.of() : team.stream().filter(id -> id != null && !id.isBlank()).map(String::trim).toList();
        }
    }

    /** The configured channel for a kind, if any. */
    public Optional<String> channelFor(AlertKind kind) {
        return Optional.ofNullable(channels.get(kind));
    }

    /**
     * @param baseUrl        Web API base, e.g. {@code https://slack.com/api} (a local sandbox in the embedded stack)
     * @param botToken       bot token ({@code xoxb-...}), sent as {@code Authorization: Bearer}; never logged
     * @param connectTimeout TCP connect timeout
     * @param readTimeout    response timeout
     */
    public record Slack(@NotBlank @DefaultValue("https://slack.com/api") String baseUrl,
                        @NotBlank(message = "must be set (LEADFLOW_SLACK_BOT_TOKEN)") String botToken,
                        @NotNull @DefaultValue("2s") Duration connectTimeout,
                        @NotNull @DefaultValue("10s") Duration readTimeout) {

        @Override
        public String toString() {
            return "Slack[baseUrl=" + baseUrl + ", botToken=***]";
        }
    }

    /**
     * Slack allows about one message per second per channel with short bursts: {@code burst} messages may go
     * at once, then the channel averages one per {@code period}.
     *
     * @param period average time between two messages to one channel
     * @param burst  messages that may go back to back before the pace applies
     */
    public record RateLimit(@NotNull @DefaultValue("1s") Duration period,
                            @Min(1) @Max(20) @DefaultValue("3") int burst) {
    }

    /**
     * @param threads          threads calling Slack and Kafka for all channels together
     * @param maxInFlight      alerts accepted but not finished before the consumer pauses
     * @param retryInitial     first back-off after a retryable Slack error (5xx, internal_error...)
     * @param retryMax         longest back-off between two attempts
     * @param maxAttempts      attempts for retryable errors before the alert is dead-lettered (429s do not count)
     * @param markerTimeout    how long a write to {@code rep.alerts.sent} may take
     */
    public record Delivery(@Min(1) @Max(256) @DefaultValue("8") int threads,
                           @Min(1) @DefaultValue("1000") int maxInFlight,
                           @NotNull @DefaultValue("1s") Duration retryInitial,
                           @NotNull @DefaultValue("60s") Duration retryMax,
                           @Min(1) @DefaultValue("10") int maxAttempts,
                           @NotNull @DefaultValue("10s") Duration markerTimeout) {
    }

    /**
     * @param historyLimit        messages per {@code conversations.history} page
     * @param maxPages            pages read before giving up the search
     * @param lookBack            how far before the PENDING marker's time the search starts (clock skew)
     * @param repostUnverifiable  post again when Slack's history cannot be read (at-least-once for that alert);
     *                            false marks it FAILED and dead-letters it instead (at-most-once)
     * @param catchUpTimeout      how long start-up waits to read {@code rep.alerts.sent} to its end
     * @param updateLookBack      how far before an updating alert's {@code createdAt} the channel's history is searched
     *                            for the message it updates, when the notifier has no record of that message
     */
    public record Recovery(@Min(1) @Max(999) @DefaultValue("100") int historyLimit,
                           @Min(1) @Max(50) @DefaultValue("3") int maxPages,
                           @NotNull @DefaultValue("2m") Duration lookBack,
                           @DefaultValue("true") boolean repostUnverifiable,
                           @NotNull @DefaultValue("60s") Duration catchUpTimeout,
                           @NotNull @DefaultValue("7d") Duration updateLookBack) {
    }

    /**
     * @param portalId   HubSpot account (portal) id for contact-search links; blank leaves the link out
     * @param appBaseUrl HubSpot app address
     */
    public record Hubspot(@DefaultValue("") String portalId,
                          @NotBlank @DefaultValue("https://app.hubspot.com") String appBaseUrl) {
    }

    /** @param cacheSize leads whose deal URL is remembered (least recently synced are forgotten first) */
    public record Deals(@Min(1) @DefaultValue("10000") int cacheSize) {
    }

    /**
     * New-lead alerts that wait for the same channel (Slack takes about one message a second per channel) go out as
     * one digest message: one line per lead, newest first.
     *
     * @param enabled  false posts every new lead as its own message, however many wait
     * @param maxChars text characters in one digest message (fallback text and blocks together); a larger backlog is
     *                 split into several messages. Slack documents 40,000 for a message's text, but refuses blocks
     *                 holding about 13,000 characters in all ({@code msg_blocks_too_long}), hence the default
     */
    public record Digest(@DefaultValue("true") boolean enabled,
                         @Min(4000) @Max(40000) @DefaultValue("12000") int maxChars) {
    }
}
