package io.leadflow.intake.website;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.leadflow.avro.Need;
import io.leadflow.avro.PlanInterest;
import io.leadflow.intake.normalise.LeadDraft;
import io.leadflow.intake.normalise.Volumes;
import io.leadflow.intake.system.RejectedRequest;
import io.leadflow.intake.system.Timestamps;
import tools.jackson.databind.JsonNode;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The website contact form, as {@code static/openapi/website-form.yaml} documents it. Unknown
 * properties are ignored so the website may add fields before Leadflow reads them.
 */
record WebsiteForm(String submissionId,
                   String submittedAt,
                   String email,
                   String firstName,
                   String lastName,
                   String company,
                   String website,
                   String country,
                   String title,
                   String planInterest,
                   JsonNode monthlyActiveUsers,
                   JsonNode monthlyEvents,
                   List<JsonNode> needs,
                   @JsonProperty("yCombinator") Boolean yCombinator,
                   Boolean groupDemo,
                   String message,
                   Map<String, String> utm) {

    static final Map<String, PlanInterest> PLANS = Map.of(
            "cloud", PlanInterest.CLOUD,
            "scale", PlanInterest.SCALE,
            "enterprise", PlanInterest.ENTERPRISE,
            "open-source", PlanInterest.OPEN_SOURCE,
            "unsure", PlanInterest.UNKNOWN);

    /** "msa" is also non-standard billing: the handbook counts MSAs, annual contracts and invoicing alike. */
    static final Map<String, Set<Need>> NEEDS = Map.of(
            "sso", Set.of(Need.SSO),
            "project-permissions", Set.of(Need.PROJECT_PERMISSIONS),
            "self-hosting", Set.of(Need.SELF_HOSTING),
            "privacy-compliance", Set.of(Need.PRIVACY_COMPLIANCE),
            "annual-contract", Set.of(Need.NON_STANDARD_BILLING),
            "invoicing", Set.of(Need.NON_STANDARD_BILLING),
            "msa", Set.of(Need.MSA, Need.NON_STANDARD_BILLING),
            "air-gapped", Set.of(Need.AIR_GAPPED, Need.SELF_HOSTING));

    LeadDraft toDraft() {
        if (submissionId == null || submissionId.isBlank()) {
            throw RejectedRequest.invalid("submissionId", "is required");
        }
        Timestamps.parse(submittedAt, "submittedAt");
        LeadDraft draft = new LeadDraft()
                .email(email, "email")
                .firstName(firstName)
                .lastName(lastName)
                .company(company)
                .website(website)
                .country(country)
                .title(title)
                .planInterest(plan())
                .monthlyActiveUsers(volume(monthlyActiveUsers, "monthlyActiveUsers"))
                .monthlyEvents(volume(monthlyEvents, "monthlyEvents"))
                .yCombinator(Boolean.TRUE.equals(yCombinator))
                .groupDemo(Boolean.TRUE.equals(groupDemo))
                .message(message);
        if (needs != null) {
            for (int i = 0; i < needs.size(); i++) {
                JsonNode element = needs.get(i);
                if (element != null && !element.isNull() && !element.isString()) {
                    throw RejectedRequest.invalid("needs[" + i + "]", "must be a string");
                }
                String need = element == null || element.isNull() ? "" : element.stringValue().trim().toLowerCase(java.util.Locale.ROOT);
                Set<Need> mapped = NEEDS.get(need);
                if (mapped == null) {
                    throw RejectedRequest.invalid("needs[" + i + "]", "must be one of " + NEEDS.keySet().stream().sorted().toList());
                }
                mapped.forEach(draft::need);
            }
        }
        if (utm != null) {
            utm.forEach(draft::utm);
        }
        return draft;
    }

    private PlanInterest plan() {
        if (planInterest == null || planInterest.isBlank()) {
            return null;
        }
        PlanInterest plan = PLANS.get(planInterest.trim().toLowerCase(java.util.Locale.ROOT));
        if (plan == null) {
            throw RejectedRequest.invalid("planInterest", "must be one of cloud, scale, enterprise, open-source, unsure");
        }
        return plan;
    }

    /** A JSON number, or text such as "50m", "2,000,000", "1.5 million"; null and "" mean unknown. */
    static Long volume(JsonNode node, String field) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        if (node.isNumber()) {
            if (node.isIntegralNumber() && node.canConvertToLong() && node.longValue() >= 0) {
                return node.longValue();
            }
            if (node.isFloatingPointNumber() && node.doubleValue() >= 0 && node.doubleValue() < Long.MAX_VALUE) {
                return Math.round(node.doubleValue());
            }
            throw RejectedRequest.invalid(field, "must be a non-negative number");
        }
        if (node.isString()) {
            String text = node.stringValue();
            if (text.isBlank()) {
                return null;
            }
            return Volumes.parse(text).stream().boxed().findFirst().orElseThrow(() ->
                    RejectedRequest.invalid(field, "must be a number or a volume such as \"50m\", \"2,000,000\" or \"1.5 million\""));
        }
        throw RejectedRequest.invalid(field, "must be a number or a text such as \"50m\"");
    }
}
