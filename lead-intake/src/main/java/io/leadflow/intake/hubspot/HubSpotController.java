package io.leadflow.intake.hubspot;

import io.leadflow.avro.DealStageChanged;
import io.leadflow.intake.publish.Publisher;
import io.leadflow.intake.signature.SignatureVerifier;
import io.leadflow.intake.system.IntakeMetrics;
import io.leadflow.intake.system.IntakeProperties;
import io.leadflow.intake.system.RawBody;
import io.leadflow.intake.system.RecentKeys;
import io.leadflow.intake.system.RejectedRequest;
import io.leadflow.intake.system.WebhookSource;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /webhooks/hubspot}: HubSpot app webhooks, a JSON array of events signed with
 * {@code X-HubSpot-Signature-v3} (base64 HMAC-SHA256 of method + URI + body + timestamp, 5-minute
 * window). Deal stage changes ({@code deal.propertyChange} on {@code dealstage}, and the developer
 * platform's {@code object.propertyChange} for object type {@code 0-3}) and deal creations that carry a
 * stage become {@code DealStageChanged} on {@code deals.stage-changed}, keyed by dealId. Other events
 * are acknowledged and ignored. The whole batch is validated before anything is published.
 *
 * <p>Event ids already published are skipped (HubSpot retries a batch for up to a day). That memory
 * is per instance and bounded (see {@link RecentKeys}); a record that slips through twice carries the
 * same eventId, which trial-tracker can drop.
 */
@RestController
class HubSpotController {

    static final String DEALS_OBJECT_TYPE = "0-3";

    private final SignatureVerifier signatures;
    private final Publisher publisher;
    private final IntakeMetrics metrics;
    private final ObjectMapper json;
    private final IntakeProperties properties;
    private final RecentKeys publishedEvents;

    HubSpotController(SignatureVerifier signatures, Publisher publisher, IntakeMetrics metrics, ObjectMapper json,
                      IntakeProperties properties) {
        this.signatures = signatures;
        this.publisher = publisher;
        this.metrics = metrics;
        this.json = json;
        this.properties = properties;
        this.publishedEvents = new RecentKeys(properties.replayCacheSize(), Duration.ofHours(25));
    }

    @PostMapping(path = "/webhooks/hubspot", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Map<String, Object>> receive(HttpServletRequest request,
            @RequestHeader(name = SignatureVerifier.HUBSPOT_SIGNATURE_HEADER, required = false) String signature,
            @RequestHeader(name = SignatureVerifier.HUBSPOT_TIMESTAMP_HEADER, required = false) String timestamp) {
        long arrived = System.nanoTime();
        byte[] body = RawBody.read(request, properties.maxJsonBody());
        signatures.verifyHubSpot(signature, timestamp, request.getMethod(), signedUri(request), body);
        JsonNode root = json.readTree(body);
        if (root == null || !(root.isArray() || root.isObject())) {
            throw RejectedRequest.invalid("body", "must be a JSON array of events");
        }
        List<JsonNode> events = new ArrayList<>();
        if (root.isArray()) {
            root.forEach(events::add);
        } else {
            events.add(root);
        }
        List<DealStageChanged> changes = new ArrayList<>();
        int ignored = 0;
        for (int i = 0; i < events.size(); i++) {
            DealStageChanged change = toChange(events.get(i), i);
            if (change == null) {
                ignored++;
            } else {
                changes.add(change);
            }
        }
        int published = 0;
        int duplicates = 0;
        for (DealStageChanged change : changes) {
            String key = change.getPortalId() + ":" + change.getEventId();
            if (publishedEvents.contains(key)) {
                duplicates++;
                continue;
            }
            publisher.publish(WebhookSource.HUBSPOT, change, arrived);
            publishedEvents.add(key);
            published++;
        }
        metrics.received(WebhookSource.HUBSPOT, published > 0 ? "accepted" : duplicates > 0 ? "duplicate" : "ignored");
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("published", published);
        answer.put("duplicates", duplicates);
        answer.put("ignored", ignored);
        return ResponseEntity.accepted().body(answer);
    }

    /** The URI HubSpot signed: the configured public URL, else this request's URL with its query. */
    private String signedUri(HttpServletRequest request) {
        String configured = properties.hubspotWebhookUrl();
        if (configured != null && !configured.isBlank()) {
            return configured.trim();
        }
        String query = request.getQueryString();
        return request.getRequestURL() + (query == null ? "" : "?" + query);
    }

    /** The stage change an event describes; null for events that are not about a deal's stage. */
    static DealStageChanged toChange(JsonNode event, int index) {
        String at = "[" + index + "].";
        if (!event.isObject()) {
            throw RejectedRequest.invalid("[" + index + "]", "must be an event object");
        }
        String type = text(event, "subscriptionType");
        if (type == null) {
            throw RejectedRequest.invalid(at + "subscriptionType", "is required");
        }
        boolean dealEvent = type.startsWith("deal.")
                || (type.startsWith("object.") && DEALS_OBJECT_TYPE.equals(text(event, "objectTypeId")));
        String kind = type.substring(type.indexOf('.') + 1);
        String property = text(event, "propertyName");
        String stage = text(event, "propertyValue");
        boolean stageChange = kind.equals("propertyChange") && "dealstage".equals(property);
        boolean creationWithStage = kind.equals("creation") && stage != null && (property == null || "dealstage".equals(property));
        if (!dealEvent || !(stageChange || creationWithStage)) {
            return null;
        }
        if (stage == null) {
            throw RejectedRequest.invalid(at + "propertyValue", "is required for a dealstage change");
        }
        return DealStageChanged.newBuilder()
                .setEventId(number(event, "eventId", at, true))
                .setPortalId(number(event, "portalId", at, false))
                .setDealId(Long.toString(number(event, "objectId", at, true)))
                .setPipelineId(text(event, "pipelineId"))
                .setStageId(stage)
                .setPreviousStageId(null)
                .setOccurredAt(Instant.ofEpochMilli(number(event, "occurredAt", at, true)))
                .setSubscriptionType(type)
                .build();
    }

    private static String text(JsonNode event, String field) {
        JsonNode node = event.path(field);
        return node.isValueNode() && !node.isNull() && !node.asString().isBlank() ? node.asString().trim() : null;
    }

    private static long number(JsonNode event, String field, String at, boolean required) {
        JsonNode node = event.path(field);
        if (node.isIntegralNumber() && node.canConvertToLong()) {
            return node.longValue();
        }
        if (node.isString()) {
            try {
                return Long.parseLong(node.asString().trim());
            } catch (NumberFormatException e) {
                throw RejectedRequest.invalid(at + field, "must be a number");
            }
        }
        if (node.isMissingNode() || node.isNull()) {
            if (required) {
                throw RejectedRequest.invalid(at + field, "is required");
            }
            return 0L;
        }
        throw RejectedRequest.invalid(at + field, "must be a number");
    }
}
