package io.leadflow.crm.hubspot;

/**
 * A HubSpot call that did not succeed, with what HubSpot said about it: the HTTP status, the error
 * {@code category} and {@code message} of its error body and the {@code correlationId} HubSpot support asks for.
 */
public class HubSpotException extends RuntimeException {

    private final int status;
    private final String category;
    private final String correlationId;

    public HubSpotException(String message, int status, String category, String correlationId, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.category = category;
        this.correlationId = correlationId;
    }

    /** HTTP status, or 0 when no response came (timeout, connection refused). */
    public int status() {
        return status;
    }

    public String category() {
        return category;
    }

    public String correlationId() {
        return correlationId;
    }

    /** 5xx, timeouts and I/O errors: HubSpot is unavailable; the work must wait, not fail. */
    public static class Unavailable extends HubSpotException {
        private final java.time.Duration retryAfter;

        public Unavailable(String message, int status, String category, String correlationId, java.time.Duration retryAfter,
                           Throwable cause) {
            super(message, status, category, correlationId, cause);
            this.retryAfter = retryAfter;
        }

        /** The server's {@code Retry-After}, or null. */
        public java.time.Duration retryAfter() {
            return retryAfter;
        }
    }

    /** 429: over the app's rate limit. Retried after a pause; never counted as HubSpot being down. */
    public static class RateLimited extends Unavailable {
        private final String policyName;

        public RateLimited(String message, String policyName, String correlationId, java.time.Duration retryAfter) {
            super(message, 429, "RATE_LIMITS", correlationId, retryAfter, null);
            this.policyName = policyName;
        }

        /** e.g. {@code TEN_SECONDLY_ROLLING} or {@code DAILY}. */
        public String policyName() {
            return policyName;
        }
    }

    /** 400/404/409/422...: HubSpot refused the request as sent; sending it again will not help. */
    public static class Rejected extends HubSpotException {
        public Rejected(String message, int status, String category, String correlationId) {
            super(message, status, category, correlationId, null);
        }
    }

    /**
     * 401/403: HubSpot refuses our credentials (a wrong, revoked or expired token; scopes the private app lacks). A
     * configuration error, not an outage: not retried, not counted by the circuit; the work waits until it is fixed.
     * Carries the request it refused, so the same endpoint can be probed until HubSpot accepts the credentials again,
     * and the scopes HubSpot's error body says are required, if it lists them.
     */
    public static class AuthFailed extends HubSpotException {
        private final String endpoint;
        private final org.springframework.http.HttpMethod method;
        private final String path;
        private final java.util.List<String> requiredScopes;

        public AuthFailed(String message, int status, String category, String correlationId, String endpoint,
                          org.springframework.http.HttpMethod method, String path, java.util.List<String> requiredScopes) {
            super(message, status, category, correlationId, null);
            this.endpoint = endpoint;
            this.method = method;
            this.path = path;
            this.requiredScopes = java.util.List.copyOf(requiredScopes);
        }

        public String endpoint() {
            return endpoint;
        }

        public org.springframework.http.HttpMethod method() {
            return method;
        }

        public String path() {
            return path;
        }

        /** The scopes HubSpot named as required (empty when its answer names none). */
        public java.util.List<String> requiredScopes() {
            return requiredScopes;
        }

        /** What an operator has to do about it, naming the setting and the HubSpot screen. */
        public String whatToFix() {
            if (status() == 401) {
                return "HubSpot does not accept the access token: set LEADFLOW_HUBSPOT_TOKEN to the private app's current "
                        + "access token (HubSpot: Settings > Integrations > Private Apps > the app > Auth) and restart crm-sync";
            }
            if (!requiredScopes.isEmpty()) {
                return "grant the private app behind LEADFLOW_HUBSPOT_TOKEN the scope(s) " + String.join(", ", requiredScopes)
                        + " (HubSpot: Settings > Integrations > Private Apps > the app > Scopes); crm-sync resumes by itself "
                        + "once HubSpot accepts the token";
            }
            return "give the private app behind LEADFLOW_HUBSPOT_TOKEN read and write on contacts, companies and deals "
                    + "(notes and tasks come with them) and read on deal schemas (HubSpot: Settings > Integrations > Private Apps)";
        }
    }
}
