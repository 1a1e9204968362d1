package io.leadflow.sandbox;

import java.time.Instant;

/**
 * One API call a sandbox answered, as the console lists it.
 *
 * @param at       when it arrived
 * @param method   HTTP method
 * @param path     path below the sandbox's base URL
 * @param status   HTTP status answered
 * @param request  the request body, shortened
 * @param response the response body, shortened
 */
public record RecordedCall(Instant at, String method, String path, int status, String request, String response) {
}
