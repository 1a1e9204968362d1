package io.leadflow.crm.system;

import io.leadflow.platform.privacy.PrivacyKey;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/**
 * Every setting of crm-sync ({@code leadflow.crm.*}).
 *
 * @param hubspot   the HubSpot account and API connection
 * @param pipelines HubSpot pipeline and first stage for each Leadflow pipeline
 * @param rateLimit client-side pacing under HubSpot's per-app limit
 * @param retry     retries of a single HubSpot call (429, 5xx, timeouts)
 * @param circuit   when HubSpot counts as down and the listeners pause
 * @param batch     how many records one listener call turns into one HubSpot call per object type
 * @param privacy   erasure of a person on request
 */
@Validated
@ConfigurationProperties("leadflow.crm")
public record CrmProperties(@Valid @NotNull Hubspot hubspot,
                            @Valid @NotNull Pipelines pipelines,
                            @Valid @NotNull RateLimit rateLimit,
                            @Valid @NotNull Retry retry,
                            @Valid @NotNull Circuit circuit,
                            @Valid @NotNull Batch batch,
                            @Valid @DefaultValue PrivacyKey privacy) {

    /**
     * @param baseUrl          API base, {@code https://api.hubapi.com} (a local sandbox in the embedded stack)
     * @param token            private-app access token, sent as {@code Authorization: Bearer}; never logged
     * @param portalId         HubSpot account id, for deal links
     * @param appBaseUrl       HubSpot web app address, for deal links
     * @param connectTimeout   TCP connect timeout
     * @param readTimeout      response timeout (a timeout is retried like a 5xx)
     * @param verifyOnStartup  check pipelines, stages and custom properties before consuming; fail fast when missing
     * @param createProperties create the custom properties on start-up when missing (same as {@code POST /crm/setup/properties})
     * @param authProbeInterval while HubSpot refuses the token or its scopes (401/403), how often the refused endpoint is
     *                          probed; the listeners resume once HubSpot accepts it
     */
    public record Hubspot(@NotBlank @DefaultValue("https://api.hubapi.com") String baseUrl,
                          @NotBlank(message = "must be set (LEADFLOW_HUBSPOT_TOKEN)") String token,
                          @NotBlank(message = "must be set (LEADFLOW_HUBSPOT_PORTAL_ID)") String portalId,
                          @NotBlank @DefaultValue("https://app.hubspot.com") String appBaseUrl,
                          @NotNull @DefaultValue("2s") Duration connectTimeout,
                          @NotNull @DefaultValue("15s") Duration readTimeout,
                          @DefaultValue("true") boolean verifyOnStartup,
                          @DefaultValue("false") boolean createProperties,
                          @NotNull @DefaultValue("30s") Duration authProbeInterval) {

        @Override
        public String toString() {
            return "Hubspot[baseUrl=" + baseUrl + ", token=***, portalId=" + portalId + "]";
        }
    }

    /**
     * @param selfServe HubSpot pipeline for self-serve leads
     * @param handsOn   HubSpot pipeline for hands-on leads
     */
    public record Pipelines(@Valid @NotNull PipelineStage selfServe, @Valid @NotNull PipelineStage handsOn) {
    }

    /**
     * @param id    HubSpot pipeline id (internal value, e.g. {@code default})
     * @param stage id of the stage a new deal starts in (e.g. {@code appointmentscheduled})
     */
    public record PipelineStage(@NotBlank String id, @NotBlank String stage) {
    }

    /**
     * HubSpot counts requests in a rolling window (policy {@code TEN_SECONDLY_ROLLING}). The client paces itself in
     * {@code slices} fixed slices per window, so that any rolling window sees at most
     * {@code (maxRequests - reserve)} calls: {@code limitPerSlice = floor((maxRequests - reserve) / (slices + 1))}.
     *
     * @param maxRequests  the app's limit per window: 100 (Free/Starter) or 190 (Professional/Enterprise)
     * @param window       the limit's window (10 s at HubSpot)
     * @param slices       fixed slices the window is paced in
     * @param reserve      requests per window left for other clients of the same app and for safety
     * @param maxWait      longest a call waits for a permit before it counts as a failure (and is retried)
     * @param minRemaining when {@code X-HubSpot-RateLimit-Remaining} drops to this, the current slice is drained
     * @param searchesPerSecond HubSpot's limit on CRM search calls per second, on top of the 10-second budget
     *                     (https://developers.hubspot.com/changelog/crm-search-api-rate-limit-increase); searches are spaced
     *                     so that no second sees more
     */
    public record RateLimit(@Min(1) @DefaultValue("100") int maxRequests,
                            @NotNull @DefaultValue("10s") Duration window,
                            @Min(1) @Max(100) @DefaultValue("10") int slices,
                            @Min(0) @DefaultValue("10") int reserve,
                            @NotNull @DefaultValue("60s") Duration maxWait,
                            @Min(0) @DefaultValue("5") int minRemaining,
                            @Min(1) @DefaultValue("4") int searchesPerSecond) {

        public int limitPerSlice() {
            return Math.max(1, (maxRequests - reserve) / (slices + 1));
        }

        public Duration slice() {
            return window.dividedBy(slices);
        }
    }

    /**
     * @param maxAttempts attempts per call (first one included) before the batch is handed back to Kafka
     * @param initial     first back-off; doubled per attempt, with +/-50 % jitter
     * @param max         longest back-off (a longer {@code Retry-After} is still honoured)
     */
    public record Retry(@Min(1) @DefaultValue("6") int maxAttempts,
                        @NotNull @DefaultValue("500ms") Duration initial,
                        @NotNull @DefaultValue("30s") Duration max) {
    }

    /**
     * @param failureRateThreshold  percentage of failed calls (5xx, timeouts; not 429) that opens the circuit
     * @param slidingWindowSize     calls the failure rate is computed over
     * @param minimumCalls          calls needed before the rate counts
     * @param waitInOpen            how long the circuit stays open (listeners paused) before it tries again
     * @param halfOpenCalls         trial calls in half-open state; all must succeed to close
     */
    public record Circuit(@Min(1) @Max(100) @DefaultValue("50") int failureRateThreshold,
                          @Min(1) @DefaultValue("20") int slidingWindowSize,
                          @Min(1) @DefaultValue("10") int minimumCalls,
                          @NotNull @DefaultValue("30s") Duration waitInOpen,
                          @Min(1) @DefaultValue("3") int halfOpenCalls) {
    }

    /**
     * @param maxRecords records per listener call ({@code max.poll.records}); HubSpot batch endpoints take 100 inputs, so a
     *                   call of 500 leads sends each object type in chunks of 100, while the look-ups it needs once per
     *                   call (company search of up to 500 domains, deal matching) are shared by more leads
     * @param companyCacheSize domains whose HubSpot company id is remembered
     * @param fillBytes {@code fetch.min.bytes}: a poll waits for about this much data, so a burst arrives in full batches
     * @param fillWait {@code fetch.max.wait.ms}: the longest a poll waits for {@code fillBytes}; a quiet lead is synced after it
     * @param parallelCalls chunks of 100 inputs of one batch sent at once (the rate limiter still paces every call)
     */
    public record Batch(@Min(1) @Max(1000) @DefaultValue("500") int maxRecords,
                        @Min(1) @DefaultValue("10000") int companyCacheSize,
                        @Min(1) @DefaultValue("65536") int fillBytes,
                        @NotNull @DefaultValue("500ms") Duration fillWait,
                        @Min(1) @Max(10) @DefaultValue("4") int parallelCalls) {
    }
}
