package io.leadflow.intake.normalise;

import io.leadflow.avro.Demo;
import io.leadflow.avro.Need;
import io.leadflow.avro.PlanInterest;

import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * What a channel read from its payload, before normalisation: raw strings as the provider sent
 * them. Each channel fills what it has; {@link LeadNormaliser} turns it into a {@code LeadReceived}.
 * {@code emailField} names where the email came from, so an invalid one is reported by that name.
 */
public final class LeadDraft {

    String email;
    String emailField = "email";
    String firstName;
    String lastName;
    String fullName;
    String title;
    String company;
    String website;
    String country;
    PlanInterest planInterest;
    Long monthlyActiveUsers;
    Long monthlyEvents;
    final Set<Need> needs = EnumSet.noneOf(Need.class);
    boolean yCombinator;
    boolean groupDemo;
    Demo demo;
    String message;
    final StringBuilder freeText = new StringBuilder();
    final Map<String, String> utm = new LinkedHashMap<>();

    public LeadDraft email(String email, String field) {
        this.email = email;
        this.emailField = field;
        return this;
    }

    public LeadDraft firstName(String firstName) {
        this.firstName = firstName;
        return this;
    }

    public LeadDraft lastName(String lastName) {
        this.lastName = lastName;
        return this;
    }

    /** A display name ("Jane Doe"), split into first and last name when those are not given. */
    public LeadDraft fullName(String fullName) {
        this.fullName = fullName;
        return this;
    }

    public LeadDraft title(String title) {
        this.title = title;
        return this;
    }

    public LeadDraft company(String company) {
        this.company = company;
        return this;
    }

    public LeadDraft website(String website) {
        this.website = website;
        return this;
    }

    public LeadDraft country(String country) {
        this.country = country;
        return this;
    }

    /** A plan the lead chose explicitly; free text only fills it when this is null. */
    public LeadDraft planInterest(PlanInterest planInterest) {
        this.planInterest = planInterest;
        return this;
    }

    public LeadDraft monthlyActiveUsers(Long monthlyActiveUsers) {
        this.monthlyActiveUsers = monthlyActiveUsers;
        return this;
    }

    public LeadDraft monthlyEvents(Long monthlyEvents) {
        this.monthlyEvents = monthlyEvents;
        return this;
    }

    public LeadDraft need(Need need) {
        this.needs.add(need);
        return this;
    }

    public LeadDraft yCombinator(boolean yCombinator) {
        this.yCombinator = this.yCombinator || yCombinator;
        return this;
    }

    public LeadDraft groupDemo(boolean groupDemo) {
        this.groupDemo = this.groupDemo || groupDemo;
        return this;
    }

    public LeadDraft demo(Demo demo) {
        this.demo = demo;
        return this;
    }

    /** The text kept on the lead for the rep to read; it is also read for signals. */
    public LeadDraft message(String message) {
        this.message = message;
        return freeText(message);
    }

    /** Text read for signals (plan words, volumes, needs) but not kept as the message. */
    public LeadDraft freeText(String text) {
        if (text != null && !text.isBlank()) {
            if (!freeText.isEmpty()) {
                freeText.append('\n');
            }
            freeText.append(text);
        }
        return this;
    }

    /** A UTM parameter; {@code utm_source} and {@code source} are both stored as {@code source}. */
    public LeadDraft utm(String key, String value) {
        if (key != null && !key.isBlank() && value != null && !value.isBlank()) {
            String k = key.trim().toLowerCase(java.util.Locale.ROOT);
            utm.put(k.startsWith("utm_") ? k.substring(4) : k, value.trim());
        }
        return this;
    }

    public String email() {
        return email;
    }
}
