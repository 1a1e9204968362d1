package io.leadflow.crm.sync;

import io.leadflow.avro.LeadRouted;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Which deal a lead belongs on, for the leads of a batch that have no deal of their own yet. Leads of the same person
 * (email) or company (domain) in the same pipeline form a group (a colleague's lead joins through the shared domain).
 * A group whose people or company already have an open deal in its pipeline is attached to it (the oldest, when there
 * are several); otherwise its earliest lead ({@code receivedAt}, then the batch's order) opens the deal and the others
 * are attached to that one.
 */
final class DealMatching {

    /** Pipeline, stage and state of a deal HubSpot has, as read with {@code pipeline}, {@code hs_is_closed}, {@code createdate}. */
    record KnownDeal(String id, String pipeline, boolean closed, String createdAt) {

        static KnownDeal of(JsonNode deal) {
            JsonNode properties = deal.path("properties");
            return new KnownDeal(deal.path("id").asString(), properties.path("pipeline").asString(""),
                    "true".equalsIgnoreCase(properties.path("hs_is_closed").asString("false")),
                    properties.path("createdate").asString(""));
        }

        private long numericId() {
            try {
                return Long.parseLong(id);
            } catch (NumberFormatException e) {
                return Long.MAX_VALUE;
            }
        }
    }

    /**
     * Leads that share a deal: {@code existingDeal} when the group is attached to one HubSpot already has, else null and
     * {@code leads[0]} opens it.
     */
    record Group(String pipeline, String existingDeal, List<String> leads) {
    }

    private static final Comparator<KnownDeal> OLDEST = Comparator.comparing(KnownDeal::createdAt).thenComparingLong(KnownDeal::numericId);

    private DealMatching() {
    }

    /**
     * @param leads        leads without a deal of their own, by leadId
     * @param pipelineOf   the HubSpot pipeline id a lead's deal belongs in
     * @param contactOf    a lead's HubSpot contact id (may be null)
     * @param companyOf    a lead's HubSpot company id (may be null)
     * @param dealsOfContact HubSpot deal ids associated with a contact id
     * @param dealsOfCompany HubSpot deal ids associated with a company id
     * @param known          those deals, read from HubSpot
     */
    static List<Group> groups(Collection<LeadRouted> leads, Function<LeadRouted, String> pipelineOf,
                              Function<String, String> contactOf, Function<String, String> companyOf,
                              Map<String, List<String>> dealsOfContact, Map<String, List<String>> dealsOfCompany,
                              Map<String, KnownDeal> known) {
        // stable: leads received at the same instant keep the batch's (offset) order
        List<LeadRouted> ordered = leads.stream().sorted(Comparator.comparing((LeadRouted lead) -> lead.getLead().getReceivedAt())).toList();
        int[] parent = new int[ordered.size()];
        Map<String, Integer> firstByPersonOrCompany = new HashMap<>();
        for (int i = 0; i < ordered.size(); i++) {
            parent[i] = i;
            LeadRouted lead = ordered.get(i);
            String pipeline = pipelineOf.apply(lead);
            for (String identity : identities(lead)) {
                Integer first = firstByPersonOrCompany.putIfAbsent(pipeline + "|" + identity, i);
                if (first != null) {
                    union(parent, first, i);
                }
            }
        }
        Map<Integer, List<LeadRouted>> byRoot = new LinkedHashMap<>();
        for (int i = 0; i < ordered.size(); i++) {
            byRoot.computeIfAbsent(find(parent, i), r -> new ArrayList<>()).add(ordered.get(i));
        }
        List<Group> groups = new ArrayList<>();
        for (List<LeadRouted> members : byRoot.values()) {
            String pipeline = pipelineOf.apply(members.get(0));
            List<KnownDeal> open = new ArrayList<>();
            for (LeadRouted member : members) {
                candidates(dealsOfContact, contactOf.apply(member.getLeadId()), known, pipeline, open);
                candidates(dealsOfCompany, companyOf.apply(member.getLeadId()), known, pipeline, open);
            }
            Optional<KnownDeal> oldest = open.stream().min(OLDEST);
            groups.add(new Group(pipeline, oldest.map(KnownDeal::id).orElse(null), members.stream().map(LeadRouted::getLeadId).toList()));
        }
        return groups;
    }

    private static void candidates(Map<String, List<String>> dealsOf, String recordId, Map<String, KnownDeal> known, String pipeline,
                                   List<KnownDeal> into) {
        if (recordId == null) {
            return;
        }
        for (String dealId : dealsOf.getOrDefault(recordId, List.of())) {
            KnownDeal deal = known.get(dealId);
            if (deal != null && !deal.closed() && deal.pipeline().equals(pipeline) && !into.contains(deal)) {
                into.add(deal);
            }
        }
    }

    /** The person (email) and the company (domain) a lead is from, normalised. */
    private static List<String> identities(LeadRouted lead) {
        List<String> identities = new ArrayList<>(2);
        var contact = lead.getLead().getContact();
        if (contact.getEmail() != null && !contact.getEmail().isBlank()) {
            identities.add("email:" + contact.getEmail().trim().toLowerCase(Locale.ROOT));
        }
        if (contact.getCompanyDomain() != null && !contact.getCompanyDomain().isBlank()) {
            identities.add("domain:" + contact.getCompanyDomain().trim().toLowerCase(Locale.ROOT));
        }
        return identities;
    }

    private static int find(int[] parent, int i) {
        while (parent[i] != i) {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        return i;
    }

    /** Joins two sets under the root of the earlier lead, so a group's root is its earliest lead. */
    private static void union(int[] parent, int a, int b) {
        int rootA = find(parent, a);
        int rootB = find(parent, b);
        if (rootA != rootB) {
            parent[Math.max(rootA, rootB)] = Math.min(rootA, rootB);
        }
    }
}
