package io.leadflow.sandbox.hubspot;

import tools.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static io.leadflow.sandbox.hubspot.Answers.JSON;

/**
 * A private app's limits: {@code rateLimit} requests per rolling {@code rateWindow} (190 per 10 s) and search
 * {@code searchRateLimit} per second, answered with 429, HubSpot's {@code policyName} and {@code Retry-After}; every
 * answer carries the {@code X-HubSpot-RateLimit-*} headers.
 * https://developers.hubspot.com/changelog/2018-11-06-rate-limit-information-headers-will-be-included-in-http-responses
 */
final class RateLimits {

    /** A refusal: the 429 body and its headers. */
    record Refusal(ObjectNode body, Map<String, String> headers) {
    }

    private final HubSpotSandboxSettings settings;
    private int limit;
    private Duration rateWindow;
    private int searchLimit;
    private final Deque<Long> window = new ArrayDeque<>();
    private final Deque<Long> searchWindow = new ArrayDeque<>();
    private long refused;

    RateLimits(HubSpotSandboxSettings settings) {
        this.settings = settings;
        this.limit = settings.rateLimit();
        this.rateWindow = settings.rateWindow();
        this.searchLimit = settings.searchRateLimit();
    }

    /** From now on {@code requests} per rolling {@code window}; what the current window spent is forgotten. */
    synchronized void limit(int requests, Duration window) {
        this.limit = requests;
        this.rateWindow = window;
        this.window.clear();
    }

    /** From now on {@code perSecond} searches a second; what the current second spent is forgotten. */
    synchronized void limitSearches(int perSecond) {
        this.searchLimit = perSecond;
        searchWindow.clear();
    }

    /** Counts a request made at {@code at} (epoch millis), or refuses it when a limit is spent. */
    synchronized Optional<Refusal> admit(long at, boolean search) {
        prune(window, at - rateWindow.toMillis());
        prune(searchWindow, at - 1000);
        if (window.size() >= limit) {
            return Optional.of(tooMany("TEN_SECONDLY_ROLLING", "You have reached your ten_secondly_rolling limit.",
                    retryAfter(window, at, rateWindow)));
        }
        if (search && searchWindow.size() >= searchLimit) {
            return Optional.of(tooMany("SECONDLY", "You have reached your secondly limit.", retryAfter(searchWindow, at, Duration.ofSeconds(1))));
        }
        window.addLast(at);
        if (search) {
            searchWindow.addLast(at);
        }
        return Optional.empty();
    }

    /** The headers of an admitted request's answer. */
    synchronized Map<String, String> headers() {
        return headers(Math.max(0, limit - window.size()));
    }

    synchronized long refused() {
        return refused;
    }

    /** As configured, nothing spent, nothing refused. */
    synchronized void clear() {
        limit = settings.rateLimit();
        rateWindow = settings.rateWindow();
        searchLimit = settings.searchRateLimit();
        window.clear();
        searchWindow.clear();
        refused = 0;
    }

    /**
     * HubSpot's 429 body for {@code policy}, counted as a refusal; also what an injected 429 answers:
     * {@code status, message, errorType RATE_LIMIT, correlationId, policyName, requestId}
     * (https://developers.hubspot.com/docs/api/usage-details).
     */
    synchronized Refusal tooMany(String policy, String message, long retryAfterSeconds) {
        refused++;
        ObjectNode body = JSON.createObjectNode();
        body.put("status", "error");
        body.put("message", message);
        body.put("errorType", "RATE_LIMIT");
        body.put("correlationId", UUID.randomUUID().toString());
        body.put("policyName", policy);
        body.put("requestId", UUID.randomUUID().toString());
        body.put("groupName", "leadflow-local-sandbox");
        Map<String, String> headers = new LinkedHashMap<>(headers(0));
        headers.put("Retry-After", String.valueOf(retryAfterSeconds));
        return new Refusal(body, headers);
    }

    private Map<String, String> headers(int remaining) {
        return Map.of("X-HubSpot-RateLimit-Interval-Milliseconds", String.valueOf(rateWindow.toMillis()),
                "X-HubSpot-RateLimit-Max", String.valueOf(limit),
                "X-HubSpot-RateLimit-Remaining", String.valueOf(remaining));
    }

    private static long retryAfter(Deque<Long> window, long now, Duration length) {
        long oldest = window.isEmpty() ? now : window.peekFirst();
        return Math.max(1, (oldest + length.toMillis() - now + 999) / 1000);
    }

    private static void prune(Deque<Long> window, long before) {
        while (!window.isEmpty() && window.peekFirst() <= before) {
            window.removeFirst();
        }
    }
}
