package io.leadflow.notifier.channels;

import io.leadflow.avro.LeadRouted;

import java.time.Instant;

/**
 * What setting up a lead's shared channel needs from its routing decision. The customer's email is read from the event at
 * the time and never recorded.
 *
 * @param since    when the lead was routed; a message about it cannot be older
 * @param received when the lead arrived, for telling whether its person was erased after it
 */
record HandsOnLead(String leadId, String company, String domain, String customerEmail, String ownerRepId, String ownerName,
                   String ownerSlackUserId, Instant since, Instant received) {

    static HandsOnLead of(LeadRouted routed) {
        var contact = routed.getLead().getContact();
        var owner = routed.getOwner();
        return new HandsOnLead(routed.getLeadId(), contact.getCompanyName(), contact.getCompanyDomain(), contact.getEmail(),
                owner.getRepId(), owner.getName(), owner.getSlackUserId(), routed.getRoutedAt(), routed.getLead().getReceivedAt());
    }

    /** The company as the welcome names it: its name, else its domain, else a neutral word. */
    String companyForPeople() {
        if (company != null && !company.isBlank()) {
            return company.trim();
        }
        return domain != null && !domain.isBlank() ? domain.trim() : "your team";
    }
}
