package io.leadflow.notifier.delivery;

import io.leadflow.notifier.delivery.LaneJob.Step;
import io.leadflow.notifier.slack.SlackApiException;
import io.leadflow.notifier.system.NotifierProperties;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * A job's attempts in a row at Slack and at its own infrastructure (the sent-alerts ledger, the dead-letter topic), and
 * the back-off before the next: {@code retryInitial} doubled per attempt, at most {@code retryMax}.
 */
final class Attempts {

    private final NotifierProperties.Delivery delivery;

    /** Slack calls in a row that failed with a retryable error; the job resets it when Slack answers. */
    int slack;

    /** Ledger or dead-letter writes in a row that failed; the job resets it when one succeeds. */
    int infra;

    Attempts(NotifierProperties.Delivery delivery) {
        this.delivery = delivery;
    }

    /** Counts a failed Slack call: whether that was the last attempt {@code maxAttempts} allows. */
    boolean slackExhausted() {
        return ++slack >= delivery.maxAttempts();
    }

    Step slackBackoff() {
        return new Step.Backoff(backoff(slack));
    }

    Step infraBackoff() {
        return new Step.Backoff(backoff(++infra));
    }

    private Duration backoff(int attempt) {
        Duration delay = delivery.retryInitial().multipliedBy(1L << Math.min(Math.max(attempt - 1, 0), 20));
        return delay.compareTo(delivery.retryMax()) > 0 ? delivery.retryMax() : delay;
    }

    /**
     * The step after a Slack call that failed and changed nothing in Slack: wait out a rate limit, {@code giveUp} on a
     * permanent error or after the last attempt, else back off and try again.
     */
    Step afterFailedRead(SlackApiException e, Supplier<Step> giveUp) {
        if (e.isRateLimited()) {
            return rateLimited(e);
        }
        if (e.isPermanent() || slackExhausted()) {
            return giveUp.get();
        }
        return slackBackoff();
    }

    /** Slack's {@code Retry-After}, else a second. */
    static Step rateLimited(SlackApiException e) {
        return new Step.RateLimited(e.retryAfter().orElse(Duration.ofSeconds(1)));
    }
}
