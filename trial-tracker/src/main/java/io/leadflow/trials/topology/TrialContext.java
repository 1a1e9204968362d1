package io.leadflow.trials.topology;

import io.leadflow.avro.Contact;
import io.leadflow.avro.CrmSynced;
import io.leadflow.avro.LeadRouted;
import io.leadflow.avro.Owner;
import io.leadflow.avro.SyncOutcome;

/**
 * What the topology knows about the lead and deal behind a trial, from {@code leads.routed} joined with
 * {@code crm.synced}; kept in the {@value #STORE} store keyed by trial id (under both the lead's and the deal's
 * trial id), so the trial processor and the API read it locally.
 *
 * @param routedPipeline the pipeline routing chose ({@code HANDS_ON}, {@code SELF_SERVE}), null when not routed yet
 * @param dealPipelineId the HubSpot pipeline crm-sync put the deal in, when known
 */
public record TrialContext(String leadId, String dealId, String dealUrl, String dealPipelineId, String routedPipeline,
                           String company, OwnerInfo owner) {

    public static final String STORE = "trial-context";

    /** The rep who owns the lead; {@code bookingUrl} is their booking page from the rules file, null when none (or stored before it was carried). */
    public record OwnerInfo(String repId, String name, String email, String slackUserId, String hubspotOwnerId, String bookingUrl) {

        static OwnerInfo of(Owner owner) {
            return owner == null ? null : new OwnerInfo(owner.getRepId(), owner.getName(), owner.getEmail(),
                    owner.getSlackUserId(), owner.getHubspotOwnerId(), owner.getBookingUrl());
        }

        public Owner toAvro() {
            return Owner.newBuilder().setRepId(repId).setName(name).setEmail(email).setSlackUserId(slackUserId)
                    .setHubspotOwnerId(hubspotOwnerId).setBookingUrl(bookingUrl).build();
        }
    }

    /**
     * Joins a routing decision with a CRM sync of the same lead; either may be missing (outer join). A lead crm-sync
     * attached to another lead's open deal does not claim that deal: the deal's trial belongs to the lead that opened
     * it, so this context keeps the deal's link but not its id.
     */
    static TrialContext of(LeadRouted routed, CrmSynced synced) {
        if (routed == null && synced == null) {
            return null;
        }
        String leadId = routed != null ? routed.getLeadId() : synced.getLeadId();
        boolean ownDeal = synced != null && synced.getOutcome() != SyncOutcome.ATTACHED;
        return new TrialContext(leadId,
                ownDeal ? synced.getDealId() : null,
                synced == null ? null : synced.getDealUrl(),
                synced == null ? null : synced.getPipelineId(),
                routed == null ? null : routed.getPipeline().name(),
                routed == null ? null : company(routed.getLead().getContact()),
                routed == null ? null : OwnerInfo.of(routed.getOwner()));
    }

    /** The company's name, else its domain, else the domain of the contact's email. */
    static String company(Contact contact) {
        if (contact == null) {
            return null;
        }
        if (notBlank(contact.getCompanyName())) {
            return contact.getCompanyName().trim();
        }
        if (notBlank(contact.getCompanyDomain())) {
            return contact.getCompanyDomain().trim();
        }
        String email = contact.getEmail();
        int at = email == null ? -1 : email.lastIndexOf('@');
        return at >= 0 && at < email.length() - 1 ? email.substring(at + 1) : null;
    }

    private static boolean notBlank(String value) {
        return value != null && !value.isBlank();
    }
}
