package io.leadflow.crm.sync;

import io.leadflow.avro.CrmSynced;
import io.leadflow.avro.LeadRouted;
import io.leadflow.avro.Pipeline;
import io.leadflow.avro.SyncOutcome;
import io.leadflow.crm.hubspot.BatchOutcome;
import io.leadflow.crm.hubspot.HubSpotCrm;
import io.leadflow.crm.hubspot.Rejection;
import io.leadflow.crm.system.CrmProperties;
import tools.jackson.databind.JsonNode;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Mirrors a batch of routed leads into HubSpot with one call per object type: contacts, companies (search, then
 * create the missing), deals (read, then upsert the missing), associations, notes, tasks. A lead HubSpot refuses at
 * any step leaves the batch and is reported as rejected; the others continue. Any other failure propagates, and the
 * whole batch is replayed later, which is safe because every step is idempotent:
 * <ul>
 *   <li>contacts are upserted on {@code email} (several leads of one person share one input); deals on the unique
 *       {@code leadflow_lead_id};</li>
 *   <li>companies are looked up by domain before any is created (and remembered);</li>
 *   <li>associations of the default type are idempotent at HubSpot, and each distinct pair is sent once;</li>
 *   <li>notes and tasks carry a deterministic {@code leadflow_key} (a custom text property on notes and tasks). HubSpot
 *       has no upsert for engagements, so the key is searched for before creating: for a deal created in this very
 *       batch nothing can exist yet and the search is skipped; for a deal that already existed (a replay, or a retry
 *       after a partial failure) the keys are searched and only the missing ones are created.</li>
 * </ul>
 * A deal that already exists is left as it is: a replay never moves a deal back to its first stage or changes its owner.
 */
public class LeadSync {

    private final HubSpotCrm crm;
    private final CrmProperties properties;
    private final Clock clock;
    private final KeyLedger companies;
    private final KeyLedger engagements;

    public LeadSync(HubSpotCrm crm, CrmProperties properties, Clock clock) {
        this.crm = crm;
        this.properties = properties;
        this.clock = clock;
        this.companies = new KeyLedger(properties.batch().companyCacheSize());
        this.engagements = new KeyLedger(properties.batch().companyCacheSize());
    }

    /** What became of each lead of a batch: the {@code crm.synced} record, or HubSpot's rejection. */
    public record Result(Map<String, CrmSynced> synced, Map<String, Rejection> rejected) {
    }

    /** Syncs leads (one per leadId; the caller keeps the latest record of each). */
    public Result sync(Collection<LeadRouted> batch) {
        Map<String, LeadRouted> leads = new LinkedHashMap<>();
        batch.forEach(lead -> leads.put(lead.getLeadId(), lead));
        Map<String, Rejection> rejected = new LinkedHashMap<>();

        Map<String, String> contactIds = upsertContacts(leads, rejected);
        Map<String, String> companyIds = resolveCompanies(leads, rejected);
        Map<String, JsonNode> existingDeals = crm.readDealsByLeadId(leads.keySet());
        Map<String, String> dealIds = upsertDeals(leads, existingDeals, rejected);

        associate("contacts", "companies", leads, rejected, id -> contactIds.get(id), id -> companyIds.get(id));
        associate("deals", "contacts", leads, rejected, id -> dealIds.get(id), id -> contactIds.get(id));
        associate("deals", "companies", leads, rejected, id -> dealIds.get(id), id -> companyIds.get(id));

        Set<String> preExisting = new LinkedHashSet<>(existingDeals.keySet());
        createNotes(leads, preExisting, contactIds, dealIds, rejected);
        createTasks(leads, preExisting, contactIds, dealIds, rejected);

        Map<String, CrmSynced> synced = new LinkedHashMap<>();
        for (LeadRouted lead : leads.values()) {
            String leadId = lead.getLeadId();
            String dealId = dealIds.get(leadId);
            synced.put(leadId, CrmSynced.newBuilder()
                    .setLeadId(leadId)
                    .setContactId(contactIds.get(leadId))
                    .setCompanyId(companyIds.get(leadId))
                    .setDealId(dealId)
                    .setDealUrl(dealUrl(dealId))
                    .setPipelineId(stage(lead.getPipeline()).id())
                    .setSyncedAt(clock.instant())
                    .setOutcome(preExisting.contains(leadId) ? SyncOutcome.UPDATED : SyncOutcome.CREATED)
                    .build());
        }
        return new Result(synced, rejected);
    }

    private String dealUrl(String dealId) {
        String base = properties.hubspot().appBaseUrl().replaceAll("/+$", "");
        return base + "/contacts/" + properties.hubspot().portalId() + "/deal/" + dealId;
    }

    private CrmProperties.PipelineStage stage(Pipeline pipeline) {
        return pipeline == Pipeline.HANDS_ON ? properties.pipelines().handsOn() : properties.pipelines().selfServe();
    }

    private Map<String, String> upsertContacts(Map<String, LeadRouted> leads, Map<String, Rejection> rejected) {
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
            putIfPresent(props, "hubspot_owner_id", lead.getOwner().getHubspotOwnerId());
            byEmail.put(email, props);
        }
        BatchOutcome outcome = crm.upsertContacts(byEmail);
        Map<String, String> ids = new HashMap<>();
        for (LeadRouted lead : List.copyOf(leads.values())) {
            String email = email(lead);
            Rejection rejection = outcome.rejected().get(email);
            if (rejection != null) {
                reject(leads, rejected, lead.getLeadId(), rejection);
            } else {
                ids.put(lead.getLeadId(), outcome.id(email));
            }
        }
        return ids;
    }

    private static String email(LeadRouted lead) {
        return lead.getLead().getContact().getEmail().trim().toLowerCase(Locale.ROOT);
    }

    private Map<String, String> resolveCompanies(Map<String, LeadRouted> leads, Map<String, Rejection> rejected) {
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
        return ids;
    }

    private Map<String, String> upsertDeals(Map<String, LeadRouted> leads, Map<String, JsonNode> existing,
                                            Map<String, Rejection> rejected) {
        Map<String, String> ids = new HashMap<>();
        Map<String, Map<String, Object>> toCreate = new LinkedHashMap<>();
        for (LeadRouted lead : leads.values()) {
            JsonNode deal = existing.get(lead.getLeadId());
            if (deal != null) {
                ids.put(lead.getLeadId(), deal.path("id").asString());
                continue;
            }
            CrmProperties.PipelineStage stage = stage(lead.getPipeline());
            Map<String, Object> props = new LinkedHashMap<>();
            props.put("dealname", Activities.dealName(lead));
            props.put("pipeline", stage.id());
            props.put("dealstage", stage.stage());
            props.put(HubSpotCrm.LEAD_ID_PROPERTY, lead.getLeadId());
            props.put("dealtype", "newbusiness");
            props.put("description", Activities.dealDescription(lead));
            putIfPresent(props, "hubspot_owner_id", lead.getOwner().getHubspotOwnerId());
            toCreate.put(lead.getLeadId(), props);
        }
        if (!toCreate.isEmpty()) {
            BatchOutcome outcome = crm.upsertDeals(toCreate);
            for (String leadId : toCreate.keySet()) {
                Rejection rejection = outcome.rejected().get(leadId);
                if (rejection != null) {
                    reject(leads, rejected, leadId, rejection);
                } else {
                    ids.put(leadId, outcome.id(leadId));
                    if (!outcome.results().get(leadId).path("new").asBoolean(true)) {
                        // created by a previous attempt whose answer was lost: treat as pre-existing for notes and tasks
                        existing.put(leadId, outcome.results().get(leadId));
                    }
                }
            }
        }
        return ids;
    }

    private void associate(String fromType, String toType, Map<String, LeadRouted> leads, Map<String, Rejection> rejected,
                           Function<String, String> from, Function<String, String> to) {
        List<HubSpotCrm.Pair> pairs = new ArrayList<>();
        for (String leadId : leads.keySet()) {
            String fromId = from.apply(leadId);
            String toId = to.apply(leadId);
            if (fromId != null && toId != null) {
                pairs.add(new HubSpotCrm.Pair(leadId, fromId, toId));
            }
        }
        if (pairs.isEmpty()) {
            return;
        }
        BatchOutcome outcome = crm.associate(fromType, toType, pairs);
        outcome.rejected().forEach((leadId, rejection) -> reject(leads, rejected, leadId, rejection));
    }

    private void createNotes(Map<String, LeadRouted> leads, Set<String> preExisting, Map<String, String> contactIds,
                             Map<String, String> dealIds, Map<String, Rejection> rejected) {
        Map<String, String> leadByKey = new LinkedHashMap<>();
        Map<String, HubSpotCrm.Engagement> notes = new LinkedHashMap<>();
        for (LeadRouted lead : leads.values()) {
            String key = Activities.noteKey(lead.getLeadId());
            Map<String, Object> props = new LinkedHashMap<>();
            props.put("hs_timestamp", lead.getLead().getReceivedAt().toString());
            props.put("hs_note_body", Activities.noteBody(lead));
            putIfPresent(props, "hubspot_owner_id", lead.getOwner().getHubspotOwnerId());
            notes.put(key, new HubSpotCrm.Engagement(key, props, contactIds.get(lead.getLeadId()), dealIds.get(lead.getLeadId())));
            leadByKey.put(key, lead.getLeadId());
        }
        createMissing("notes", notes, leadByKey, preExisting, leads, rejected);
    }

    private void createTasks(Map<String, LeadRouted> leads, Set<String> preExisting, Map<String, String> contactIds,
                             Map<String, String> dealIds, Map<String, Rejection> rejected) {
        Map<String, String> leadByKey = new LinkedHashMap<>();
        Map<String, HubSpotCrm.Engagement> tasks = new LinkedHashMap<>();
        for (LeadRouted lead : leads.values()) {
            for (Activities.Task task : Activities.leadTasks(lead)) {
                tasks.put(task.key(), new HubSpotCrm.Engagement(task.key(), task.properties(),
                        contactIds.get(lead.getLeadId()), dealIds.get(lead.getLeadId())));
                leadByKey.put(task.key(), lead.getLeadId());
            }
        }
        createMissing("tasks", tasks, leadByKey, preExisting, leads, rejected);
    }

    private void createMissing(String objectType, Map<String, HubSpotCrm.Engagement> wanted, Map<String, String> leadByKey,
                               Set<String> preExisting, Map<String, LeadRouted> leads, Map<String, Rejection> rejected) {
        Map<String, String> existing = new HashMap<>(engagements.known(wanted.keySet()));
        List<String> toSearch = wanted.keySet().stream()
                .filter(key -> !existing.containsKey(key) && preExisting.contains(leadByKey.get(key)))
                .toList();
        if (!toSearch.isEmpty()) {
            Map<String, String> found = crm.findByKey(objectType, toSearch);
            existing.putAll(found);
            engagements.remember(found);
        }
        List<HubSpotCrm.Engagement> toCreate = wanted.values().stream()
                .filter(e -> !existing.containsKey(e.key()) && leads.containsKey(leadByKey.get(e.key())))
                .toList();
        if (toCreate.isEmpty()) {
            return;
        }
        BatchOutcome outcome = objectType.equals("notes") ? crm.createNotes(toCreate) : crm.createTasks(toCreate);
        Map<String, String> created = new HashMap<>();
        outcome.results().keySet().forEach(key -> created.put(key, outcome.id(key)));
        engagements.remember(created);
        outcome.rejected().forEach((key, rejection) -> reject(leads, rejected, leadByKey.get(key), rejection));
    }

    private static void reject(Map<String, LeadRouted> leads, Map<String, Rejection> rejected, String leadId, Rejection rejection) {
        leads.remove(leadId);
        rejected.putIfAbsent(leadId, rejection);
    }

    private static void putIfPresent(Map<String, Object> props, String name, String value) {
        if (value != null && !value.isBlank()) {
            props.put(name, value);
        }
    }
}
