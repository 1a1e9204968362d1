package io.leadflow.notifier.delivery;

import java.time.Duration;
import java.util.List;

/** Work queued on a channel's lane, run one step at a time so that waits never hold a thread. */
interface LaneJob {

    /** Whether the next step posts a message, and so must first take a permit of the channel's rate limiter. */
    boolean nextStepPosts();

    /**
     * Whether the next step changes something in Slack (posts, updates or shows an ephemeral message), and so must wait
     * while Slack has the channel blocked with {@code Retry-After}. Only new messages take tokens of the channel's bucket: Slack's
     * one-message-a-second pace is for posting.
     */
    default boolean nextStepWritesToSlack() {
        return nextStepPosts();
    }

    /** Runs the next step. */
    Step runStep();

    /**
     * Whether this job has not started yet and may take other such jobs of its lane into the one message it posts.
     * The lane then waits for the channel's token before starting it, and hands it every other coalescible job
     * waiting at that moment ({@link #coalesce}).
     */
    default boolean coalescible() {
        return false;
    }

    /**
     * Starts the job with {@code others} (coalescible jobs of the same lane, oldest first, possibly none) taken in:
     * from now on this job delivers their alerts too, and none of them is run on its own.
     */
    default void coalesce(List<LaneJob> others) {
        if (!others.isEmpty()) {
            throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot take other jobs in");
        }
    }

    /** What the lane does after a step. */
    sealed interface Step {
        /** The job is finished; the lane moves on to the next one. */
        record Done() implements Step {
        }

        /** Run the next step at once. */
        record Continue() implements Step {
        }

        /** Run the next step after a back-off; other channels are not affected. */
        record Backoff(Duration delay) implements Step {
        }

        /** Slack said the channel is rate limited: nothing is posted to it for {@code delay}. */
        record RateLimited(Duration delay) implements Step {
        }

        Step DONE = new Done();
        Step CONTINUE = new Continue();
    }
}
