package io.leadflow.sandbox.hubspot;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Failures asked for on top of the sandbox's own answers, from a test (this object) or over HTTP
 * ({@code /sandbox/hubspot/faults}): an outage, a rate-limit storm, slow answers, the next calls failing, refused
 * credentials (401 {@code INVALID_AUTHENTICATION}, 403 {@code MISSING_SCOPES}) and refused batch inputs. Credentials
 * are checked first, then the rate limits, then these faults, before the call reaches the CRM, so a failed call changes
 * nothing. Durations run on the sandbox's clock.
 */
public final class Faults {

    /** What a faulty call is answered: a status, for 403 the scopes HubSpot says are missing, for 429 its Retry-After. */
    record Fault(int status, List<String> missingScopes, int retryAfterSeconds) {

        Fault(int status) {
            this(status, List.of(), 1);
        }
    }

    /** Every call answered {@code status} until {@code until} (null: until cleared). */
    public record Outage(int status, Instant until) {
    }

    /** Every call answered HubSpot's 429 until {@code until} (null: until cleared), with {@code Retry-After}. */
    public record RateLimitStorm(Instant until, int retryAfterSeconds) {
    }

    /** The next {@code calls} calls answered {@code status}. */
    public record FailNext(int calls, int status) {
    }

    /** The faults settable over HTTP, as they stand; a member is null when that fault is off. */
    public record FaultSet(Outage outage, RateLimitStorm rateLimitStorm, Duration latency, FailNext failNext) {

        public static final FaultSet NONE = new FaultSet(null, null, null, null);
    }

    private final Clock clock;
    private Outage outage;
    private RateLimitStorm storm;
    private Duration latency = Duration.ZERO;
    private int failuresLeft;
    private int failureStatus = 503;
    private int refusedCredentials;
    private List<String> missingScopes = List.of();
    private final Map<String, HubSpotError> refusedItems = new HashMap<>();

    Faults(Clock clock) {
        this.clock = clock;
    }

    /** The next {@code calls} calls are answered {@code status} (429 with HubSpot's rate-limit body, else its error body). */
    public synchronized void failNext(int calls, int status) {
        failuresLeft = calls;
        failureStatus = status;
    }

    /** While down, every call is answered 503. */
    public synchronized void down(boolean down) {
        outage = down ? new Outage(503, null) : null;
    }

    /** Every call is answered {@code status} for {@code duration} (null: until cleared). */
    public synchronized void outage(int status, Duration duration) {
        outage = new Outage(status, duration == null ? null : clock.instant().plus(duration));
    }

    /** Every call is answered HubSpot's 429 for {@code duration} (null: until cleared), with {@code Retry-After}. */
    public synchronized void rateLimitStorm(Duration duration, int retryAfterSeconds) {
        storm = new RateLimitStorm(duration == null ? null : clock.instant().plus(duration), retryAfterSeconds);
    }

    /** Every answer is delayed this long (zero: not at all). */
    public synchronized void latency(Duration latency) {
        this.latency = Objects.requireNonNull(latency);
    }

    /** From now on every call is answered 401 {@code INVALID_AUTHENTICATION}, as for a revoked or wrong token. */
    public synchronized void refuseToken() {
        refusedCredentials = 401;
    }

    /** From now on every call is answered 403 {@code MISSING_SCOPES}, listing {@code scopes} as required. */
    public synchronized void refuseScopes(String... scopes) {
        missingScopes = List.of(scopes);
        refusedCredentials = 403;
    }

    public synchronized void acceptCredentials() {
        refusedCredentials = 0;
    }

    /**
     * From now on a batch update or upsert input of this {@code id} (an email for contacts upserted by email) is refused as
     * HubSpot refuses an invalid property value, while the batch's other inputs are written: a 207 multi-status answer
     * with the input in {@code errors}, category {@code VALIDATION_ERROR}, the input's id in {@code context.ids} and the
     * property's problem in the message, e.g. {@code refuseItem("jane@@acme.io", "email", "INVALID_EMAIL",
     * "Email address jane@@acme.io is invalid")}
     * (https://developers.hubspot.com/docs/api-reference/error-handling, "207 Multi-Status").
     */
    public synchronized void refuseItem(String id, String property, String error, String message) {
        String detail = "[{\"isValid\":false,\"message\":" + Answers.JSON.writeValueAsString(message) + ",\"error\":"
                + Answers.JSON.writeValueAsString(error) + ",\"name\":" + Answers.JSON.writeValueAsString(property) + "}]";
        refusedItems.put(id.trim().toLowerCase(Locale.ROOT), new HubSpotError(400, "VALIDATION_ERROR", "Property values were not valid: " + detail));
    }

    /** No faults any more. */
    public synchronized void clear() {
        replace(FaultSet.NONE);
        refusedItems.clear();
        refusedCredentials = 0;
        missingScopes = List.of();
    }

    /** The outage, storm, latency and failing calls as they stand (expired ones are off). */
    public synchronized FaultSet current() {
        expire();
        return new FaultSet(outage, storm, latency.isZero() ? null : latency,
                failuresLeft > 0 ? new FailNext(failuresLeft, failureStatus) : null);
    }

    /** Replaces the outage, storm, latency and failing calls with {@code faults}; credentials and refused inputs stay. */
    public synchronized void replace(FaultSet faults) {
        outage = faults.outage();
        storm = faults.rateLimitStorm();
        latency = faults.latency() == null ? Duration.ZERO : faults.latency();
        failuresLeft = faults.failNext() == null ? 0 : faults.failNext().calls();
        failureStatus = faults.failNext() == null ? 503 : faults.failNext().status();
    }

    Clock clock() {
        return clock;
    }

    synchronized Duration latency() {
        return latency;
    }

    /** The refusal of a batch input of this id, if a test asked for one. */
    synchronized Optional<HubSpotError> refusedItem(String id) {
        return refusedItems.isEmpty() || id == null ? Optional.empty()
                : Optional.ofNullable(refusedItems.get(id.trim().toLowerCase(Locale.ROOT)));
    }

    synchronized Optional<Fault> credentials() {
        return refusedCredentials == 0 ? Optional.empty() : Optional.of(new Fault(refusedCredentials, missingScopes, 1));
    }

    /** The failure this call gets, if any: an outage, then a storm, then the failing calls (counted down). */
    synchronized Optional<Fault> next() {
        expire();
        if (outage != null) {
            return Optional.of(new Fault(outage.status()));
        }
        if (storm != null) {
            return Optional.of(new Fault(429, List.of(), storm.retryAfterSeconds()));
        }
        if (failuresLeft > 0) {
            failuresLeft--;
            return Optional.of(new Fault(failureStatus));
        }
        return Optional.empty();
    }

    private void expire() {
        Instant now = clock.instant();
        if (outage != null && outage.until() != null && !now.isBefore(outage.until())) {
            outage = null;
        }
        if (storm != null && storm.until() != null && !now.isBefore(storm.until())) {
            storm = null;
        }
    }
}
