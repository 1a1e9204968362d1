package io.leadflow.crm.hubspot;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.retry.Retry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Every HubSpot HTTP call goes through here, in this order: Retry (exponential back-off with jitter, {@code Retry-After}
 * honoured) around the CircuitBreaker (5xx and timeouts count as failures; 429 does not) around the RateLimiter
 * (client-side pacing, drained when HubSpot reports {@code X-HubSpot-RateLimit-Remaining} at the floor) around the call;
 * CRM searches are also spaced out under HubSpot's own per-second search limit.
 * A 401 or 403 is a configuration error, not an outage: it is neither retried nor counted by the circuit, and is
 * reported to the {@link #onAuthFailure listeners} before it is thrown.
 * Counts {@code leadflow.crm.hubspot.calls{endpoint,status}} and rate-limit waits.
 */
public class HubSpotGateway {

    private static final Logger log = LoggerFactory.getLogger(HubSpotGateway.class);
    private static final ThreadLocal<AtomicLong> CALLS_ON_THREAD = ThreadLocal.withInitial(AtomicLong::new);

    private final RestClient rest;
    private final JsonMapper json;
    private final RateLimiter limiter;
    private final long searchSpacingNanos;
    private final Object searchLock = new Object();
    private long nextSearchAt = System.nanoTime();
    private final Retry retry;
    private final CircuitBreaker circuit;
    private final MeterRegistry meters;
    private final int minRemaining;
    private final Timer rateLimitWaits;
    private final AtomicLong remaining = new AtomicLong(-1);
    private final List<Consumer<HubSpotException.AuthFailed>> authListeners = new CopyOnWriteArrayList<>();

    /**
     * @param searchesPerSecond HubSpot's limit on CRM search calls per second (it counts them in a rolling second):
     *                          searches are spaced a little more than {@code 1 s / searchesPerSecond} apart, so no second
     *                          ever sees more
     */
    public HubSpotGateway(RestClient rest, JsonMapper json, RateLimiter limiter, Retry retry, CircuitBreaker circuit,
                          MeterRegistry meters, int minRemaining, int searchesPerSecond) {
        this.rest = rest;
        this.json = json;
        this.limiter = limiter;
        this.searchSpacingNanos = TimeUnit.SECONDS.toNanos(1) / searchesPerSecond + TimeUnit.MILLISECONDS.toNanos(1);
        this.retry = retry;
        this.circuit = circuit;
        this.meters = meters;
        this.minRemaining = minRemaining;
        this.rateLimitWaits = Timer.builder("leadflow.crm.hubspot.rate-limit.waits")
                .description("Time HubSpot calls waited for a client-side rate-limit permit (only waits > 0 are recorded)")
                .register(meters);
        meters.gauge("leadflow.crm.hubspot.rate-limit.remaining", remaining, AtomicLong::doubleValue);
    }

    /** Calls made by the current thread since it last reset the count; lets a listener compute calls per lead. */
    public static long callsOnThisThread() {
        return CALLS_ON_THREAD.get().get();
    }

    public static void resetCallsOnThisThread() {
        CALLS_ON_THREAD.get().set(0);
    }

    /** {@code work}, to run on another thread, with the calls it makes counted as the current thread's. */
    public static <T> java.util.concurrent.Callable<T> countedAsThisThread(java.util.concurrent.Callable<T> work) {
        AtomicLong caller = CALLS_ON_THREAD.get();
        return () -> {
            AtomicLong own = CALLS_ON_THREAD.get();
            CALLS_ON_THREAD.set(caller);
            try {
                return work.call();
            } finally {
                CALLS_ON_THREAD.set(own);
            }
        };
    }

    public CircuitBreaker circuit() {
        return circuit;
    }

    /** Tells {@code listener} of every call HubSpot answers 401 or 403, before the call throws. */
    public void onAuthFailure(Consumer<HubSpotException.AuthFailed> listener) {
        authListeners.add(listener);
    }

    /** One logical call, retried and guarded; returns any 2xx (including 207) response or throws a {@link HubSpotException}. */
    public HubSpotResponse call(String endpoint, HttpMethod method, String path, Object body) {
        Supplier<HubSpotResponse> attempt = () -> attempt(endpoint, method, path, body);
        return Retry.decorateSupplier(retry, CircuitBreaker.decorateSupplier(circuit, attempt)).get();
    }

    private HubSpotResponse attempt(String endpoint, HttpMethod method, String path, Object body) {
        if (path.endsWith("/search")) {
            spaceSearch(endpoint);
        }
        waitForPermit(endpoint);
        CALLS_ON_THREAD.get().incrementAndGet();
        HubSpotResponse response;
        try {
            RestClient.RequestBodySpec spec = rest.method(method).uri(path).accept(MediaType.APPLICATION_JSON);
            if (body != null) {
                spec.contentType(MediaType.APPLICATION_JSON).body(json.writeValueAsString(body));
            }
            response = spec.exchange((request, reply) -> {
                byte[] bytes = reply.getBody().readAllBytes();
                JsonNode node = bytes.length == 0 ? null : readJson(bytes);
                return new HubSpotResponse(reply.getStatusCode().value(), HttpHeaders.copyOf(reply.getHeaders()), node);
            });
        } catch (ResourceAccessException e) {
            count(endpoint, "io_error");
            throw new HubSpotException.Unavailable(endpoint + ": no response from HubSpot (" + e.getMostSpecificCause().getClass().getSimpleName()
                    + ")", 0, null, null, null, e);
        }
        count(endpoint, String.valueOf(response.status()));
        observeRateHeaders(response.headers());
        int status = response.status();
        if (status >= 200 && status < 300) {
            return response;
        }
        String message = endpoint + ": " + response.message();
        if (status == 429) {
            String policy = response.body().path("policyName").asString(null);
            log.warn("HubSpot rate limit hit on {} (policy {}); backing off", endpoint, policy);
            throw new HubSpotException.RateLimited(message, policy, response.correlationId(), retryAfter(response.headers()));
        }
        if (status == 401 || status == 403) {
            HubSpotException.AuthFailed refused = new HubSpotException.AuthFailed(message, status, response.category(),
                    response.correlationId(), endpoint, method, path, requiredScopes(response.body()));
            authListeners.forEach(listener -> listener.accept(refused));
            throw refused;
        }
        if (status >= 500 || status == 408) {
            throw new HubSpotException.Unavailable(message, status, response.category(), response.correlationId(),
                    retryAfter(response.headers()), null);
        }
        throw new HubSpotException.Rejected(message, status, response.category(), response.correlationId());
    }

    /**
     * The scopes a 403 says are missing: HubSpot's error body lists them in {@code context.missingScopes} or in its
     * {@code errors[].context.requiredGranularScopes} (https://developers.hubspot.com/docs/api-reference/error-handling).
     */
    static List<String> requiredScopes(JsonNode body) {
        Set<String> scopes = new LinkedHashSet<>();
        body.path("context").path("missingScopes").forEach(scope -> scopes.add(scope.asString()));
        for (JsonNode error : body.path("errors")) {
            error.path("context").path("requiredGranularScopes").forEach(scope -> scopes.add(scope.asString()));
            error.path("context").path("missingScopes").forEach(scope -> scopes.add(scope.asString()));
        }
        scopes.removeIf(String::isBlank);
        return List.copyOf(scopes);
    }

    private JsonNode readJson(byte[] bytes) {
        try {
            return json.readTree(bytes);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /**
     * HubSpot limits searches per second on top of the 10-second budget
     * (https://developers.hubspot.com/changelog/crm-search-api-rate-limit-increase). A fixed-window limiter would let two
     * windows' worth through around a window's edge, so each search takes the next free slot, one spacing after the last.
     */
    private void spaceSearch(String endpoint) {
        long wait;
        synchronized (searchLock) {
            long now = System.nanoTime();
            long at = Math.max(now, nextSearchAt);
            nextSearchAt = at + searchSpacingNanos;
            wait = at - now;
        }
        sleep(endpoint, wait);
    }

    private void waitForPermit(String endpoint) {
        long nanos = limiter.reservePermission();
        if (nanos < 0) {
            throw new HubSpotException.RateLimited(endpoint + ": no rate-limit permit within the configured wait", "CLIENT", null, null);
        }
        sleep(endpoint, nanos);
    }

    private void sleep(String endpoint, long nanos) {
        if (nanos > 0) {
            rateLimitWaits.record(nanos, TimeUnit.NANOSECONDS);
            try {
                TimeUnit.NANOSECONDS.sleep(nanos);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new HubSpotException.Unavailable(endpoint + ": interrupted while waiting for a rate-limit permit", 0, null, null, null, e);
            }
        }
    }

    /**
     * HubSpot reports the app's budget on every response. When what is left in the current window reaches the floor
     * (other clients of the same app share it), the rest of the current slice is given up so the next call waits.
     */
    private void observeRateHeaders(HttpHeaders headers) {
        String left = headers.getFirst("X-HubSpot-RateLimit-Remaining");
        if (left == null) {
            return;
        }
        try {
            long value = Long.parseLong(left.trim());
            remaining.set(value);
            if (value <= minRemaining) {
                log.debug("HubSpot reports {} requests left in its {} ms window; draining the local limiter", value,
                        headers.getFirst("X-HubSpot-RateLimit-Interval-Milliseconds"));
                limiter.drainPermissions();
            }
        } catch (NumberFormatException ignored) {
            // a malformed header is not worth failing a call for
        }
    }

    static Duration retryAfter(HttpHeaders headers) {
        String value = headers.getFirst(HttpHeaders.RETRY_AFTER);
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Duration.ofSeconds(Long.parseLong(value.trim()));
        } catch (NumberFormatException e) {
            try {
                ZonedDateTime at = ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME);
                Duration until = Duration.between(ZonedDateTime.now(at.getZone()), at);
                return until.isNegative() ? Duration.ZERO : until;
            } catch (RuntimeException ignored) {
                return null;
            }
        }
    }

    private void count(String endpoint, String status) {
        Counter.builder("leadflow.crm.hubspot.calls").description("HubSpot API calls by endpoint and HTTP status")
                .tag("endpoint", endpoint).tag("status", status).register(meters).increment();
    }
}
