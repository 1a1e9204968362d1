package io.leadflow.schemas;

import io.leadflow.avro.LeadReceived;

/** How a lead's person and company are named in the words Leadflow writes for reps (tasks, notes, deal names). */
public final class LeadNames {

    private LeadNames() {
    }

    /** "First Last, Title (email)", leaving out what the lead did not give; the email alone when it gave no name. */
    public static String person(LeadReceived lead) {
        var contact = lead.getContact();
        StringBuilder name = new StringBuilder();
        if (contact.getFirstName() != null && !contact.getFirstName().isBlank()) {
            name.append(contact.getFirstName().trim());
        }
        if (contact.getLastName() != null && !contact.getLastName().isBlank()) {
            name.append(name.isEmpty() ? "" : " ").append(contact.getLastName().trim());
        }
        if (contact.getTitle() != null && !contact.getTitle().isBlank()) {
            name.append(name.isEmpty() ? "" : ", ").append(contact.getTitle().trim());
        }
        return name.isEmpty() ? contact.getEmail() : name + " (" + contact.getEmail() + ")";
    }

    /** The company's name as the lead gave it, else its domain, else the domain of the lead's email. */
    public static String company(LeadReceived lead) {
        String name = lead.getContact().getCompanyName();
        if (name != null && !name.isBlank()) {
            return name;
        }
        String domain = lead.getContact().getCompanyDomain();
        if (domain != null && !domain.isBlank()) {
            return domain;
        }
        String email = lead.getContact().getEmail();
        return email.substring(email.indexOf('@') + 1);
    }
}
