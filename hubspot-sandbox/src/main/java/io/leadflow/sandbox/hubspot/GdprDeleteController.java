package io.leadflow.sandbox.hubspot;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * HubSpot's permanent, GDPR-compliant delete of a contact:
 * https://developers.hubspot.com/docs/api-reference/crm-contacts-v3/basic/post-crm-v3-objects-contacts-gdpr-delete
 * ({@code POST /crm/v3/objects/contacts/gdpr-delete}, body {@code {"objectId": "123"}} or
 * {@code {"idProperty": "email", "objectId": "jane@acme.com"}}; 204 without a body). The contact and its associations are
 * gone for good: it is no longer read, searched or restorable (HubSpot: "Permanently delete a contact and all associated
 * content"); activities associated with it lose that association and stay only where they are associated elsewhere
 * (https://knowledge.hubspot.com/privacy-and-consent/understand-restorable-and-permanent-contact-deletions).
 *
 * <p>A contact id HubSpot does not hold is its 404 {@code OBJECT_NOT_FOUND}. An email it does not hold is, as documented,
 * added to HubSpot's blocklist and answered 204; that blocklist only keeps the address out of HubSpot's UI and imports
 * (https://knowledge.hubspot.com/privacy-and-consent/how-do-i-perform-a-gdpr-delete-in-hubspot: a permanently deleted
 * contact "is added through an API request" again), so it changes nothing an API client sees and the sandbox keeps no copy
 * of the address.
 */
@RestController
class GdprDeleteController {

    private final Crm crm;

    GdprDeleteController(HubSpotSandbox sandbox) {
        this.crm = sandbox.crm();
    }

    @PostMapping(HubSpotSandboxWeb.BASE_PATH + "/crm/v3/objects/contacts/gdpr-delete")
    ResponseEntity<String> gdprDelete(@RequestBody(required = false) String body) {
        JsonNode request = Answers.read(body);
        String objectId = request.path("objectId").asString("");
        if (objectId.isBlank()) {
            throw new HubSpotError(400, "VALIDATION_ERROR", "Invalid input JSON: objectId is required");
        }
        String idProperty = request.path("idProperty").asString(null);
        boolean byId = idProperty == null || idProperty.isBlank() || idProperty.equals("hs_object_id");
        crm.write(() -> {
            if (byId) {
                // a contact in the recycle bin (archived, restorable) can still be deleted for good
                if (!crm.objects.get("contacts").containsKey(objectId)) {
                    throw new HubSpotError(404, "OBJECT_NOT_FOUND", "resource not found: contact " + objectId);
                }
                crm.purge("contacts", objectId);
            } else {
                crm.requireUniqueProperty("contacts", idProperty);
                crm.findBy("contacts", idProperty, objectId).ifPresent(contact -> crm.purge("contacts", contact.id()));
            }
            return null;
        });
        return Answers.empty(204);
    }
}
