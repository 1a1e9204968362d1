package io.leadflow.intake.hubspot;

import io.leadflow.avro.DealStageChanged;
import io.leadflow.intake.delivery.Answer;
import io.leadflow.intake.delivery.Delivery;
import io.leadflow.intake.delivery.DeliveryLedger;
import io.leadflow.intake.delivery.WebhookOpening;
import io.leadflow.intake.publish.Publisher;
import io.leadflow.intake.system.RejectedRequest;
import io.leadflow.intake.system.WebhookSource;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * {@code POST /webhooks/hubspot}: HubSpot app webhooks, a JSON array of events signed with
 * {@code X-HubSpot-Signature-v3} (base64 HMAC-SHA256 of method + URI + body + timestamp, 5-minute
 * window; HubSpot signs every attempt afresh). Deal stage changes ({@code deal.propertyChange} on {@code dealstage},
 * and the developer platform's {@code object.propertyChange} for object type {@code 0-3}) and deal creations that
 * carry a stage become {@code DealStageChanged} on {@code deals.stage-changed}, keyed by dealId. Other events
 * are acknowledged and ignored. The whole batch is validated before anything is published.
 *
 * <p>HubSpot retries a batch for up to a day and may regroup events into other batches; every event is remembered in
 * the shared replay memory by portal and eventId once published, so each is published once whichever instance gets
 * it, and a record that still slips through twice carries the same eventId, which trial-tracker drops.
 */
@RestController
class HubSpotController {

    static final String DEALS_OBJECT_TYPE = "0-3";
    /** HubSpot sends at most 100 events a request; a few more are tolerated, thousands are not. */
    static final int MAX_EVENTS = 1000;

    private final WebhookOpening opening;
    private final Publisher publisher;
    private final DeliveryLedger ledger;
    private final ObjectMapper json;

    HubSpotController(WebhookOpening opening, Publisher publisher, DeliveryLedger ledger, ObjectMapper json) {
        this.opening = opening;
        this.publisher = publisher;
        this.ledger = ledger;
        this.json = json;
    }

    @PostMapping(path = "/webhooks/hubspot", consumes = MediaType.APPLICATION_JSON_VALUE)
    CompletableFuture<ResponseEntity<Map<String, Object>>> receive(HttpServletRequest request) {
        return opening.receive(request, WebhookSource.HUBSPOT, this::events);
    }

    private CompletableFuture<Answer> events(Delivery delivery) {
        JsonNode root = json.readTree(delivery.body());
        if (root == null || !(root.isArray() || root.isObject())) {
            throw RejectedRequest.invalid("body", "must be a JSON array of events");
        }
        List<JsonNode> events = new ArrayList<>();
        if (root.isArray()) {
            root.forEach(events::add);
        } else {
            events.add(root);
        }
        if (events.size() > MAX_EVENTS) {
            throw RejectedRequest.invalid("body", "holds more than " + MAX_EVENTS + " events");
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
        List<CompletableFuture<?>> acks = new ArrayList<>();
        int duplicates = 0;
        for (DealStageChanged change : changes) {
            String key = "hubspot:event:" + change.getPortalId() + ":" + change.getEventId();
            DeliveryLedger.Claim claim;
            try {
                claim = ledger.check(key, key);
            } catch (DeliveryLedger.Duplicate duplicate) {
                duplicates++;
                continue;
            }
            acks.add(publisher.publish(WebhookSource.HUBSPOT, change, delivery.arrivedNanos())
                    .thenCompose(sent -> ledger.accepted(claim, change.getDealId(), "accepted")));
        }
        int published = acks.size();
        int repeated = duplicates;
        int skipped = ignored;
        return CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).thenApply(done -> {
            Map<String, Object> extra = new LinkedHashMap<>();
            extra.put("published", published);
            extra.put("duplicates", repeated);
            extra.put("ignored", skipped);
            return new Answer(null, published > 0 ? "accepted" : repeated > 0 ? "duplicate" : "ignored", extra);
        });
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
