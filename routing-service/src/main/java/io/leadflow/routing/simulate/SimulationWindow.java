package io.leadflow.routing.simulate;

import io.leadflow.avro.LeadSource;

import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;

/**
 * Which leads a simulation replays: received in {@code [from, to)} (by {@code LeadReceived.receivedAt}; an open end
 * when null) and from one of {@code sources} (every source when empty).
 */
public record SimulationWindow(Instant from, Instant to, Set<LeadSource> sources) {

    public SimulationWindow {
        sources = sources == null || sources.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(sources));
        if (from != null && to != null && !to.isAfter(from)) {
            throw new IllegalArgumentException("to (" + to + ") must be after from (" + from + ")");
        }
    }

    public static SimulationWindow everything() {
        return new SimulationWindow(null, null, Set.of());
    }

    boolean covers(long receivedAtMillis, LeadSource source) {
        return (from == null || receivedAtMillis >= from.toEpochMilli())
                && (to == null || receivedAtMillis < to.toEpochMilli())
                && (sources.isEmpty() || sources.contains(source));
    }
}
