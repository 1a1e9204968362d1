package io.leadflow.sandbox.slack;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Slack's per-channel posting limit: a short burst, then one message a second. Callers hold the sandbox's lock.
 */
final class SlackRateLimit {

    private final int burst;
    /** Per channel: the messages it may still take, and when that was last worked out (epoch seconds). */
    private final Map<String, double[]> buckets = new HashMap<>();
    private long refused;

    /** @param burst messages a channel may receive back to back before the one-per-second pace applies */
    SlackRateLimit(int burst) {
        this.burst = burst;
    }

    /** Whether {@code channel} may take one more message now; counts it as refused when not. */
    boolean take(String channel, Instant now) {
        double seconds = now.toEpochMilli() / 1000.0;
        double[] bucket = buckets.computeIfAbsent(channel, c -> new double[] {burst, seconds});
        bucket[0] = Math.min(burst, bucket[0] + (seconds - bucket[1]));
        bucket[1] = seconds;
        if (bucket[0] < 1) {
            refused++;
            return false;
        }
        bucket[0] -= 1;
        return true;
    }

    /** How many messages were refused since the start or the last {@link #clear}. */
    long refused() {
        return refused;
    }

    /** Every channel's full burst back, and no refusals counted. */
    void clear() {
        buckets.clear();
        refused = 0;
    }
}
