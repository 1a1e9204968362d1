package io.leadflow.sandbox.hubspot;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Failures a test asks for, on top of the sandbox's own answers: the next calls failing with a status (a 429 or 5xx
 * storm), an outage, or refused credentials (401 {@code INVALID_AUTHENTICATION}, 403 {@code MISSING_SCOPES}). They
 * are checked after the rate limit, before the call reaches the CRM, so a failed call changes nothing.
 */
public final class Faults {

    /** What a faulty call is answered: a status and, for 403, the scopes HubSpot says are missing. */
    record Fault(int status, List<String> missingScopes) {
    }

    private int failuresLeft;
    private int failureStatus = 503;
    private boolean down;
    private int refusedCredentials;
    private List<String> missingScopes = List.of();
    private final Map<String, HubSpotError> refusedItems = new HashMap<>();

    /** The next {@code calls} calls are answered {@code status} (429 with HubSpot's rate-limit body, else its error body). */
    public synchronized void failNext(int calls, int status) {
        failuresLeft = calls;
        failureStatus = status;
    }

    /** While down, every call is answered 503. */
    public synchronized void down(boolean down) {
        this.down = down;
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
        refusedItems.clear();
        failuresLeft = 0;
        down = false;
        refusedCredentials = 0;
        missingScopes = List.of();
    }

    /** The refusal of a batch input of this id, if a test asked for one. */
    synchronized Optional<HubSpotError> refusedItem(String id) {
        return refusedItems.isEmpty() || id == null ? Optional.empty() : Optional.ofNullable(refusedItems.get(id.trim().toLowerCase(Locale.ROOT)));
    }

    synchronized Optional<Fault> credentials() {
        return refusedCredentials == 0 ? Optional.empty() : Optional.of(new Fault(refusedCredentials, missingScopes));
    }

    /** The failure this call gets, if any; counts down {@link #failNext}. */
    synchronized Optional<Fault> next() {
        if (down) {
            return Optional.of(new Fault(503, List.of()));
        }
        if (failuresLeft > 0) {
            failuresLeft--;
            return Optional.of(new Fault(failureStatus, List.of()));
        }
        return Optional.empty();
    }
}
