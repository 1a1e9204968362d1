package io.leadflow.sandbox.hubspot;

/** A request the sandbox could not honour: answered with HubSpot's error body (see {@link Answers#error}). */
final class HubSpotError extends RuntimeException {

    final int status;
    final String category;
    final String subCategory;

    HubSpotError(int status, String category, String message) {
        this(status, category, null, message);
    }

    HubSpotError(int status, String category, String subCategory, String message) {
        super(message);
        this.status = status;
        this.category = category;
        this.subCategory = subCategory;
    }
}
