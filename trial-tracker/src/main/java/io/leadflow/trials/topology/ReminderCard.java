package io.leadflow.trials.topology;

import io.leadflow.avro.Deployment;
import io.leadflow.platform.streams.StateJson;

/**
 * What a reminder needs of its trial to fire, kept as the value of the reminder's row in the due-time index: firing
 * then reads the row it scanned and the trial's context, and writes nothing of the trial but a {@link FiredReminders
 * mark}. The card is written again with the rows whenever the schedule changes (an extension moves the end); the ids
 * and the deployment never change after the start.
 */
record ReminderCard(String dealId, String leadId, long endsAt, Deployment deployment) {

    static ReminderCard of(TrialState trial) {
        return new ReminderCard(trial.dealId(), trial.leadId(), trial.endsAt(), trial.deployment());
    }

    String encode() {
        return StateJson.MAPPER.writeValueAsString(this);
    }

    /** The card in an index row, or null for a row written before cards, whose value is only the reminder's kind. */
    static ReminderCard decode(String value) {
        if (value == null || value.isEmpty() || value.charAt(0) != '{') {
            return null;
        }
        return StateJson.MAPPER.readValue(value, ReminderCard.class);
    }
}
