package io.leadflow.crm.privacy;

import io.leadflow.crm.hubspot.BatchOutcome;
import io.leadflow.crm.hubspot.HubSpotCrm;
import io.leadflow.crm.hubspot.HubSpotException;
import io.leadflow.crm.hubspot.HubSpotGateway;
import io.leadflow.crm.hubspot.HubSpotResponse;
import io.leadflow.crm.hubspot.Rejection;
import org.springframework.http.HttpMethod;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The HubSpot calls an erasure makes, each through the {@link HubSpotGateway} (rate limiter, retries with back-off, circuit
 * breaker), like every other call of crm-sync.
 */
class HubSpotErasure {

    /** A contact as the erasure needs it: its id and the names a deal's name might repeat. */
    record Contact(String id, String email, String firstName, String lastName) {
    }

    private final HubSpotGateway gateway;
    private final HubSpotCrm crm;

    HubSpotErasure(HubSpotGateway gateway, HubSpotCrm crm) {
        this.gateway = gateway;
        this.crm = crm;
    }

    /**
     * The live contact of an email: {@code POST /crm/v3/objects/contacts/batch/read} with {@code idProperty: email}
     * (https://developers.hubspot.com/docs/api-reference/legacy/crm/objects/contacts/batch/read-contacts); empty when HubSpot
     * holds none (its 207 names the email as not found).
     */
    Optional<Contact> contactByEmail(String email) {
        HubSpotResponse response = gateway.call("contacts.read", HttpMethod.POST, "/crm/v3/objects/contacts/batch/read",
                Map.of("idProperty", "email", "inputs", List.of(Map.of("id", email)),
                        "properties", List.of("email", "firstname", "lastname")));
        for (JsonNode result : response.body().path("results")) {
            JsonNode properties = result.path("properties");
            if (email.equalsIgnoreCase(properties.path("email").asString(""))) {
                return Optional.of(new Contact(result.path("id").asString(), properties.path("email").asString(),
                        properties.path("firstname").asString(null), properties.path("lastname").asString(null)));
            }
        }
        return Optional.empty();
    }

    /** The ids of the {@code toType} records associated with a contact (associations v4 batch read). */
    List<String> associated(String contactId, String toType) {
        return crm.associatedIds("contacts", toType, List.of(contactId)).getOrDefault(contactId, List.of());
    }

    /**
     * Records of a type by id, with {@code properties}: {@code POST /crm/v3/objects/{type}/batch/read}. Ids HubSpot no
     * longer holds are absent.
     */
    Map<String, JsonNode> read(String objectType, Collection<String> ids, List<String> properties) {
        Map<String, JsonNode> found = new LinkedHashMap<>();
        for (List<String> chunk : chunks(ids)) {
            HubSpotResponse response = gateway.call(objectType + ".read", HttpMethod.POST, "/crm/v3/objects/" + objectType + "/batch/read",
                    Map.of("inputs", chunk.stream().map(id -> Map.of("id", id)).toList(), "properties", properties));
            for (JsonNode result : response.body().path("results")) {
                found.put(result.path("id").asString(), result);
            }
        }
        return found;
    }

    /** What an engagement's text becomes before it is archived, per type: its subject and body properties. */
    private static final Map<String, Map<String, String>> REMOVED = Map.of(
            "notes", Map.of("hs_note_body", "Removed on request."),
            "tasks", Map.of("hs_task_subject", "Removed on request", "hs_task_body", "Removed on request."));

    /**
     * Overwrites the text of engagements about to be archived: {@code POST /crm/v3/objects/{type}/batch/update}
     * (https://developers.hubspot.com/docs/api-reference/crm-notes-v3/batch/post-crm-v3-objects-notes-batch-update). An
     * archived record stays restorable, with its properties, for 90 days
     * (https://knowledge.hubspot.com/records/restore-deleted-records), so what it said about the person goes first.
     */
    void blank(String objectType, Collection<String> ids) {
        Map<String, String> removed = REMOVED.get(objectType);
        for (List<String> chunk : chunks(ids)) {
            gateway.call(objectType + ".update", HttpMethod.POST, "/crm/v3/objects/" + objectType + "/batch/update",
                    Map.of("inputs", chunk.stream().map(id -> Map.of("id", id, "properties", removed)).toList()));
        }
    }

    /**
     * Archives records: {@code POST /crm/v3/objects/{type}/batch/archive}, 204
     * (https://developers.hubspot.com/docs/api-reference/legacy/crm/objects/notes/batch/archive-notes). Archiving a record
     * already archived is accepted.
     */
    void archive(String objectType, Collection<String> ids) {
        for (List<String> chunk : chunks(ids)) {
            gateway.call(objectType + ".archive", HttpMethod.POST, "/crm/v3/objects/" + objectType + "/batch/archive",
                    Map.of("inputs", chunk.stream().map(id -> Map.of("id", id)).toList()));
        }
    }

    /** Renames deals: deals batch update of {@code dealname}. A refusal fails the erasure, which is tried again. */
    void renameDeals(Map<String, String> namesById) {
        Map<String, Map<String, Object>> properties = new LinkedHashMap<>();
        namesById.forEach((id, name) -> properties.put(id, Map.of("dealname", name)));
        BatchOutcome outcome = crm.updateDeals(properties);
        for (Map.Entry<String, Rejection> refused : outcome.rejected().entrySet()) {
            if (refused.getValue().status() != 404) {
                throw new HubSpotException.Rejected("deals.update: " + refused.getValue().message(), refused.getValue().status(),
                        refused.getValue().category(), refused.getValue().correlationId());
            }
        }
    }

    /**
     * Deletes a contact for good, as HubSpot's GDPR delete does: {@code POST /crm/v3/objects/contacts/gdpr-delete}
     * (https://developers.hubspot.com/docs/api-reference/crm-contacts-v3/basic/post-crm-v3-objects-contacts-gdpr-delete),
     * 204. False when HubSpot no longer holds that id (its 404): deleted before, so nothing is left to do.
     */
    boolean gdprDelete(String contactId) {
        try {
            gateway.call("contacts.gdpr-delete", HttpMethod.POST, "/crm/v3/objects/contacts/gdpr-delete", Map.of("objectId", contactId));
            return true;
        } catch (HubSpotException.Rejected e) {
            if (e.status() == 404) {
                return false;
            }
            throw e;
        }
    }

    private static List<List<String>> chunks(Collection<String> ids) {
        List<String> all = new ArrayList<>(new LinkedHashSet<>(ids));
        List<List<String>> chunks = new ArrayList<>();
        for (int i = 0; i < all.size(); i += HubSpotCrm.MAX_BATCH) {
            chunks.add(all.subList(i, Math.min(all.size(), i + HubSpotCrm.MAX_BATCH)));
        }
        return chunks;
    }
}
