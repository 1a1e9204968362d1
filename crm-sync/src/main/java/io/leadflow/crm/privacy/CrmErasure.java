package io.leadflow.crm.privacy;

import io.leadflow.avro.ErasureRequested;
import io.leadflow.crm.hubspot.HubSpotCrm;
import io.leadflow.crm.system.CrmProperties;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Erases one person from what crm-sync wrote into HubSpot and from its own state, in an order that can be repeated from
 * any step: find their contact by email; overwrite the text of the notes and tasks crm-sync created on it, then archive
 * them (the ones carrying its {@code leadflow_key}; read through the contact's associations, which the deletion takes
 * with it; an archived record stays restorable for 90 days, its text replaced); rename a deal whose
 * name holds the person's name (deals and companies are the business's records and stay); delete the person's leads from
 * the compacted {@code crm.synced}; then delete the contact for good with HubSpot's GDPR delete. A contact already gone is
 * an erasure already done.
 */
class CrmErasure {

    /**
     * The engagement types crm-sync writes on a contact. A type it starts writing (emails, say) is added here with the
     * scope to read it: a 403 on a type the private app may not read would pause every listener until the scope is granted.
     */
    static final List<String> ENGAGEMENTS = List.of("notes", "tasks");

    /** What was done, in counts. */
    record Outcome(boolean contactFound, boolean contactDeleted, Map<String, Integer> archived, int dealsRenamed, int leadsForgotten) {

        String hubSpotDetail() {
            if (!contactFound) {
                return "no contact of this person in HubSpot (none synced, or deleted before)";
            }
            StringBuilder detail = new StringBuilder("contact deleted for good").append(contactDeleted ? "" : " (already gone)").append("; archived");
            archived.forEach((type, count) -> detail.append(' ').append(count).append(' ').append(type).append(','));
            detail.setLength(detail.length() - 1);
            return detail.append(" crm-sync created; ").append(dealsRenamed).append(" deal names made neutral").toString();
        }

        String stateDetail() {
            return leadsForgotten + " leads' crm.synced records deleted";
        }
    }

    private final HubSpotErasure hubspot;
    private final SyncedLeads synced;
    private final ErasedPeople erased;
    private final CrmProperties properties;

    CrmErasure(HubSpotErasure hubspot, SyncedLeads synced, ErasedPeople erased, CrmProperties properties) {
        this.hubspot = hubspot;
        this.synced = synced;
        this.erased = erased;
        this.properties = properties;
    }

    /**
     * @param forget deletes these leads' {@code crm.synced} records and returns once Kafka acknowledged it; called before
     *               the contact is deleted, so a repeat after a failure still finds them through the contact
     */
    Outcome erase(ErasureRequested erasure, Consumer<List<String>> forget) {
        Optional<HubSpotErasure.Contact> found = hubspot.contactByEmail(erasure.getEmail());
        if (found.isEmpty()) {
            forget.accept(List.of());
            return new Outcome(false, false, Map.of(), 0, 0);
        }
        HubSpotErasure.Contact contact = found.get();
        Map<String, Integer> archived = new LinkedHashMap<>();
        for (String type : ENGAGEMENTS) {
            List<String> ids = hubspot.associated(contact.id(), type);
            List<String> ours = ids.isEmpty() ? List.of() : hubspot.read(type, ids, List.of(HubSpotCrm.KEY_PROPERTY)).values().stream()
                    .filter(record -> !record.path("properties").path(HubSpotCrm.KEY_PROPERTY).asString("").isBlank())
                    .map(record -> record.path("id").asString()).toList();
            hubspot.blank(type, ours);
            hubspot.archive(type, ours);
            archived.put(type, ours.size());
        }
        List<String> dealIds = hubspot.associated(contact.id(), "deals");
        Map<String, String> renames = new LinkedHashMap<>();
        if (!dealIds.isEmpty()) {
            hubspot.read("deals", dealIds, List.of("dealname", "pipeline")).forEach((id, deal) -> {
                String name = deal.path("properties").path("dealname").asString("");
                if (holdsPersonsName(name, contact)) {
                    renames.put(id, neutralName(id, deal));
                }
            });
            hubspot.renameDeals(renames);
        }
        List<String> leads = synced.ofContacts(Set.of(contact.id()));
        erased.erasedLeads(leads, erasure.getRequestedAt());
        forget.accept(leads);
        boolean deleted = hubspot.gdprDelete(contact.id());
        return new Outcome(true, deleted, archived, renames.size(), leads.size());
    }

    /**
     * Whether a deal's name holds the person's name: their email or its local part, their full name, or their first or
     * last name as a word (case-insensitive). A deal is named after the lead's company ({@code LeadNames.company}), which
     * falls back to the email's domain and can be the person's own name (a freelancer's company), or renamed by a rep.
     */
    static boolean holdsPersonsName(String dealName, HubSpotErasure.Contact contact) {
        String name = dealName.toLowerCase(Locale.ROOT);
        List<String> words = new ArrayList<>();
        String email = contact.email() == null ? "" : contact.email().toLowerCase(Locale.ROOT);
        if (!email.isBlank() && name.contains(email)) {
            return true;
        }
        int at = email.indexOf('@');
        if (at >= 3) {
            words.add(email.substring(0, at));
        }
        for (String part : new String[] {contact.firstName(), contact.lastName()}) {
            if (part != null && part.trim().length() >= 2) {
                words.add(part.trim().toLowerCase(Locale.ROOT));
            }
        }
        return words.stream().anyMatch(word -> containsWord(name, word));
    }

    /** {@code word} in {@code text} with no letter or digit right before or after it; linear in the text. */
    private static boolean containsWord(String text, String word) {
        for (int from = text.indexOf(word); from >= 0; from = text.indexOf(word, from + 1)) {
            int end = from + word.length();
            boolean startsWord = from == 0 || !Character.isLetterOrDigit(text.charAt(from - 1));
            boolean endsWord = end == text.length() || !Character.isLetterOrDigit(text.charAt(end));
            if (startsWord && endsWord) {
                return true;
            }
        }
        return false;
    }

    private String neutralName(String dealId, JsonNode deal) {
        String pipeline = deal.path("properties").path("pipeline").asString("");
        if (pipeline.equals(properties.pipelines().handsOn().id())) {
            return "Hands-on deal " + dealId;
        }
        if (pipeline.equals(properties.pipelines().selfServe().id())) {
            return "Self-serve deal " + dealId;
        }
        return "Deal " + dealId;
    }
}
