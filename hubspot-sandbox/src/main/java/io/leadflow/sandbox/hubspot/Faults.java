package io.leadflow.sandbox.hubspot;

import java.util.List;
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

    /** No faults any more. */
    public synchronized void clear() {
        failuresLeft = 0;
        down = false;
        refusedCredentials = 0;
        missingScopes = List.of();
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
