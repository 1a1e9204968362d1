package io.leadflow.trials.topology;

import io.leadflow.trials.timers.ScheduleSettings;

import java.time.Duration;
import java.util.Collection;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

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
 * @param kickoffEventTypes   the calendar event types a customer books the kick-off call with (Calendly event type
 *                            URIs, Cal.com event type ids); empty: a booking of any event type may be the kick-off
 */
public record TrialSettings(ScheduleSettings schedule, String trialStageId, String handsOnPipelineId,
                            Duration punctuationInterval, Duration lateAfter, int maxFiresPerTick,
                            String unownedChannel, ReminderWording wording, Set<String> kickoffEventTypes) {

    /** Settings for which a booking of any event type may be the kick-off. */
    public TrialSettings(ScheduleSettings schedule, String trialStageId, String handsOnPipelineId,
                         Duration punctuationInterval, Duration lateAfter, int maxFiresPerTick, String unownedChannel,
                         ReminderWording wording) {
        this(schedule, trialStageId, handsOnPipelineId, punctuationInterval, lateAfter, maxFiresPerTick, unownedChannel,
                wording, Set.of());
    }

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
        kickoffEventTypes = kickoffEventTypes == null ? Set.of() : kickoffEventTypes.stream()
                .filter(type -> type != null && !type.isBlank()).map(String::trim).collect(Collectors.toUnmodifiableSet());
    }

    /** The same settings, with the kick-off booked only with these event types (none: any). */
    public TrialSettings withKickoffEventTypes(Collection<String> eventTypes) {
        return new TrialSettings(schedule, trialStageId, handsOnPipelineId, punctuationInterval, lateAfter, maxFiresPerTick,
                unownedChannel, wording, eventTypes == null ? Set.of() : Set.copyOf(eventTypes));
    }

    /** Whether a booking of {@code eventType} (null when the calendar did not say) may be a trial's kick-off. */
    public boolean kickoffEventType(String eventType) {
        return kickoffEventTypes.isEmpty() || eventType != null && kickoffEventTypes.contains(eventType.trim());
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
