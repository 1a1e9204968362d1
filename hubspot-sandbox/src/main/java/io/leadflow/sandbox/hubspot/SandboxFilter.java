package io.leadflow.sandbox.hubspot;

import io.leadflow.sandbox.RecordedCall;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.ContentCachingRequestWrapper;
import org.springframework.web.util.ContentCachingResponseWrapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * What every HubSpot call goes through before it reaches a controller, in HubSpot's order: the bearer token (401),
 * the rate limits (429), then any injected fault (an outage, a rate-limit storm, failing calls), then any injected
 * latency. Every call, answered here or by a controller, is recorded
 * with its answer, and every answer past the rate limit carries the rate-limit headers.
 */
final class SandboxFilter extends OncePerRequestFilter {

    private final HubSpotSandbox sandbox;

    SandboxFilter(HubSpotSandbox sandbox) {
        this.sandbox = sandbox;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Instant now = sandbox.clock().instant();
        String path = request.getRequestURI().substring(request.getContextPath().length() + HubSpotSandboxWeb.BASE_PATH.length());
        ContentCachingRequestWrapper cachedRequest = new ContentCachingRequestWrapper(request, sandbox.calls().bodyChars() + 1);
        ContentCachingResponseWrapper cachedResponse = new ContentCachingResponseWrapper(response);
        boolean admitted = false;
        // HubSpot names every answer for its support: https://developers.hubspot.com/docs/api-reference/error-handling
        cachedResponse.setHeader("X-HubSpot-Correlation-Id", UUID.randomUUID().toString());
        try {
            admitted = admitted(request, cachedResponse, now, path);
            if (admitted) {
                chain.doFilter(cachedRequest, cachedResponse);
                sandbox.rateLimits().headers().forEach(cachedResponse::setHeader);
            }
            delay(sandbox.faults().latency());
        } finally {
            byte[] body = admitted ? cachedRequest.getContentAsByteArray() : request.getInputStream().readNBytes(sandbox.calls().bodyChars() + 1);
            String requestBody = new String(body, StandardCharsets.UTF_8);
            String answer = new String(cachedResponse.getContentAsByteArray(), StandardCharsets.UTF_8);
            sandbox.calls().record(new RecordedCall(now, request.getMethod(), path, cachedResponse.getStatus(),
                    sandbox.calls().shorten(requestBody), sandbox.calls().shorten(answer)));
            cachedResponse.copyBodyToResponse();
        }
    }

    /** The fault controls are not an API call: not rate-limited, recorded or faulty themselves. */
    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        return path.equals(FaultsController.PATH) || path.equals(FaultsController.PATH + "/");
    }

    /** An injected latency: the answer (the change made, or the fault decided) reaches the client this much later. */
    private static void delay(Duration latency) {
        if (latency.isZero()) {
            return;
        }
        try {
            Thread.sleep(latency.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Whether the call may reach the CRM; if not, its answer is written. */
    private boolean admitted(HttpServletRequest request, HttpServletResponse response, Instant now, String path) throws IOException {
        String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
        Optional<Faults.Fault> refused = sandbox.faults().credentials();
        if (!sandbox.accepts(authorization) || refused.map(f -> f.status() == 401).orElse(false)) {
            write(response, 401, Answers.errorBody(new HubSpotError(401, "INVALID_AUTHENTICATION",
                    "Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview")), Map.of());
            return false;
        }
        if (refused.isPresent()) {
            write(response, 403, missingScopes(refused.get()), Map.of());
            return false;
        }
        Optional<RateLimits.Refusal> limited = sandbox.rateLimits().admit(now.toEpochMilli(), isSearch(path));
        if (limited.isPresent()) {
            write(response, 429, limited.get().body(), limited.get().headers());
            return false;
        }
        Optional<Faults.Fault> fault = sandbox.faults().next();
        if (fault.isPresent()) {
            if (fault.get().status() == 429) {
                RateLimits.Refusal refusal = sandbox.rateLimits().tooMany("TEN_SECONDLY_ROLLING",
                        "You have reached your ten_secondly_rolling limit.", fault.get().retryAfterSeconds());
                write(response, 429, refusal.body(), refusal.headers());
            } else {
                write(response, fault.get().status(), Answers.errorBody(new HubSpotError(fault.get().status(), "INTERNAL_ERROR",
                        "internal error")), sandbox.rateLimits().headers());
            }
            return false;
        }
        return true;
    }

    /** {@code /crm/v3/objects/{type}/search}: the calls the search limit counts. */
    private static boolean isSearch(String path) {
        String[] segments = path.replaceAll("^/+|/+$", "").split("/+");
        return segments.length == 5 && segments[4].equals("search");
    }

    /** https://developers.hubspot.com/docs/api-reference/error-handling: category MISSING_SCOPES, the scopes in errors[].context. */
    private static ObjectNode missingScopes(Faults.Fault fault) {
        ObjectNode body = Answers.errorBody(new HubSpotError(403, "MISSING_SCOPES", "This app hasn't been granted all required scopes "
                + "to make this call. Read more about required scopes here: https://developers.hubspot.com/scopes."));
        ObjectNode detail = body.putArray("errors").addObject().put("message", "One or more of the following scopes are required.");
        ArrayNode scopes = detail.putObject("context").putArray("requiredGranularScopes");
        fault.missingScopes().forEach(scopes::add);
        body.putObject("links").put("scopes", "https://developers.hubspot.com/scopes");
        return body;
    }

    private static void write(HttpServletResponse response, int status, ObjectNode body, Map<String, String> headers) throws IOException {
        response.setStatus(status);
        headers.forEach(response::setHeader);
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.getOutputStream().write(body.toString().getBytes(StandardCharsets.UTF_8));
    }
}
