package io.leadflow.chaos;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/** A fault, or a sequence of them, injected into a running {@link Stack} while {@link WebhookLoad} keeps posting. */
interface Scenario {

    /** The name on the command line and in the results. */
    String name();

    /** One line on what is done to the stack. */
    String description();

    /** How many instances of each service the scenario runs. */
    Map<String, Integer> instances();

    /** Instances (by name, e.g. {@code crm-sync-1}) that run in a network namespace of their own ({@link Namespaces}). */
    default java.util.Set<String> isolated() {
        return java.util.Set.of();
    }

    /** Injects the faults, recording what happened when; returns once every faulty part was told to come back. */
    void inject(Stack stack, Timeline timeline);

    /**
     * How much longer than the run's usual wait the sinks may take to complete: a provider held back for minutes leaves
     * a backlog (Slack takes one message a second per channel) that takes about as long to drain.
     */
    default Duration extraSettle() {
        return Duration.ZERO;
    }

    /** Sinks of the scenario's own besides the leads' (for example trial reminders), read once the leads' are complete. */
    default List<Audit.Sink> audit(Stack stack) {
        return List.of();
    }

    /** What was done and how long each part took to serve again. */
    final class Timeline {

        /** One fault: what, on which process, when, and how long until it served again. */
        record Event(String what, String target, Instant at, Duration toServeAgain) {
        }

        private final List<Event> events = Collections.synchronizedList(new ArrayList<>());

        void record(String what, String target, Instant at, Duration toServeAgain) {
            events.add(new Event(what, target, at, toServeAgain));
        }

        List<Event> events() {
            return List.copyOf(events);
        }
    }
}
