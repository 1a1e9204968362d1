package io.leadflow.crm.sync;

import io.leadflow.avro.CrmSynced;
import io.leadflow.avro.LeadRouted;
import io.leadflow.avro.Pipeline;
import io.leadflow.avro.SyncOutcome;
import io.leadflow.crm.hubspot.BatchOutcome;
import io.leadflow.crm.hubspot.HubSpotCrm;
import io.leadflow.crm.hubspot.Rejection;
import io.leadflow.crm.system.CrmProperties;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Mirrors a batch of routed leads into HubSpot with one call per object type: contacts, companies (search, then
 * create the missing), deals, associations, notes, tasks. A lead HubSpot refuses at any step leaves the batch and is
 * reported as rejected; the others continue. Any other failure propagates, and the whole batch is replayed later,
 * which is safe because every step is idempotent:
 * <ul>
 *   <li>contacts are upserted on {@code email}: several leads of one person share one contact;</li>
 *   <li>companies are looked up by domain before any is created (and remembered);</li>
 *   <li>a person or company gets one deal per pipeline while it is open. A lead with its own deal (upserted on the unique
 *       {@code leadflow_lead_id}) keeps it. Otherwise, when the lead's contact (if HubSpot already had it) or company
 *       (if it existed before this batch) has an open deal in the lead's pipeline, the lead is attached to it; leads of
 *       the same person or company within the batch share one deal, opened by the earliest. Only known contacts and
 *       companies are looked up, so a burst of new leads costs no extra call;</li>
 *   <li>associations of the default type are idempotent at HubSpot, and each distinct pair is sent once;</li>
 *   <li>notes and tasks carry a deterministic {@code leadflow_key} (a custom text property on notes and tasks). HubSpot
 *       has no upsert for engagements, so the key is searched for before creating: for a deal created in this very
 *       batch nothing can exist yet and the search is skipped; for a deal that already existed (a replay, a retry
 *       after a partial failure, a lead attached to an existing deal) the keys are searched and only the missing ones
 *       are created.</li>
 * </ul>
 * A deal that already exists is left as it is: a replay never moves a deal back to its first stage or changes its owner.
 * Which leads were synced before, and at which decision version, comes from the {@link SyncLedger} ({@code crm.synced}
 * read back), so a replay costs no read: its deal, notes, tasks and associations are known to exist. A lead the ledger
 * does not know is a first sync; its deal is looked up only when HubSpot already had its contact (the contact is always
 * written first, so a new contact proves that no deal of the lead can exist), and otherwise created with its
 * associations inline. A higher decision version moves the owner of the contact, the lead's own deal and its open tasks
 * to the new owner and adds a note saying why; a lower or equal one changes nothing.
 * When a lead with a deal that already existed comes again with its demo at another time, its demo task is moved there
 * and a note says so (keyed by the new start, so a replay adds nothing).
 */
class LeadSync {

    private final HubSpotCrm crm;
    private final CrmProperties properties;
    private final Clock clock;
    private final KeyLedger companies;
    private final SyncLedger ledger;
    private final OwnerMoves owners;
    private final EngagementWriter engagements;

    /** A sync that knows only what it syncs itself (nothing is read back from {@code crm.synced}). */
    public LeadSync(HubSpotCrm crm, CrmProperties properties, Clock clock) {
        this(crm, properties, clock, new SyncLedger(null));
    }

    LeadSync(HubSpotCrm crm, CrmProperties properties, Clock clock, SyncLedger ledger) {
        this(crm, properties, clock, ledger, IntroEmailGate.ALLOW_ALL::allows);
    }

    /** @param introDrafts the leads whose introduction email becomes an EMAIL task for the owner */
    LeadSync(HubSpotCrm crm, CrmProperties properties, Clock clock, SyncLedger ledger, Predicate<LeadRouted> introDrafts) {
        this.crm = crm;
        this.properties = properties;
        this.clock = clock;
        this.ledger = ledger;
        this.companies = new KeyLedger(properties.batch().companyCacheSize());
        this.owners = new OwnerMoves(crm);
        this.engagements = new EngagementWriter(crm, clock, new KeyLedger(properties.batch().companyCacheSize()), introDrafts);
    }

    /** What became of each lead of a batch: the {@code crm.synced} record, or HubSpot's rejection. */
    public record Result(Map<String, CrmSynced> synced, Map<String, Rejection> rejected) {
    }

    /** Contact ids by leadId, and the contact ids HubSpot already had before this batch. */
    private record Contacts(Map<String, String> ids, Set<String> returning) {
    }

    /** Company ids by leadId, and the company ids that existed before this batch. */
    private record Companies(Map<String, String> ids, Set<String> existing) {
    }

    /**
     * Each lead's deal, how it got it, and the leads whose notes and tasks may exist already, so their keys are searched:
     * those whose deal existed before this batch, except a lead attached to it whose contact HubSpot did not know (a
     * colleague's first lead: nothing of it can be in HubSpot yet).
     */
    static final class Deals {
        final Map<String, String> ids = new HashMap<>();
        final Map<String, SyncOutcome> outcomes = new HashMap<>();
        final Set<String> preExisting = new HashSet<>();
        /** Associations known to exist ({@link #pair}): made inline, synced before, or read from HubSpot. */
        final Set<String> linked = new HashSet<>();
    }

    private static String pair(String fromType, String fromId, String toType, String toId) {
        return fromType + ":" + fromId + "->" + toType + ":" + toId;
    }

    /** Syncs leads (one per leadId; the caller keeps the latest record of each). */
    public Result sync(Collection<LeadRouted> batch) {
        Map<String, LeadRouted> leads = new LinkedHashMap<>();
        batch.forEach(lead -> leads.put(lead.getLeadId(), lead));
        Map<String, Rejection> rejected = new LinkedHashMap<>();
        Map<String, CrmSynced> before = ledger.known(leads.keySet());
        Set<String> replays = new HashSet<>();
        Set<String> moves = new LinkedHashSet<>();
        before.forEach((leadId, last) -> {
            if (leads.get(leadId).getDecisionVersion() > last.getDecisionVersion()) {
                moves.add(leadId);
            } else {
                replays.add(leadId);
            }
        });

        Contacts contacts = upsertContacts(leads, replays, rejected);
        Companies companies = resolveCompanies(leads, rejected);
        Deals deals = resolveDeals(leads, before, contacts, companies, rejected);

        associate("contacts", "companies", leads, rejected, deals.linked, contacts.ids()::get, companies.ids()::get);
        associate("deals", "contacts", leads, rejected, deals.linked, deals.ids::get, contacts.ids()::get);
        associate("deals", "companies", leads, rejected, deals.linked, deals.ids::get, companies.ids()::get);

        owners.move(leads, moves, deals, rejected);
        engagements.write(leads, deals, contacts.ids(), before.keySet(), moves, rejected);

        Map<String, CrmSynced> synced = new LinkedHashMap<>();
        for (LeadRouted lead : leads.values()) {
            String leadId = lead.getLeadId();
            String dealId = deals.ids.get(leadId);
            CrmSynced last = before.get(leadId);
            synced.put(leadId, CrmSynced.newBuilder()
                    .setLeadId(leadId)
                    .setContactId(contacts.ids().get(leadId))
                    .setCompanyId(companies.ids().get(leadId))
                    .setDealId(dealId)
                    .setDealUrl(dealUrl(dealId))
                    .setPipelineId(stage(lead.getPipeline()).id())
                    .setSyncedAt(clock.instant())
                    .setOutcome(deals.outcomes.getOrDefault(leadId, SyncOutcome.UNKNOWN))
                    .setDecisionVersion(last == null ? lead.getDecisionVersion() : Math.max(last.getDecisionVersion(), lead.getDecisionVersion()))
                    .setIntroEmailSentAt(last == null ? null : last.getIntroEmailSentAt())
                    .build());
        }
        ledger.record(synced.values());
        return new Result(synced, rejected);
    }

    private String dealUrl(String dealId) {
        String base = properties.hubspot().appBaseUrl().replaceAll("/+$", "");
        return base + "/contacts/" + properties.hubspot().portalId() + "/deal/" + dealId;
    }

    private CrmProperties.PipelineStage stage(Pipeline pipeline) {
        return pipeline == Pipeline.HANDS_ON ? properties.pipelines().handsOn() : properties.pipelines().selfServe();
    }

    /** Contacts, upserted by email; a replay does not write the owner (a lower or equal decision version changes nothing). */
    private Contacts upsertContacts(Map<String, LeadRouted> leads, Set<String> replays, Map<String, Rejection> rejected) {
        // HubSpot keeps emails in lower case: one input per contact, however many leads of the person the batch holds
        Map<String, Map<String, Object>> byEmail = new LinkedHashMap<>();
        for (LeadRouted lead : leads.values()) {
            var contact = lead.getLead().getContact();
            String email = email(lead);
            Map<String, Object> props = new LinkedHashMap<>();
            props.put("email", email);
            putIfPresent(props, "firstname", contact.getFirstName());
            putIfPresent(props, "lastname", contact.getLastName());
            putIfPresent(props, "jobtitle", contact.getTitle());
            putIfPresent(props, "company", contact.getCompanyName());
            putIfPresent(props, "country", contact.getCountry());
            if (!replays.contains(lead.getLeadId())) {
                putIfPresent(props, "hubspot_owner_id", lead.getOwner().getHubspotOwnerId());
            } else if (byEmail.containsKey(email) && byEmail.get(email).containsKey("hubspot_owner_id")) {
                props.put("hubspot_owner_id", byEmail.get(email).get("hubspot_owner_id"));
            }
            byEmail.put(email, props);
        }
        BatchOutcome outcome = crm.upsertContacts(byEmail);
        Map<String, String> ids = new HashMap<>();
        Set<String> returning = new HashSet<>();
        for (LeadRouted lead : List.copyOf(leads.values())) {
            String email = email(lead);
            Rejection rejection = outcome.rejected().get(email);
            if (rejection != null) {
                reject(leads, rejected, lead.getLeadId(), rejection);
                continue;
            }
            String id = outcome.id(email);
            ids.put(lead.getLeadId(), id);
            if (id != null && !outcome.results().get(email).path("new").asBoolean(true)) {
                returning.add(id);
            }
        }
        return new Contacts(ids, returning);
    }

    private static String email(LeadRouted lead) {
        return lead.getLead().getContact().getEmail().trim().toLowerCase(Locale.ROOT);
    }

    private Companies resolveCompanies(Map<String, LeadRouted> leads, Map<String, Rejection> rejected) {
        Map<String, String> domainByLead = new LinkedHashMap<>();
        Map<String, Map<String, Object>> wanted = new LinkedHashMap<>();
        for (LeadRouted lead : leads.values()) {
            String domain = lead.getLead().getContact().getCompanyDomain();
            if (domain == null || domain.isBlank()) {
                continue;
            }
            domain = domain.trim().toLowerCase(Locale.ROOT);
            domainByLead.put(lead.getLeadId(), domain);
            String name = lead.getLead().getContact().getCompanyName();
            wanted.putIfAbsent(domain, Map.of("name", name == null || name.isBlank() ? domain : name, "domain", domain));
        }
        Map<String, String> idsByDomain = new HashMap<>(companies.known(wanted.keySet()));
        List<String> unknown = wanted.keySet().stream().filter(d -> !idsByDomain.containsKey(d)).toList();
        if (!unknown.isEmpty()) {
            Map<String, String> found = crm.findCompaniesByDomain(unknown);
            idsByDomain.putAll(found);
            companies.remember(found);
        }
        Set<String> existing = new HashSet<>(idsByDomain.values());
        Map<String, Map<String, Object>> missing = new LinkedHashMap<>();
        wanted.forEach((domain, props) -> {
            if (!idsByDomain.containsKey(domain)) {
                missing.put(domain, props);
            }
        });
        Map<String, Rejection> refusedDomains = new HashMap<>();
        if (!missing.isEmpty()) {
            BatchOutcome created = crm.createCompanies(missing);
            Map<String, String> createdIds = new HashMap<>();
            missing.keySet().forEach(domain -> {
                String id = created.id(domain);
                if (id != null) {
                    createdIds.put(domain, id);
                }
            });
            idsByDomain.putAll(createdIds);
            companies.remember(createdIds);
            refusedDomains.putAll(created.rejected());
        }
        Map<String, String> ids = new HashMap<>();
        domainByLead.forEach((leadId, domain) -> {
            Rejection rejection = refusedDomains.get(domain);
            if (rejection != null) {
                reject(leads, rejected, leadId, rejection);
            } else if (leads.containsKey(leadId)) {
                ids.put(leadId, idsByDomain.get(domain));
            }
        });
        return new Companies(ids, existing);
    }

    private Deals resolveDeals(Map<String, LeadRouted> leads, Map<String, CrmSynced> before, Contacts contacts, Companies companies,
                               Map<String, Rejection> rejected) {
        Deals deals = new Deals();
        // Synced before: its deal, and its contact's, company's and deal's associations, are known to exist.
        before.forEach((leadId, last) -> {
            if (last.getDealId() == null) {
                return;
            }
            deals.ids.put(leadId, last.getDealId());
            deals.outcomes.put(leadId, last.getOutcome() == SyncOutcome.ATTACHED ? SyncOutcome.ATTACHED : SyncOutcome.UPDATED);
            deals.preExisting.add(leadId);
            String contactId = contacts.ids().get(leadId);
            String companyId = companies.ids().get(leadId);
            deals.linked.add(pair("contacts", contactId, "companies", companyId));
            deals.linked.add(pair("deals", last.getDealId(), "contacts", contactId));
            deals.linked.add(pair("deals", last.getDealId(), "companies", companyId));
        });
        // Not known to be synced, yet HubSpot had its contact (the contact is written first): only those can have a deal
        // already (synced before the ledger's history, or HubSpot took it and crm.synced did not).
        List<String> returning = leads.keySet().stream()
                .filter(id -> !deals.ids.containsKey(id) && contacts.returning().contains(contacts.ids().get(id))).toList();
        if (!returning.isEmpty()) {
            crm.readDealsByLeadId(returning).forEach((leadId, deal) -> {
                if (leads.containsKey(leadId)) {
                    deals.ids.put(leadId, deal.path("id").asString());
                    deals.outcomes.put(leadId, SyncOutcome.UPDATED);
                    deals.preExisting.add(leadId);
                }
            });
        }
        List<LeadRouted> withoutDeal = leads.values().stream().filter(lead -> !deals.ids.containsKey(lead.getLeadId())).toList();
        if (withoutDeal.isEmpty()) {
            return deals;
        }
        // Open deals of the people and companies HubSpot knew before this batch; new ones have none.
        Set<String> knownContacts = new LinkedHashSet<>();
        Set<String> knownCompanies = new LinkedHashSet<>();
        for (LeadRouted lead : withoutDeal) {
            String contactId = contacts.ids().get(lead.getLeadId());
            String companyId = companies.ids().get(lead.getLeadId());
            if (contactId != null && contacts.returning().contains(contactId)) {
                knownContacts.add(contactId);
            }
            if (companyId != null && companies.existing().contains(companyId)) {
                knownCompanies.add(companyId);
            }
        }
        Map<String, List<String>> dealsOfContact = knownContacts.isEmpty() ? Map.of() : crm.associatedIds("contacts", "deals", knownContacts);
        Map<String, List<String>> dealsOfCompany = knownCompanies.isEmpty() ? Map.of() : crm.associatedIds("companies", "deals", knownCompanies);
        Set<String> dealIds = new LinkedHashSet<>();
        dealsOfContact.values().forEach(dealIds::addAll);
        dealsOfCompany.values().forEach(dealIds::addAll);
        Map<String, DealMatching.KnownDeal> known = new HashMap<>();
        if (!dealIds.isEmpty()) {
            crm.readDeals(dealIds).forEach((id, deal) -> known.put(id, DealMatching.KnownDeal.of(deal)));
        }
        List<DealMatching.Group> groups = DealMatching.groups(withoutDeal, lead -> stage(lead.getPipeline()).id(),
                contacts.ids()::get, companies.ids()::get, dealsOfContact, dealsOfCompany, known);

        List<DealMatching.Group> toOpen = new ArrayList<>();
        for (DealMatching.Group group : groups) {
            if (group.existingDeal() != null) {
                for (String leadId : group.leads()) {
                    deals.ids.put(leadId, group.existingDeal());
                    deals.outcomes.put(leadId, SyncOutcome.ATTACHED);
                    if (contacts.returning().contains(contacts.ids().get(leadId))) {
                        deals.preExisting.add(leadId);
                    }
                    // the associations the deal was found through exist already
                    String contactId = contacts.ids().get(leadId);
                    String companyId = companies.ids().get(leadId);
                    if (contactId != null && dealsOfContact.getOrDefault(contactId, List.of()).contains(group.existingDeal())) {
                        deals.linked.add(pair("deals", group.existingDeal(), "contacts", contactId));
                    }
                    if (companyId != null && dealsOfCompany.getOrDefault(companyId, List.of()).contains(group.existingDeal())) {
                        deals.linked.add(pair("deals", group.existingDeal(), "companies", companyId));
                    }
                }
            } else {
                toOpen.add(group);
            }
        }
        openDeals(leads, toOpen, deals, contacts, companies, rejected);
        return deals;
    }

    /**
     * Opens one deal per group, by its earliest lead, and attaches the others to it. A lead whose contact HubSpot did not
     * have before this batch cannot have a deal: its deal is created with its contact and company associated inline.
     * Any other opener's deal is upserted on {@code leadflow_lead_id}, so a deal HubSpot took while its {@code crm.synced}
     * record did not reach Kafka is found, not duplicated. A lead whose deal HubSpot refuses is rejected, and the next
     * lead of its group opens the deal instead (one call per round; almost always one round).
     */
    private void openDeals(Map<String, LeadRouted> leads, List<DealMatching.Group> groups, Deals deals, Contacts contacts,
                           Companies companies, Map<String, Rejection> rejected) {
        List<List<String>> pending = new ArrayList<>();
        for (DealMatching.Group group : groups) {
            pending.add(group.leads());
        }
        while (!pending.isEmpty()) {
            Map<String, Map<String, Object>> toUpsert = new LinkedHashMap<>();
            List<HubSpotCrm.NewDeal> toCreate = new ArrayList<>();
            for (List<String> group : pending) {
                String opener = group.get(0);
                String contactId = contacts.ids().get(opener);
                if (contactId != null && !contacts.returning().contains(contactId)) {
                    toCreate.add(new HubSpotCrm.NewDeal(opener, dealProperties(leads.get(opener)), contactId, companies.ids().get(opener)));
                } else {
                    toUpsert.put(opener, dealProperties(leads.get(opener)));
                }
            }
            BatchOutcome outcome = new BatchOutcome();
            if (!toCreate.isEmpty()) {
                BatchOutcome created = crm.createDeals(toCreate);
                outcome.addAll(created);
                for (HubSpotCrm.NewDeal deal : toCreate) {
                    String dealId = created.id(deal.leadId());
                    if (dealId != null) {
                        deals.linked.add(pair("deals", dealId, "contacts", deal.contactId()));
                        deals.linked.add(pair("deals", dealId, "companies", deal.companyId()));
                    }
                }
            }
            if (!toUpsert.isEmpty()) {
                outcome.addAll(crm.upsertDeals(toUpsert));
            }
            List<List<String>> next = new ArrayList<>();
            for (List<String> group : pending) {
                String opener = group.get(0);
                Rejection rejection = outcome.rejected().get(opener);
                if (rejection != null) {
                    reject(leads, rejected, opener, rejection);
                    if (group.size() > 1) {
                        next.add(group.subList(1, group.size()));
                    }
                    continue;
                }
                String dealId = outcome.id(opener);
                // created by a previous attempt whose answer was lost: treat as pre-existing for notes and tasks
                boolean existed = !outcome.results().get(opener).path("new").asBoolean(true);
                for (String leadId : group) {
                    deals.ids.put(leadId, dealId);
                    deals.outcomes.put(leadId, leadId.equals(opener)
                            ? (existed ? SyncOutcome.UPDATED : SyncOutcome.CREATED) : SyncOutcome.ATTACHED);
                    if (existed) {
                        deals.preExisting.add(leadId);
                    }
                }
            }
            pending = next;
        }
    }

    private Map<String, Object> dealProperties(LeadRouted lead) {
        CrmProperties.PipelineStage stage = stage(lead.getPipeline());
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("dealname", Activities.dealName(lead));
        props.put("pipeline", stage.id());
        props.put("dealstage", stage.stage());
        props.put(HubSpotCrm.LEAD_ID_PROPERTY, lead.getLeadId());
        props.put("dealtype", "newbusiness");
        props.put("description", Activities.dealDescription(lead));
        putIfPresent(props, "hubspot_owner_id", lead.getOwner().getHubspotOwnerId());
        return props;
    }

    /** Associates each lead's records of the two types, except pairs known to be associated already. */
    private void associate(String fromType, String toType, Map<String, LeadRouted> leads, Map<String, Rejection> rejected,
                           Set<String> linked, Function<String, String> from, Function<String, String> to) {
        List<HubSpotCrm.Pair> pairs = new ArrayList<>();
        for (String leadId : leads.keySet()) {
            String fromId = from.apply(leadId);
            String toId = to.apply(leadId);
            if (fromId != null && toId != null && !linked.contains(pair(fromType, fromId, toType, toId))) {
                pairs.add(new HubSpotCrm.Pair(leadId, fromId, toId));
            }
        }
        if (pairs.isEmpty()) {
            return;
        }
        BatchOutcome outcome = crm.associate(fromType, toType, pairs);
        outcome.rejected().forEach((leadId, rejection) -> reject(leads, rejected, leadId, rejection));
    }

    static void reject(Map<String, LeadRouted> leads, Map<String, Rejection> rejected, String leadId, Rejection rejection) {
        leads.remove(leadId);
        rejected.putIfAbsent(leadId, rejection);
    }

    static void putIfPresent(Map<String, Object> props, String name, String value) {
        if (value != null && !value.isBlank()) {
            props.put(name, value);
        }
    }
}
