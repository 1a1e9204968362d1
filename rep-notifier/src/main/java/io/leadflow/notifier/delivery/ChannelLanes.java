package io.leadflow.notifier.delivery;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One lane per Slack channel: a FIFO queue worked one job at a time, a token bucket (Bucket4j: {@code burst} tokens,
 * one more every {@code period}, added smoothly) and a {@code Retry-After} block. That is Slack's own model for
 * {@code chat.postMessage}: about one message per second per channel, with short bursts allowed. A bucket spends its
 * burst only after the channel was quiet; under sustained load it hands out one token per period, evenly, so a digest
 * goes out every period rather than several at once followed by a long gap (as fixed windows would do).
 * <p>
 * Waiting is done by scheduling the lane's next step on a shared scheduler, never by sleeping on a thread, so a
 * throttled or blocked channel holds no thread and every other channel keeps flowing.
 * <p>
 * A job that can take others into one message ({@link LaneJob#coalescible()}) first waits for the channel's token,
 * then, at the last moment before it starts, takes every other coalescible job waiting in the lane: everything that
 * arrived while the channel was paced goes out in that one message. A token taken but not spent (the job turned out
 * to be a duplicate) stays with the lane for the next post.
 */
class ChannelLanes {

    private static final Logger log = LoggerFactory.getLogger(ChannelLanes.class);
    private static final Duration AFTER_BUG = Duration.ofSeconds(1);

    private final ScheduledExecutorService scheduler;
    private final Duration period;
    private final int burst;
    private final DeliveryMetrics metrics;
    private final Map<String, Lane> lanes = new ConcurrentHashMap<>();

    ChannelLanes(ScheduledExecutorService scheduler, Duration period, int burst, DeliveryMetrics metrics) {
        this.scheduler = scheduler;
        this.period = period;
        this.burst = burst;
        this.metrics = metrics;
    }

    void submit(String channel, LaneJob job) {
        Lane lane = lanes.computeIfAbsent(channel, c -> new Lane(c, Bucket.builder()
                .addLimit(limit -> limit.capacity(burst).refillGreedy(1, period))
                .withNanosecondPrecision()
                .build()));
        boolean start;
        synchronized (lane) {
            lane.queue.add(job);
            start = !lane.active;
            lane.active = true;
        }
        if (start) {
            run(lane, 0);
        }
    }

    /** Jobs waiting or running on the channel's lane. */
    int queued(String channel) {
        Lane lane = lanes.get(channel);
        if (lane == null) {
            return 0;
        }
        synchronized (lane) {
            return lane.queue.size();
        }
    }

    private void run(Lane lane, long delayNanos) {
        try {
            if (delayNanos <= 0) {
                scheduler.execute(() -> pump(lane));
            } else {
                scheduler.schedule(() -> pump(lane), delayNanos, TimeUnit.NANOSECONDS);
            }
        } catch (RejectedExecutionException e) {
            log.debug("Lane {} stopped: the notifier is shutting down", lane.channel);
        }
    }

    private void pump(Lane lane) {
        LaneJob job;
        synchronized (lane) {
            job = lane.queue.peek();
            if (job == null) {
                lane.active = false;
                return;
            }
        }
        boolean coalesce = job.coalescible();
        boolean posts = coalesce || job.nextStepPosts();
        if (posts || job.nextStepWritesToSlack()) {
            long blocked = lane.blockedUntil - System.nanoTime();
            if (blocked > 0) {
                metrics.waited(DeliveryMetrics.Wait.RETRY_AFTER, blocked);
                run(lane, blocked);
                return;
            }
        }
        if (posts) {
            if (!lane.tokenHeld) {
                ConsumptionProbe probe = lane.bucket.tryConsumeAndReturnRemaining(1);
                if (!probe.isConsumed()) {
                    metrics.waited(DeliveryMetrics.Wait.RATE_LIMITER, probe.getNanosToWaitForRefill());
                    run(lane, probe.getNanosToWaitForRefill());
                    return;
                }
                lane.tokenHeld = true;
            }
            if (coalesce) {
                job.coalesce(takeCoalescible(lane, job));
            }
        }
        if (job.nextStepPosts()) {
            lane.tokenHeld = false; // this step spends it, whatever Slack answers
        }
        LaneJob.Step step;
        try {
            step = job.runStep();
        } catch (RuntimeException e) {
            log.error("Alert job on channel {} failed unexpectedly; retrying in {}", lane.channel, AFTER_BUG, e);
            step = new LaneJob.Step.Backoff(AFTER_BUG);
        }
        if (step instanceof LaneJob.Step.Done) {
            synchronized (lane) {
                lane.queue.poll();
            }
            run(lane, 0);
        } else if (step instanceof LaneJob.Step.Backoff backoff) {
            metrics.waited(DeliveryMetrics.Wait.BACKOFF, backoff.delay().toNanos());
            run(lane, backoff.delay().toNanos());
        } else if (step instanceof LaneJob.Step.RateLimited limited) {
            lane.blockedUntil = System.nanoTime() + limited.delay().toNanos();
            log.info("Slack rate-limited channel {}; pausing it for {}", lane.channel, limited.delay());
            metrics.waited(DeliveryMetrics.Wait.RETRY_AFTER, limited.delay().toNanos());
            run(lane, limited.delay().toNanos());
        } else {
            run(lane, 0);
        }
    }

    /** Removes every other coalescible job from the lane, oldest first. */
    private static List<LaneJob> takeCoalescible(Lane lane, LaneJob head) {
        List<LaneJob> taken = new ArrayList<>();
        synchronized (lane) {
            for (Iterator<LaneJob> it = lane.queue.iterator(); it.hasNext(); ) {
                LaneJob queued = it.next();
                if (queued != head && queued.coalescible()) {
                    taken.add(queued);
                    it.remove();
                }
            }
        }
        return taken;
    }

    private static final class Lane {
        final String channel;
        final Bucket bucket;
        final ArrayDeque<LaneJob> queue = new ArrayDeque<>();
        boolean active;
        // Touched only by the lane's single running pump.
        volatile long blockedUntil = System.nanoTime();
        volatile boolean tokenHeld;

        Lane(String channel, Bucket bucket) {
            this.channel = channel;
            this.bucket = bucket;
        }
    }
}
