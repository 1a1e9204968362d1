package io.leadflow.trials.api;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import java.time.Instant;

/** Bodies of the API's commands. */
final class TrialRequests {

    private TrialRequests() {
    }

    /** {@code POST /trials}: dealId or leadId (or both), optional start (default now) and length (default 30 days). */
    record Start(@Size(max = 64) @Pattern(regexp = "[A-Za-z0-9._:-]+", message = "must be a HubSpot deal id") String dealId,
                 @Size(max = 64) @Pattern(regexp = "[A-Za-z0-9._:-]+", message = "must be a lead id") String leadId,
                 Instant startsAt,
                 @Min(1) @Max(365) Integer lengthDays,
                 @NotNull @Pattern(regexp = "cloud|self-hosted", message = "must be cloud or self-hosted") String deployment) {
    }

    /** {@code POST /trials/{id}/extend}. */
    record Extend(@NotNull @Min(1) @Max(365) Integer days,
                  @NotBlank @Size(max = 500) String reason) {
    }

    /** {@code POST /trials/{id}/close}. */
    record Close(@NotNull @Pattern(regexp = "converted|lost|abandoned", message = "must be converted, lost or abandoned") String outcome,
                 @Size(max = 500) String reason) {
    }
}
