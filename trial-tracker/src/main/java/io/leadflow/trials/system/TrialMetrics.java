package io.leadflow.trials.system;

import io.leadflow.avro.ReminderKind;
import io.leadflow.trials.topology.TrialObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

/**
 * {@code leadflow.trials.reminders{kind,late}} (fired), {@code leadflow.trials.firing.lag{kind}} (fired minus due),
 * {@code leadflow.trials.refused{origin,reason}} and {@code leadflow.trials.ignored{type,reason}}; the gauge
 * {@code leadflow.trials.active} is registered by {@link StreamsConfiguration} from the stores.
 *
 * <p>Counted when a reminder is handed to the producer: a transaction aborted by a crash is counted again when the
 * reminder fires once more, so the counter may run ahead of {@code trials.reminders} after a crash.
 */
public class TrialMetrics implements TrialObserver {

    private final MeterRegistry registry;
    private final Map<ReminderKind, Timer> lag = new EnumMap<>(ReminderKind.class);
    private final Map<ReminderKind, Counter> onTime = new EnumMap<>(ReminderKind.class);
    private final Map<ReminderKind, Counter> late = new EnumMap<>(ReminderKind.class);

    public TrialMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (ReminderKind kind : ReminderKind.values()) {
            lag.put(kind, Timer.builder("leadflow.trials.firing.lag")
                    .description("Time between a reminder's due time and its firing")
                    .tag("kind", kind.name())
                    .publishPercentileHistogram()
                    .register(registry));
            onTime.put(kind, remindersCounter(kind, false));
            late.put(kind, remindersCounter(kind, true));
        }
    }

    /** Registered up front: thousands of reminders can fire in one punctuation, on the stream thread. */
    private Counter remindersCounter(ReminderKind kind, boolean late) {
        return Counter.builder("leadflow.trials.reminders").description("Trial reminders fired")
                .tag("kind", kind.name()).tag("late", Boolean.toString(late)).register(registry);
    }

    @Override
    public void fired(ReminderKind kind, Duration fireLag, boolean wasLate) {
        (wasLate ? late : onTime).get(kind).increment();
        lag.get(kind).record(fireLag.isNegative() ? Duration.ZERO : fireLag);
    }

    @Override
    public void refused(String origin, String reason) {
        Counter.builder("leadflow.trials.refused").description("Trial starts refused")
                .tag("origin", origin == null ? "unknown" : origin).tag("reason", reason).register(registry).increment();
    }

    @Override
    public void ignored(String type, String reason) {
        Counter.builder("leadflow.trials.ignored").description("Trial events ignored")
                .tag("type", type).tag("reason", reason).register(registry).increment();
    }

    @Override
    public void kickoffBooked(boolean beforeReminder) {
        Counter.builder("leadflow.trials.kickoffs.booked").description("Kick-off calls the customer booked")
                .tag("reminder", beforeReminder ? "cancelled" : "completed").register(registry).increment();
    }

    @Override
    public void kickoffCanceled() {
        Counter.builder("leadflow.trials.kickoffs.canceled").description("Booked kick-off calls the customer cancelled")
                .register(registry).increment();
    }
}
