package io.leadflow.routing.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.leadflow.avro.Contact;
import io.leadflow.avro.LeadReceived;
import io.leadflow.avro.LeadSource;
import io.leadflow.avro.Need;
import io.leadflow.avro.PlanInterest;
import io.leadflow.avro.Region;
import io.leadflow.platform.web.HttpProblem;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A lead to preview, with the website form's fields. Plan interest and needs accept the form's
 * spellings ({@code open-source}, {@code annual-contract}) as well as the schema's ({@code OPEN_SOURCE});
 * the region is derived from the country when not given.
 */
record PreviewRequest(String email, String firstName, String lastName, String title, String company, String companyDomain,
                      String country, String region, String planInterest, Long monthlyActiveUsers, Long monthlyEvents,
                      List<String> needs, Boolean technical, @JsonProperty("yCombinator") Boolean yCombinator,
                      Boolean groupDemo, String source, String message) {

    static final String PREVIEW_LEAD_ID = "preview";

    /** The website form's need names, as lead-intake maps them. */
    private static final Map<String, Set<Need>> FORM_NEEDS = Map.of(
            "annual-contract", Set.of(Need.NON_STANDARD_BILLING),
            "invoicing", Set.of(Need.NON_STANDARD_BILLING),
            "msa", Set.of(Need.MSA, Need.NON_STANDARD_BILLING),
            "air-gapped", Set.of(Need.AIR_GAPPED, Need.SELF_HOSTING));

    LeadReceived toLead(Instant now) {
        if (email == null || email.isBlank()) {
            throw HttpProblem.invalid("email", "is required");
        }
        String address = email.trim().toLowerCase(Locale.ROOT);
        if (!address.matches("[^@\\s]+@[^@\\s]+\\.[^@\\s]+")) {
            throw HttpProblem.invalid("email", "must be an email address");
        }
        String countryCode = country == null || country.isBlank() ? null : country.trim().toUpperCase(Locale.ROOT);
        if (countryCode != null && !countryCode.matches("[A-Z]{2}")) {
            throw HttpProblem.invalid("country", "must be an ISO 3166-1 alpha-2 code such as US or DE");
        }
        Region regionValue = region == null || region.isBlank() ? regionOf(countryCode) : constant(Region.class, region, "region");
        check(monthlyActiveUsers, "monthlyActiveUsers");
        check(monthlyEvents, "monthlyEvents");
        String domain = companyDomain == null || companyDomain.isBlank() ? null : companyDomain.trim().toLowerCase(Locale.ROOT);
        Contact contact = Contact.newBuilder()
                .setEmail(address)
                .setFirstName(blankToNull(firstName))
                .setLastName(blankToNull(lastName))
                .setTitle(blankToNull(title))
                .setCompanyName(blankToNull(company))
                .setCompanyDomain(domain)
                .setCountry(countryCode)
                .setRegion(regionValue)
                .build();
        return LeadReceived.newBuilder()
                .setLeadId(PREVIEW_LEAD_ID)
                .setSource(source == null || source.isBlank() ? LeadSource.WEBSITE_FORM : constant(LeadSource.class, source, "source"))
                .setSourceEventId(PREVIEW_LEAD_ID)
                .setReceivedAt(now)
                .setContact(contact)
                .setPlanInterest(planInterest == null || planInterest.isBlank() || planInterest.equalsIgnoreCase("unsure")
                        ? PlanInterest.UNKNOWN : constant(PlanInterest.class, planInterest, "planInterest"))
                .setMonthlyActiveUsers(monthlyActiveUsers)
                .setMonthlyEvents(monthlyEvents)
                .setNeeds(parsedNeeds())
                .setTechnical(technical)
                .setYCombinator(Boolean.TRUE.equals(yCombinator))
                .setGroupDemo(Boolean.TRUE.equals(groupDemo))
                .setMessage(blankToNull(message))
                .build();
    }

    private List<Need> parsedNeeds() {
        Set<Need> result = EnumSet.noneOf(Need.class);
        if (needs != null) {
            for (int i = 0; i < needs.size(); i++) {
                String need = needs.get(i) == null ? "" : needs.get(i).trim().toLowerCase(Locale.ROOT);
                Set<Need> mapped = FORM_NEEDS.get(need);
                if (mapped != null) {
                    result.addAll(mapped);
                } else {
                    result.add(constant(Need.class, need, "needs[" + i + "]"));
                }
            }
        }
        return new ArrayList<>(result);
    }

    private static Region regionOf(String country) {
        return io.leadflow.routing.decide.Regions.of(country);
    }

    private static <E extends Enum<E>> E constant(Class<E> type, String text, String field) {
        String name = text.trim().toUpperCase(Locale.ROOT).replace('-', '_').replace(' ', '_');
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equals(name)) {
                return constant;
            }
        }
        throw HttpProblem.invalid(field, "must be one of " + java.util.Arrays.stream(type.getEnumConstants())
                .map(e -> e.name().toLowerCase(Locale.ROOT).replace('_', '-')).toList());
    }

    private static void check(Long value, String field) {
        if (value != null && value < 0) {
            throw HttpProblem.invalid(field, "must not be negative");
        }
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text.trim();
    }
}
