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

    /** 5xx, 401/403, timeouts and I/O errors: HubSpot (or our access to it) is unavailable; the work must wait, not fail. */
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
}
