package io.leadflow.sandbox.slack;

import tools.jackson.databind.node.ObjectNode;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Failures the {@link SlackSandbox} answers with instead of doing what a Web API call asks, the way Slack fails
 * (https://docs.slack.dev/apis/web-api/rate-limits, https://docs.slack.dev/reference/methods/chat.postMessage):
 * HTTP 200 with {@code {"ok":false,"error":"..."}}, HTTP 429 with {@code Retry-After} and
 * {@code {"ok":false,"error":"ratelimited"}}, a 5xx from Slack's edge (no Slack body), or an answer that comes late.
 *
 * <p>The faults every sandbox shares (an outage, a rate-limit storm, latency, the next calls failing) can be set from
 * Java and over HTTP ({@code /sandbox/slack/faults}); their durations run on the sandbox's clock. {@link #on} adds
 * faults for one method and, optionally, only the calls whose arguments match, for in-process tests; one of those can
 * also let the call change the workspace and still fail its answer ({@code internal_error}: "it's possible some aspect
 * of the operation succeeded"), or hold the answer back as a connection that never returns would.
 *
 * <p>A faulty call changes nothing unless its rule says {@link Rule#afterApplying()}. Thread-safe.
 */
public final class SlackFaults {

    /** Every API call answered {@code status} for {@code duration} (null: until cleared), from when it was set. */
    public record Outage(int status, Duration duration) {
    }

    /** Every API call answered 429 with {@code Retry-After: retryAfterSeconds} for {@code duration} (null: until cleared). */
    public record RateLimitStorm(Duration duration, int retryAfterSeconds) {
    }

    /** The next {@code calls} API calls answered {@code status}. */
    public record FailNext(int calls, int status) {
    }

    /**
     * The shared fault set, as the HTTP controls read and replace it; a null member is that fault off.
     *
     * @param latency every answer delayed this long (null or zero: none)
     */
    public record Settings(Outage outage, RateLimitStorm rateLimitStorm, Duration latency, FailNext failNext) {

        public static Settings none() {
            return new Settings(null, null, null, null);
        }
    }

    /** What a call gets instead of (or after) being handled. */
    record Decision(Duration delay, SlackSandbox.Answer answer, boolean applyFirst, boolean hold) {

        static final Decision NONE = new Decision(Duration.ZERO, null, false, false);

        boolean faulty() {
            return answer != null || hold;
        }
    }

    /** How the sandbox waits out a delay: the real time, unless a test counts it instead. */
    @FunctionalInterface
    interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    private final Clock clock;
    private Outage outage;
    private Instant outageUntil;
    private RateLimitStorm storm;
    private Instant stormUntil;
    private Duration latency = Duration.ZERO;
    private FailNext failNext;
    private final List<Rule> rules = new ArrayList<>();
    private volatile Sleeper sleeper = d -> Thread.sleep(d.toMillis());
    private final Object held = new Object();
    private long releases;
    private int holding;

    SlackFaults(Clock clock) {
        this.clock = clock;
    }

    /** Every API call is answered {@code status} for {@code duration} (null: until cleared). */
    public synchronized void outage(int status, Duration duration) {
        outage = new Outage(status, duration);
        outageUntil = until(duration);
    }

    /** Every API call is answered 429 with {@code Retry-After: retryAfterSeconds} for {@code duration} (null: until cleared). */
    public synchronized void rateLimitStorm(Duration duration, int retryAfterSeconds) {
        storm = new RateLimitStorm(duration, retryAfterSeconds);
        stormUntil = until(duration);
    }

    /** Every answer comes {@code latency} late (after the faults above are decided). */
    public synchronized void latency(Duration latency) {
        this.latency = latency == null ? Duration.ZERO : latency;
    }

    /** The next {@code calls} API calls are answered {@code status} (429 the way Slack rate-limits). */
    public synchronized void failNext(int calls, int status) {
        failNext = calls > 0 ? new FailNext(calls, status) : null;
    }

    /** Replaces the shared fault set; the rules of {@link #on} stay. */
    public synchronized void replace(Settings settings) {
        outage = settings.outage();
        outageUntil = outage == null ? null : until(outage.duration());
        storm = settings.rateLimitStorm();
        stormUntil = storm == null ? null : until(storm.duration());
        latency = settings.latency() == null ? Duration.ZERO : settings.latency();
        failNext = settings.failNext() != null && settings.failNext().calls() > 0 ? settings.failNext() : null;
    }

    /** The shared fault set now in force: expired faults and a used-up {@code failNext} are off. */
    public synchronized Settings current() {
        expire(clock.instant());
        return new Settings(outage, storm, latency.isZero() ? null : latency, failNext);
    }

    /** No faults and no rules any more. Answers already held stay held until {@link #release()}. */
    public synchronized void clear() {
        outage = null;
        storm = null;
        latency = Duration.ZERO;
        failNext = null;
        rules.clear();
    }

    /** Faults for calls of one Web API method, e.g. {@code on("chat.postMessage").once().answer("service_unavailable")}. */
    public Rule on(String method) {
        return new Rule(this, Objects.requireNonNull(method));
    }

    /** How many calls are waiting for an answer a {@link Rule#hold()} keeps back. */
    public int held() {
        synchronized (held) {
            return holding;
        }
    }

    /** Answers every call held so far ({@code internal_error}); later calls a rule holds wait again. */
    public void release() {
        synchronized (held) {
            releases++;
            held.notifyAll();
        }
    }

    void sleeper(Sleeper sleeper) {
        this.sleeper = sleeper;
    }

    /** What this call gets. Counts down {@code failNext} and the rules' {@code times}. */
    synchronized Decision decide(String method, ObjectNode arguments) {
        Instant now = clock.instant();
        expire(now);
        SlackSandbox.Answer answer = null;
        if (outage != null) {
            answer = status(outage.status(), 1);
        } else if (storm != null) {
            answer = status(429, storm.retryAfterSeconds());
        } else if (failNext != null) {
            answer = status(failNext.status(), 1);
            failNext = failNext.calls() > 1 ? new FailNext(failNext.calls() - 1, failNext.status()) : null;
        }
        if (answer != null) {
            return new Decision(latency, answer, false, false);
        }
        for (Rule rule : rules) {
            if (rule.method.equals(method) && rule.where.test(arguments)) {
                if (rule.times > 0 && --rule.times == 0) {
                    rules.remove(rule);
                }
                return new Decision(latency.plus(rule.delay), rule.answer, rule.applyFirst, rule.hold);
            }
        }
        return latency.isZero() ? Decision.NONE : new Decision(latency, null, false, false);
    }

    void await(Duration delay) {
        if (delay.isZero() || delay.isNegative()) {
            return;
        }
        try {
            sleeper.sleep(delay);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits until {@link #release()}: the answer of a call a rule holds. */
    void hold() {
        synchronized (held) {
            long generation = releases;
            holding++;
            try {
                while (releases == generation) {
                    held.wait();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                holding--;
            }
        }
    }

    private synchronized void add(Rule rule) {
        rules.add(rule);
    }

    private void expire(Instant now) {
        if (outage != null && outageUntil != null && !now.isBefore(outageUntil)) {
            outage = null;
        }
        if (storm != null && stormUntil != null && !now.isBefore(stormUntil)) {
            storm = null;
        }
    }

    private Instant until(Duration duration) {
        return duration == null ? null : clock.instant().plus(duration);
    }

    /**
     * A failure answered with {@code status}: 429 as Slack rate-limits ({@code Retry-After} and
     * {@code {"ok":false,"error":"ratelimited"}}); any other status as Slack's edge answers it, without Slack's JSON.
     */
    static SlackSandbox.Answer status(int status, int retryAfterSeconds) {
        if (status == 429) {
            return new SlackSandbox.Answer(429, SlackSandbox.JSON.createObjectNode().put("ok", false).put("error", "ratelimited"),
                    java.util.Map.of("Retry-After", Integer.toString(retryAfterSeconds)));
        }
        if (status == 200) {
            return SlackSandbox.fail("internal_error");
        }
        return new SlackSandbox.Answer(status, tools.jackson.databind.node.MissingNode.getInstance(), java.util.Map.of());
    }

    /** Seconds left of the outage in force (rounded up); empty when there is none or it lasts until cleared. */
    public synchronized Optional<Long> outageSecondsLeft() {
        expire(clock.instant());
        return secondsLeft(outage == null ? null : outageUntil);
    }

    /** Seconds left of the rate-limit storm in force (rounded up); empty when there is none or it lasts until cleared. */
    public synchronized Optional<Long> rateLimitStormSecondsLeft() {
        expire(clock.instant());
        return secondsLeft(storm == null ? null : stormUntil);
    }

    private Optional<Long> secondsLeft(Instant until) {
        if (until == null) {
            return Optional.empty();
        }
        Duration left = Duration.between(clock.instant(), until);
        return Optional.of(Math.max(0, (left.toMillis() + 999) / 1000));
    }

    /** A fault for calls of one method: which calls, how often, and what they get. */
    public static final class Rule {

        private final SlackFaults faults;
        private final String method;
        private Predicate<ObjectNode> where = arguments -> true;
        private int times;
        private boolean applyFirst;
        private boolean hold;
        private Duration delay = Duration.ZERO;
        private SlackSandbox.Answer answer;

        private Rule(SlackFaults faults, String method) {
            this.faults = faults;
            this.method = method;
        }

        /** Only the calls whose arguments (query, form or JSON, merged) match. */
        public Rule where(Predicate<ObjectNode> arguments) {
            this.where = Objects.requireNonNull(arguments);
            return this;
        }

        /** Only the first matching call; then the rule is gone. */
        public Rule once() {
            return times(1);
        }

        /** Only the first {@code calls} matching calls. */
        public Rule times(int calls) {
            if (calls < 1) {
                throw new IllegalArgumentException("calls: at least 1");
            }
            this.times = calls;
            return this;
        }

        /** The call does change the workspace (the message is in the conversation); only its answer fails. */
        public Rule afterApplying() {
            this.applyFirst = true;
            return this;
        }

        /** Answered HTTP 200 {@code {"ok":false,"error":"<error>"}}, as Slack answers a refused call. */
        public void answer(String error) {
            this.answer = SlackSandbox.fail(error);
            faults.add(this);
        }

        /**
         * Answered as Slack refuses a token without the scope a method needs: HTTP 200
         * {@code {"ok":false,"error":"missing_scope","needed":"<needed>","provided":"<provided>"}}, {@code provided} the
         * token's scopes, comma-separated (https://docs.slack.dev/authentication/tokens).
         */
        public void missingScope(String needed, String provided) {
            SlackSandbox.Answer refused = SlackSandbox.fail("missing_scope");
            ((ObjectNode) refused.body()).put("needed", needed).put("provided", provided);
            this.answer = refused;
            faults.add(this);
        }

        /** Answered 429 with {@code Retry-After: retryAfterSeconds} and {@code {"ok":false,"error":"ratelimited"}}. */
        public void rateLimited(int retryAfterSeconds) {
            this.answer = SlackFaults.status(429, retryAfterSeconds);
            faults.add(this);
        }

        /** Answered {@code status} (a 5xx: as Slack's edge answers, without Slack's JSON). */
        public void status(int status) {
            this.answer = SlackFaults.status(status, 1);
            faults.add(this);
        }

        /** Handled as usual, but answered {@code delay} late (as late as a client's read timeout, say). */
        public void delay(Duration delay) {
            this.delay = delay;
            faults.add(this);
        }

        /**
         * Not answered until {@link SlackFaults#release()}, then with {@code internal_error}: a connection that hangs
         * while the client gives up or dies. With {@link #afterApplying()} the message is in the conversation meanwhile.
         */
        public void hold() {
            this.hold = true;
            this.answer = SlackSandbox.fail("internal_error");
            faults.add(this);
        }
    }
}
