package io.leadflow.trials.system;

import io.leadflow.platform.privacy.PrivacyKey;
import io.leadflow.trials.timers.ScheduleSettings;
import io.leadflow.trials.topology.ReminderWording;
import io.leadflow.trials.topology.TrialSettings;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * Every trial-tracker setting ({@code leadflow.trials.*}); application.yml maps each to an environment variable.
 *
 * @param trialStageId        HubSpot deal stage that starts an evaluation ({@code LEADFLOW_TRIAL_STAGE_ID})
 * @param handsOnPipelineId   HubSpot pipeline of hands-on deals ({@code LEADFLOW_HUBSPOT_PIPELINE_HANDS_ON})
 * @param defaultLengthDays   evaluation length when a start does not say
 * @param schedule            when reminders fall due
 * @param punctuationInterval how often the due-time index is scanned: a reminder waits at most this long after it
 *                            falls due (then for the transaction to commit) before it is visible downstream
 * @param lateAfter           reminders fired later than this after their due time are marked late
 * @param maxFiresPerTick     most reminders fired in one scan (one transaction)
 * @param unownedChannel      Slack channel for alerts of trials without a known owner; empty = none
 * @param publishTimeout      how long an API call waits for Kafka's acknowledgement before answering 503
 * @param reminderWording     path of the file of what each reminder says ({@code LEADFLOW_TRIALS_REMINDER_WORDING});
 *                            empty uses the handbook's wording from the classpath
 * @param forwardTimeout      how long a read forwarded to the instance that holds a trial (or a part of the list) may
 *                            take to connect, then to answer, before the API answers 503
 * @param privacy             erasures: the key people are named by ({@code leadflow.privacy.key})
 * @param kickoffEventTypes   the event types customers book the kick-off call with
 *                            ({@code LEADFLOW_TRIALS_KICKOFF_EVENT_TYPES}, comma-separated Calendly event type URIs and
 *                            Cal.com event type ids); empty: the first booking of any type after the start is the kick-off
 */
@Validated
@ConfigurationProperties("leadflow.trials")
public record TrialsProperties(@DefaultValue("evaluation") @NotBlank String trialStageId,
                               @DefaultValue("hands-on") @NotBlank String handsOnPipelineId,
                               @DefaultValue("30") @Min(1) @Max(365) int defaultLengthDays,
                               @DefaultValue @Valid @NotNull Schedule schedule,
                               @DefaultValue("200ms") @NotNull Duration punctuationInterval,
                               @DefaultValue("1m") @NotNull Duration lateAfter,
                               @DefaultValue("10000") @Min(1) int maxFiresPerTick,
                               @DefaultValue("") String unownedChannel,
                               @DefaultValue("5s") @NotNull Duration publishTimeout,
                               @DefaultValue("") @NotNull String reminderWording,
                               @DefaultValue("2s") @NotNull Duration forwardTimeout,
                               @DefaultValue @Valid @NotNull PrivacyKey privacy,
                               @DefaultValue("") @NotNull List<String> kickoffEventTypes) {

    /** Offsets of the reminders ({@code leadflow.trials.schedule.*}). */
    public record Schedule(@DefaultValue("0s") @NotNull Duration kickoffAfterStart,
                           @DefaultValue("7d") @NotNull Duration checkInEvery,
                           @DefaultValue("7d") @NotNull Duration reviewCallBeforeEnd,
                           @DefaultValue("1d") @NotNull Duration expiringBeforeEnd) {
    }

    public TrialSettings topologySettings() {
        return new TrialSettings(new ScheduleSettings(schedule.kickoffAfterStart(), schedule.checkInEvery(),
                schedule.reviewCallBeforeEnd(), schedule.expiringBeforeEnd()), trialStageId, handsOnPipelineId,
                punctuationInterval, lateAfter, maxFiresPerTick, unownedChannel, wording(), Set.copyOf(kickoffEventTypes));
    }

    /** The configured reminder wording, or the handbook's; a file that cannot be read or is invalid stops start-up. */
    public ReminderWording wording() {
        if (reminderWording.isBlank()) {
            return ReminderWording.handbook();
        }
        Path path = Path.of(reminderWording.trim());
        try (InputStream in = Files.newInputStream(path)) {
            return ReminderWording.load(in, path.toString());
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read the reminder wording file " + path
                    + " (LEADFLOW_TRIALS_REMINDER_WORDING): " + e.getMessage(), e);
        }
    }
}
