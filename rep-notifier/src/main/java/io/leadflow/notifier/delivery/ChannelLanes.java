package io.leadflow.notifier.delivery;

import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.RateLimiterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One lane per Slack channel: a FIFO queue worked one job at a time, a Resilience4j {@link RateLimiter}
 * ({@code burst} messages per {@code burst × period}, i.e. one per period on average with short bursts), and a
 * {@code Retry-After} block. Waiting is done by scheduling the lane's next step on a shared scheduler, never by
 * sleeping on a thread, so a throttled or blocked channel holds no thread and every other channel keeps flowing.
 */
class ChannelLanes {

    private static final Logger log = LoggerFactory.getLogger(ChannelLanes.class);
    private static final Duration AFTER_BUG = Duration.ofSeconds(1);

    private final ScheduledExecutorService scheduler;
    private final RateLimiterRegistry limiters;
    private final DeliveryMetrics metrics;
    private final Map<String, Lane> lanes = new ConcurrentHashMap<>();

    ChannelLanes(ScheduledExecutorService scheduler, Duration period, int burst, DeliveryMetrics metrics) {
        this.scheduler = scheduler;
        this.metrics = metrics;
        this.limiters = RateLimiterRegistry.of(RateLimiterConfig.custom()
                .limitForPeriod(burst)
                .limitRefreshPeriod(period.multipliedBy(burst))
                .timeoutDuration(Duration.ofHours(1))
                .build());
    }

    void submit(String channel, LaneJob job) {
        Lane lane = lanes.computeIfAbsent(channel, c -> new Lane(c, limiters.rateLimiter("slack-channel-" + c)));
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
        long now = System.nanoTime();
        if (job.nextStepWritesToSlack()) {
            long blocked = lane.blockedUntil - now;
            if (blocked > 0) {
                metrics.waited(DeliveryMetrics.Wait.RETRY_AFTER, blocked);
                run(lane, blocked);
                return;
            }
        }
        if (job.nextStepPosts()) {
            if (!lane.permitReserved) {
                long wait = lane.limiter.reservePermission();
                lane.permitReserved = true;
                if (wait > 0) {
                    metrics.waited(DeliveryMetrics.Wait.RATE_LIMITER, wait);
                    run(lane, wait);
                    return;
                }
            }
            lane.permitReserved = false;
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

    private static final class Lane {
        final String channel;
        final RateLimiter limiter;
        final ArrayDeque<LaneJob> queue = new ArrayDeque<>();
        boolean active;
        // Touched only by the lane's single running pump.
        volatile long blockedUntil = System.nanoTime();
        volatile boolean permitReserved;

        Lane(String channel, RateLimiter limiter) {
            this.channel = channel;
            this.limiter = limiter;
        }
    }
}
