package io.leadflow.routing.decide;

import io.leadflow.avro.Contact;
import io.leadflow.avro.LeadReceived;
import io.leadflow.avro.Need;
import io.leadflow.routing.rules.Criterion.Volume;
import io.leadflow.routing.rules.RoutingRules.PlanRules;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What the rules read from a lead, including the plan matrix's derived facts (volume, technical,
 * privacy needs), each with the field and value it came from so reasons can quote them.
 */
final class LeadFacts {

    private static final Set<String> FREE_MAIL = Set.of("gmail.com", "googlemail.com", "yahoo.com", "hotmail.com",
            "outlook.com", "live.com", "msn.com", "icloud.com", "me.com", "aol.com", "proton.me", "protonmail.com",
            "gmx.com", "gmx.de", "web.de", "mail.com", "yandex.com", "qq.com", "163.com", "zoho.com");

    final LeadReceived lead;
    final Set<Need> needs;
    final Volume volume;
    final String volumeField;
    final String volumeValue;
    final String volumeText;
    final boolean technical;
    final String technicalField;
    final String technicalValue;
    final String technicalText;
    final Set<Need> privacyNeeds;
    /** The company's domain for account ownership; null when unknown or a free-mail domain. */
    final String domain;

    LeadFacts(LeadReceived lead, PlanRules plan) {
        this.lead = lead;
        this.needs = lead.getNeeds() == null || lead.getNeeds().isEmpty() ? EnumSet.noneOf(Need.class) : EnumSet.copyOf(lead.getNeeds());
        Long events = lead.getMonthlyEvents();
        Long users = lead.getMonthlyActiveUsers();
        if (events != null) {
            volume = events >= plan.highVolumeEvents() ? Volume.HIGH : Volume.LOW;
            volumeField = "monthlyEvents";
            volumeValue = events.toString();
            volumeText = Labels.number(events) + " monthly events, " + (volume == Volume.HIGH ? "at least " : "under ")
                    + Labels.number(plan.highVolumeEvents());
        } else if (users != null && plan.highVolumeUsers() != null) {
            volume = users >= plan.highVolumeUsers() ? Volume.HIGH : Volume.LOW;
            volumeField = "monthlyActiveUsers";
            volumeValue = users.toString();
            volumeText = "events unknown, " + Labels.number(users) + " monthly active users, "
                    + (volume == Volume.HIGH ? "at least " : "under ") + Labels.number(plan.highVolumeUsers());
        } else {
            volume = Volume.LOW;
            volumeField = "monthlyEvents";
            volumeValue = "unknown";
            volumeText = "monthly events unknown, taken as low";
        }

        Set<Need> technicalNeeds = EnumSet.noneOf(Need.class);
        needs.stream().filter(plan.technicalNeeds()::contains).forEach(technicalNeeds::add);
        String title = lead.getContact() == null ? null : lead.getContact().getTitle();
        String technicalTitle = matchingTitle(title, plan);
        if (Boolean.TRUE.equals(lead.getTechnical())) {
            technical = true;
            technicalField = "technical";
            technicalValue = "true";
            technicalText = title == null ? "they said so" : "they said so, title \"" + title + "\"";
        } else if (!technicalNeeds.isEmpty()) {
            technical = true;
            technicalField = "needs";
            technicalValue = technicalNeeds.stream().sorted().map(Enum::name).reduce((a, b) -> a + "," + b).orElse("");
            technicalText = "wants " + Labels.needs(technicalNeeds);
        } else if (technicalTitle != null) {
            technical = true;
            technicalField = "contact.title";
            technicalValue = title;
            technicalText = "title \"" + title + "\"";
        } else {
            technical = false;
            if (Boolean.FALSE.equals(lead.getTechnical())) {
                technicalField = "technical";
                technicalValue = "false";
                technicalText = title == null ? "they said not" : "title \"" + title + "\"";
            } else {
                technicalField = title == null ? "technical" : "contact.title";
                technicalValue = title == null ? "unknown" : title;
                technicalText = title == null ? "no sign of a technical team" : "title \"" + title + "\"";
            }
        }

        Set<Need> privacy = EnumSet.noneOf(Need.class);
        needs.stream().filter(plan.privacyNeeds()::contains).forEach(privacy::add);
        this.privacyNeeds = privacy;
        this.domain = accountDomain(lead.getContact());
    }

    private static String matchingTitle(String title, PlanRules plan) {
        if (title == null || title.isBlank()) {
            return null;
        }
        for (Pattern pattern : plan.technicalTitles()) {
            if (pattern.matcher(title).find()) {
                return title;
            }
        }
        return null;
    }

    static String accountDomain(Contact contact) {
        if (contact == null || contact.getCompanyDomain() == null || contact.getCompanyDomain().isBlank()) {
            return null;
        }
        String domain = contact.getCompanyDomain().trim().toLowerCase(Locale.ROOT);
        if (domain.startsWith("www.")) {
            domain = domain.substring(4);
        }
        return isFreeMail(domain) ? null : domain;
    }

    /** A guard only: lead-intake never sets a free-mail company domain. */
    static boolean isFreeMail(String domain) {
        return FREE_MAIL.contains(domain) || domain.startsWith("yahoo.") || domain.startsWith("hotmail.") || domain.startsWith("outlook.");
    }

    String company() {
        Contact contact = lead.getContact();
        if (contact != null && contact.getCompanyName() != null && !contact.getCompanyName().isBlank()) {
            return contact.getCompanyName();
        }
        if (contact != null && contact.getCompanyDomain() != null && !contact.getCompanyDomain().isBlank()) {
            return contact.getCompanyDomain();
        }
        String email = contact == null ? null : contact.getEmail();
        return email != null && email.contains("@") ? email.substring(email.indexOf('@') + 1) : "unknown company";
    }
}
