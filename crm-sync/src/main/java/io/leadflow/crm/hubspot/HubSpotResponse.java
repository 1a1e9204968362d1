package io.leadflow.crm.hubspot;

import org.springframework.http.HttpHeaders;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.MissingNode;

/** Status, headers and JSON body (a missing node when empty) of one HubSpot response. */
public record HubSpotResponse(int status, HttpHeaders headers, JsonNode body) {

    public HubSpotResponse {
        body = body == null ? MissingNode.getInstance() : body;
    }

    /** HubSpot's correlation id: from the error body, else from the {@code X-HubSpot-Correlation-Id} header. */
    public String correlationId() {
        String fromBody = body.path("correlationId").asString(null);
        return fromBody != null ? fromBody : headers.getFirst("X-HubSpot-Correlation-Id");
    }

    /** HubSpot's human-readable message of an error body, or the status. */
    public String message() {
        String message = body.path("message").asString(null);
        return message != null ? message : "HTTP " + status;
    }

    public String category() {
        return body.path("category").asString(null);
    }
}
