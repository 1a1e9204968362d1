package io.leadflow.trials.topology;

import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import tools.jackson.core.type.TypeReference;

import java.util.List;

/**
 * Reminders that fired since their trial's last event, in the {@value #STORE} store keyed by trial id. A firing
 * deletes its row of the due-time index and appends a {@link TrialState.Fired} here, and writes nothing else of the
 * trial: the trial's own row, with its history, is rewritten only by the trial's next event, which folds these in
 * and deletes them ({@link TrialProcessor}). Every read of a trial folds them in on the fly ({@link #read}).
 */
final class FiredReminders {

    static final String STORE = "trial-fired";
    static final TypeReference<List<TrialState.Fired>> TYPE = new TypeReference<>() {
    };

    private FiredReminders() {
    }

    /** The trial as its events and the reminders fired since left it; null when there is no such trial. */
    static TrialState read(ReadOnlyKeyValueStore<String, TrialState> trials,
                           ReadOnlyKeyValueStore<String, List<TrialState.Fired>> fired, String trialId) {
        TrialState trial = trials.get(trialId);
        return trial == null ? null : trial.folding(fired.get(trialId));
    }
}
