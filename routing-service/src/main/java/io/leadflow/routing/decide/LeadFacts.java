package io.leadflow.routing.decide;

import io.leadflow.avro.Contact;
import io.leadflow.avro.LeadReceived;
import io.leadflow.avro.Need;
import io.leadflow.routing.rules.Criterion.Volume;
import io.leadflow.routing.rules.RoutingRules.PlanRules;
import io.leadflow.routing.rules.TextPattern;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;

/**
 * What the rules read from a lead, including the plan matrix's derived facts (volume, technical,
 * privacy needs), each with the field and value it came from so reasons can quote them. The facts rules
 * test are worked out once; the words a reason quotes only when a reason is written.
 */
final class LeadFacts {

    private static final Set<String> FREE_MAIL = Set.of("gmail.com", "googlemail.com", "yahoo.com", "hotmail.com",
            "outlook.com", "live.com", "msn.com", "icloud.com", "me.com", "aol.com", "proton.me", "protonmail.com",
            "gmx.com", "gmx.de", "web.de", "mail.com", "yandex.com", "qq.com", "163.com", "zoho.com");

    /** Where the lead's technical (or not) comes from, in the order the plan matrix asks. */
    private enum TechnicalSource {
        SAID_SO, NEEDS, TITLE, SAID_NOT, NO_SIGN
    }

    final LeadReceived lead;
    final Set<Need> needs;
    final Volume volume;
    final boolean technical;
    final Set<Need> privacyNeeds;
    /** The company's domain for account ownership; null when unknown or a free-mail domain. */
    final String domain;

    private final PlanRules plan;
    private final TechnicalSource technicalSource;
    private final Set<Need> technicalNeeds;
    private String needsValue;
    private final TextPattern anyMention;
    private Boolean mentionsAnything;
    private TextPattern[] mentionPatterns;
    private String[] mentions;

    /**
     * @param technicalTitle whether a job title is technical by the rules (asked only when the lead's own answer and
     *                       needs do not decide)
     * @param anyMention     every {@code messageMatches} pattern of the rules as one: when it finds nothing in the
     *                       message, no single one is run
     */
    LeadFacts(LeadReceived lead, PlanRules plan, Predicate<String> technicalTitle, TextPattern anyMention) {
        this.lead = lead;
        this.plan = plan;
        this.anyMention = anyMention;
        this.needs = lead.getNeeds() == null || lead.getNeeds().isEmpty() ? EnumSet.noneOf(Need.class) : EnumSet.copyOf(lead.getNeeds());
        Long events = lead.getMonthlyEvents();
        Long users = lead.getMonthlyActiveUsers();
        if (events != null) {
            volume = events >= plan.highVolumeEvents() ? Volume.HIGH : Volume.LOW;
        } else if (users != null && plan.highVolumeUsers() != null) {
            volume = users >= plan.highVolumeUsers() ? Volume.HIGH : Volume.LOW;
        } else {
            volume = Volume.LOW;
        }

        technicalNeeds = intersection(needs, plan.technicalNeeds());
        String title = title();
        if (Boolean.TRUE.equals(lead.getTechnical())) {
            technicalSource = TechnicalSource.SAID_SO;
        } else if (!technicalNeeds.isEmpty()) {
            technicalSource = TechnicalSource.NEEDS;
        } else if (title != null && !title.isBlank() && technicalTitle.test(title)) {
            technicalSource = TechnicalSource.TITLE;
        } else {
            technicalSource = Boolean.FALSE.equals(lead.getTechnical()) ? TechnicalSource.SAID_NOT : TechnicalSource.NO_SIGN;
        }
        technical = technicalSource == TechnicalSource.SAID_SO || technicalSource == TechnicalSource.NEEDS
                || technicalSource == TechnicalSource.TITLE;
        privacyNeeds = intersection(needs, plan.privacyNeeds());
        domain = accountDomain(lead.getContact());
    }

    /** What a {@code messageMatches} pattern found in the lead's message (its first characters), or null; each pattern runs once per lead. */
    String mention(TextPattern pattern) {
        String message = lead.getMessage();
        if (message == null || message.isEmpty()) {
            return null;
        }
        if (mentionsAnything == null) {
            mentionsAnything = anyMention.isEmpty() || anyMention.matches(message);
        }
        if (!mentionsAnything) {
            return null;
        }
        int slot = 0;
        while (mentionPatterns != null && slot < mentionPatterns.length && mentionPatterns[slot] != null) {
            if (mentionPatterns[slot] == pattern) {
                return mentions[slot];
            }
            slot++;
        }
        if (mentionPatterns == null || slot == mentionPatterns.length) {
            int size = mentionPatterns == null ? 4 : mentionPatterns.length * 2;
            mentionPatterns = mentionPatterns == null ? new TextPattern[size] : Arrays.copyOf(mentionPatterns, size);
            mentions = mentions == null ? new String[size] : Arrays.copyOf(mentions, size);
        }
        mentionPatterns[slot] = pattern;
        mentions[slot] = pattern.find(message);
        return mentions[slot];
    }

    // ---- what reasons quote ----------------------------------------------------------------------

    String volumeField() {
        return lead.getMonthlyEvents() == null && lead.getMonthlyActiveUsers() != null && plan.highVolumeUsers() != null
                ? "monthlyActiveUsers" : "monthlyEvents";
    }

    String volumeValue() {
        Long events = lead.getMonthlyEvents();
        if (events != null) {
            return events.toString();
        }
        Long users = lead.getMonthlyActiveUsers();
        return users != null && plan.highVolumeUsers() != null ? users.toString() : "unknown";
    }

    String volumeText() {
        Long events = lead.getMonthlyEvents();
        Long users = lead.getMonthlyActiveUsers();
        String comparison = volume == Volume.HIGH ? "at least " : "under ";
        if (events != null) {
            return Labels.number(events) + " monthly events, " + comparison + Labels.number(plan.highVolumeEvents());
        }
        if (users != null && plan.highVolumeUsers() != null) {
            return "events unknown, " + Labels.number(users) + " monthly active users, " + comparison + Labels.number(plan.highVolumeUsers());
        }
        return "monthly events unknown, taken as low";
    }

    String technicalField() {
        return switch (technicalSource) {
            case SAID_SO, SAID_NOT -> "technical";
            case NEEDS -> "needs";
            case TITLE -> "contact.title";
            case NO_SIGN -> title() == null ? "technical" : "contact.title";
        };
    }

    String technicalValue() {
        String title = title();
        return switch (technicalSource) {
            case SAID_SO -> "true";
            case SAID_NOT -> "false";
            case NEEDS -> names(technicalNeeds);
            case TITLE -> title;
            case NO_SIGN -> title == null ? "unknown" : title;
        };
    }

    String technicalText() {
        String title = title();
        return switch (technicalSource) {
            case SAID_SO -> title == null ? "they said so" : "they said so, title \"" + title + "\"";
            case NEEDS -> "wants " + Labels.needs(technicalNeeds);
            case TITLE -> "title \"" + title + "\"";
            case SAID_NOT -> title == null ? "they said not" : "title \"" + title + "\"";
            case NO_SIGN -> title == null ? "no sign of a technical team" : "title \"" + title + "\"";
        };
    }

    /** The lead's needs as reasons quote them: names in schema order, or "none". */
    String needsValue() {
        if (needsValue == null) {
            needsValue = needs.isEmpty() ? "none" : names(needs);
        }
        return needsValue;
    }

    static String names(Set<Need> needs) {
        StringBuilder sb = new StringBuilder();
        for (Need need : needs) { // an EnumSet iterates in schema order
            sb.append(sb.isEmpty() ? "" : ",").append(need.name());
        }
        return sb.toString();
    }

    static Set<Need> intersection(Set<Need> needs, Set<Need> wanted) {
        Set<Need> both = EnumSet.noneOf(Need.class);
        for (Need need : needs) {
            if (wanted.contains(need)) {
                both.add(need);
            }
        }
        return both;
    }

    private String title() {
        return lead.getContact() == null ? null : lead.getContact().getTitle();
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
