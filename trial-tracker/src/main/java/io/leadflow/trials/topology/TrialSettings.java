package io.leadflow.trials.topology;

import io.leadflow.trials.timers.ScheduleSettings;

import java.time.Duration;
import java.util.Objects;

/**
 * What the topology needs to know.
 *
 * @param schedule            when reminders fall due
 * @param trialStageId        the HubSpot deal stage that starts an evaluation
 * @param handsOnPipelineId   the HubSpot pipeline of hands-on deals; a deal known to be elsewhere is refused
 * @param punctuationInterval how often the due-time index is scanned (wall-clock time)
 * @param lateAfter           a reminder fired more than this after its due time is marked late; a reminder of a
 *                            new or extended schedule that is already this overdue is skipped (except the kick-off)
 * @param maxFiresPerTick     most reminders fired in one scan (one transaction); the rest fire on the next scan
 * @param unownedChannel      Slack channel for alerts of trials whose owner is unknown; empty = no alert
 * @param wording             what each reminder says
 */
public record TrialSettings(ScheduleSettings schedule, String trialStageId, String handsOnPipelineId,
                            Duration punctuationInterval, Duration lateAfter, int maxFiresPerTick,
                            String unownedChannel, ReminderWording wording) {

    /** Settings whose reminders say what the handbook's wording says. */
    public TrialSettings(ScheduleSettings schedule, String trialStageId, String handsOnPipelineId,
                         Duration punctuationInterval, Duration lateAfter, int maxFiresPerTick, String unownedChannel) {
        this(schedule, trialStageId, handsOnPipelineId, punctuationInterval, lateAfter, maxFiresPerTick, unownedChannel,
                ReminderWording.handbook());
    }

    public TrialSettings {
        Objects.requireNonNull(schedule, "schedule");
        Objects.requireNonNull(trialStageId, "trialStageId");
        Objects.requireNonNull(handsOnPipelineId, "handsOnPipelineId");
        Objects.requireNonNull(punctuationInterval, "punctuationInterval");
        Objects.requireNonNull(lateAfter, "lateAfter");
        Objects.requireNonNull(wording, "wording");
        if (maxFiresPerTick < 1) {
            throw new IllegalArgumentException("maxFiresPerTick must be at least 1");
        }
        unownedChannel = unownedChannel == null ? "" : unownedChannel.trim();
    }

    /** Why a trial must not start for this deal or lead, or null when it may. */
    public String refusal(String eventPipelineId, TrialContext context) {
        String pipeline = eventPipelineId != null ? eventPipelineId : context == null ? null : context.dealPipelineId();
        if (pipeline != null) {
            return pipeline.equals(handsOnPipelineId) ? null
                    : "the deal is in HubSpot pipeline '" + pipeline + "', not the hands-on pipeline '" + handsOnPipelineId + "'";
        }
        if (context != null && "SELF_SERVE".equals(context.routedPipeline())) {
            return "the lead was routed to the self-serve pipeline";
        }
        return null;
    }
}
