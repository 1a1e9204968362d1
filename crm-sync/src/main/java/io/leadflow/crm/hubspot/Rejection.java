package io.leadflow.crm.hubspot;

/**
 * HubSpot's refusal of one item of a batch (or of a whole call for a single item).
 *
 * @param endpoint      which call refused it, e.g. {@code deals.upsert}
 * @param status        HTTP status of the response that carried the refusal (207 for a per-item error)
 * @param category      HubSpot's error category, e.g. {@code VALIDATION_ERROR}
 * @param message       HubSpot's message
 * @param correlationId HubSpot's correlation id for support
 */
public record Rejection(String endpoint, int status, String category, String message, String correlationId) {

    public String describe() {
        return endpoint + " rejected (" + status + (category == null ? "" : " " + category) + "): " + message;
    }
}
