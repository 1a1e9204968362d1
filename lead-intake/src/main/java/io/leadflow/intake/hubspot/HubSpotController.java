package io.leadflow.intake.hubspot;

import io.leadflow.avro.ActivityKind;
import io.leadflow.avro.DealStageChanged;
import io.leadflow.avro.LeadActivity;
import io.leadflow.intake.delivery.Answer;
import io.leadflow.intake.delivery.Delivery;
import io.leadflow.intake.delivery.DeliveryLedger;
import io.leadflow.intake.delivery.WebhookOpening;
import io.leadflow.intake.publish.LeadActivities;
import io.leadflow.intake.publish.Publisher;
import io.leadflow.intake.system.IntakeProperties;
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
 * window; HubSpot signs every attempt afresh). The events read are those of the subscriptions the README lists, in
 * HubSpot's legacy form ({@code deal.propertyChange}, {@code contact.propertyChange}) or the developer platform's
 * ({@code object.propertyChange} with {@code objectTypeId} {@code 0-3} for deals, {@code 0-1} for contacts); each event
 * carries {@code eventId}, {@code portalId}, {@code occurredAt}, {@code subscriptionType}, {@code objectId},
 * {@code propertyName} and {@code propertyValue} (the payload tables of
 * https://developers.hubspot.com/docs/apps/legacy-apps/public-apps/create-generic-webhook-subscriptions, which also
 * defines {@code object.*} and {@code objectTypeId}; the subscription types in
 * https://developers.hubspot.com/docs/api-reference/legacy/webhooks/subscriptions/create-subscription).
 *
 * <ul>
 *   <li>Deal stage changes ({@code dealstage}), and deal creations that carry a stage, become {@code DealStageChanged}
 *       on {@code deals.stage-changed}, keyed by dealId, as trial-tracker needs.</li>
 *   <li>A deal's stage changing to any stage but the ones deals are opened in means someone worked the deal: a
 *       {@code WORKED} activity on {@code leads.activity}, keyed {@code hubspot:deal:<objectId>} (both records, for one
 *       event).</li>
 *   <li>A contact's lead status ({@code hs_lead_status}) changing to one of the configured worked statuses (an attempt,
 *       a conversation, a deal, a verdict) is a {@code WORKED} activity keyed {@code hubspot:contact:<objectId>}; other
 *       statuses (NEW, OPEN) are ignored.</li>
 * </ul>
 * Anything else is acknowledged and ignored. The whole batch is validated before anything is published. A WORKED
 * activity's id is {@code hubspot:<portalId>:<eventId>}. HubSpot's events do not name an owner (a change's
 * {@code sourceId} is a user, not an owner id), so {@code actorHubspotOwnerId} stays empty: routing-service knows the
 * record's owner. An owner change ({@code hubspot_owner_id}) is deliberately not a signal: crm-sync itself moves the
 * owner whenever routing reassigns a lead, and an assignment is not a contact attempt; likewise the stage a deal is
 * opened in, which crm-sync sets when it creates the deal.
 *
 * <p>HubSpot retries a batch for up to a day and may regroup events into other batches; every event is remembered in
 * the shared replay memory by portal and eventId once all its records are published, so each is published once
 * whichever instance gets it, and a record that still slips through twice carries the same eventId, which
 * trial-tracker drops, or the same activityId, which routing-service drops.
 */
@RestController
class HubSpotController {

    static final String DEALS_OBJECT_TYPE = "0-3";
    static final String CONTACTS_OBJECT_TYPE = "0-1";
    static final String LEAD_STATUS = "hs_lead_status";
    static final String DEAL_STAGE = "dealstage";
    /** HubSpot sends at most 100 events a request; a few more are tolerated, thousands are not. */
    static final int MAX_EVENTS = 1000;

    private final WebhookOpening opening;
    private final Publisher publisher;
    private final DeliveryLedger ledger;
    private final IntakeProperties properties;
    private final ObjectMapper json;

    HubSpotController(WebhookOpening opening, Publisher publisher, DeliveryLedger ledger, IntakeProperties properties,
                      ObjectMapper json) {
        this.opening = opening;
        this.publisher = publisher;
        this.ledger = ledger;
        this.properties = properties;
        this.json = json;
    }

    @PostMapping(path = "/webhooks/hubspot", consumes = MediaType.APPLICATION_JSON_VALUE)
    CompletableFuture<ResponseEntity<Map<String, Object>>> receive(HttpServletRequest request) {
        return opening.receive(request, WebhookSource.HUBSPOT, this::events);
    }

    /** What one event means: a deal-stage change, a worked signal, both, or (both null) nothing. */
    record Records(long portalId, long eventId, DealStageChanged change, LeadActivity activity) {

        boolean any() {
            return change != null || activity != null;
        }

        String key() {
            return activity != null ? LeadActivities.key(activity) : change.getDealId();
        }
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
        List<Records> meaningful = new ArrayList<>();
        int ignored = 0;
        for (int i = 0; i < events.size(); i++) {
            Records records = toRecords(events.get(i), i, properties.hubspotSignals());
            if (records.any()) {
                meaningful.add(records);
            } else {
                ignored++;
            }
        }
        List<CompletableFuture<?>> acks = new ArrayList<>();
        int duplicates = 0;
        for (Records records : meaningful) {
            String key = "hubspot:event:" + records.portalId() + ":" + records.eventId();
            DeliveryLedger.Claim claim;
            try {
                claim = ledger.check(key, key);
            } catch (DeliveryLedger.Duplicate duplicate) {
                duplicates++;
                continue;
            }
            List<CompletableFuture<?>> sent = new ArrayList<>();
            if (records.change() != null) {
                sent.add(publisher.publish(WebhookSource.HUBSPOT, records.change(), delivery.arrivedNanos()));
            }
            if (records.activity() != null) {
                sent.add(publisher.publish(WebhookSource.HUBSPOT, records.activity(), delivery.arrivedNanos(), properties.publishTimeout()));
            }
            acks.add(CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new))
                    .thenCompose(done -> ledger.accepted(claim, records.key(), "accepted")));
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

    /** The records an event means; throws a 400 naming the field when an event that means something is malformed. */
    static Records toRecords(JsonNode event, int index, IntakeProperties.HubSpotSignals signals) {
        String at = "[" + index + "].";
        if (!event.isObject()) {
            throw RejectedRequest.invalid("[" + index + "]", "must be an event object");
        }
        String type = text(event, "subscriptionType");
        if (type == null) {
            throw RejectedRequest.invalid(at + "subscriptionType", "is required");
        }
        String objectType = type.startsWith("object.") ? text(event, "objectTypeId") : null;
        boolean dealEvent = type.startsWith("deal.") || DEALS_OBJECT_TYPE.equals(objectType);
        boolean contactEvent = type.startsWith("contact.") || CONTACTS_OBJECT_TYPE.equals(objectType);
        String kind = type.substring(type.indexOf('.') + 1);
        String property = text(event, "propertyName");
        String value = text(event, "propertyValue");
        boolean propertyChange = kind.equals("propertyChange");

        DealStageChanged change = null;
        LeadActivity activity = null;
        if (dealEvent && (propertyChange && DEAL_STAGE.equals(property)
                || kind.equals("creation") && value != null && (property == null || DEAL_STAGE.equals(property)))) {
            if (value == null) {
                throw RejectedRequest.invalid(at + "propertyValue", "is required for a dealstage change");
            }
            change = DealStageChanged.newBuilder()
                    .setEventId(number(event, "eventId", at, true))
                    .setPortalId(number(event, "portalId", at, false))
                    .setDealId(Long.toString(number(event, "objectId", at, true)))
                    .setPipelineId(text(event, "pipelineId"))
                    .setStageId(value)
                    .setPreviousStageId(null)
                    .setOccurredAt(Instant.ofEpochMilli(number(event, "occurredAt", at, true)))
                    .setSubscriptionType(type)
                    .build();
            if (propertyChange && !signals.openingDealStage(value)) {
                activity = worked(event, at, DEAL_STAGE, value).setHubspotDealId(change.getDealId()).build();
            }
        } else if (contactEvent && propertyChange && LEAD_STATUS.equals(property) && signals.workedLeadStatus(value)) {
            activity = worked(event, at, LEAD_STATUS, value)
                    .setHubspotContactId(Long.toString(number(event, "objectId", at, true)))
                    .build();
        }
        if (change == null && activity == null) {
            return new Records(0, 0, null, null);
        }
        return new Records(number(event, "portalId", at, false), number(event, "eventId", at, true), change, activity);
    }

    private static LeadActivity.Builder worked(JsonNode event, String at, String property, String value) {
        long portalId = number(event, "portalId", at, false);
        long eventId = number(event, "eventId", at, true);
        return LeadActivities.activity(ActivityKind.WORKED, WebhookSource.HUBSPOT.tag(), "hubspot:" + portalId + ":" + eventId,
                        at + "eventId", Instant.ofEpochMilli(number(event, "occurredAt", at, true)))
                .setDetail(LeadActivities.detail(property + "=" + value));
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
