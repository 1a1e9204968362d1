package io.leadflow.routing.decide;

import io.leadflow.avro.LeadReceived;
import io.leadflow.avro.Need;
import io.leadflow.avro.Pipeline;
import io.leadflow.avro.Plan;
import io.leadflow.routing.rules.Criterion;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Evaluates a rule's {@code when:} against a lead, returning the fields and values that made it match. */
final class Conditions {

    /** A field and the value that satisfied a criterion. */
    record Hit(String field, String value) {
    }

    private Conditions() {
    }

    /** The hits when every criterion holds, empty when one does not; an empty {@code when} always matches. */
    static Optional<List<Hit>> match(List<Criterion> when, LeadFacts facts, Pipeline pipeline, Plan plan) {
        List<Hit> hits = new ArrayList<>();
        for (Criterion criterion : when) {
            Hit hit = test(criterion, facts, pipeline, plan);
            if (hit == null) {
                return Optional.empty();
            }
            hits.add(hit);
        }
        return Optional.of(hits);
    }

    /** Every field the given criteria look at, with the lead's value, for a default decision's reason. */
    static List<Hit> lookedAt(List<List<Criterion>> whens, LeadFacts facts, Pipeline pipeline, Plan plan) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (List<Criterion> when : whens) {
            for (Criterion criterion : when) {
                Hit hit = current(criterion.key(), facts, pipeline, plan);
                fields.putIfAbsent(hit.field(), hit.value());
            }
        }
        return fields.entrySet().stream().map(e -> new Hit(e.getKey(), e.getValue())).toList();
    }

    static String fields(List<Hit> hits) {
        return hits.isEmpty() ? "lead" : String.join(", ", hits.stream().map(Hit::field).distinct().toList());
    }

    static String values(List<Hit> hits) {
        return hits.isEmpty() ? null : String.join(", ", hits.stream().map(Hit::value).toList());
    }

    @SuppressWarnings("unchecked")
    private static Hit test(Criterion criterion, LeadFacts facts, Pipeline pipeline, Plan plan) {
        LeadReceived lead = facts.lead;
        Object expected = criterion.expected();
        Hit current = current(criterion.key(), facts, pipeline, plan);
        boolean holds = switch (criterion.key()) {
            case PLAN_INTEREST -> ((Set<?>) expected).contains(lead.getPlanInterest());
            case PLAN -> plan != null && ((Set<?>) expected).contains(plan);
            case PIPELINE -> pipeline != null && ((Set<?>) expected).contains(pipeline);
            case REGION -> lead.getContact() != null && ((Set<?>) expected).contains(lead.getContact().getRegion());
            case COUNTRY -> lead.getContact() != null && lead.getContact().getCountry() != null
                    && ((Set<?>) expected).contains(lead.getContact().getCountry().toUpperCase(java.util.Locale.ROOT));
            case SOURCE -> ((Set<?>) expected).contains(lead.getSource());
            case NEEDS -> {
                Set<Need> wanted = EnumSet.noneOf(Need.class);
                facts.needs.stream().filter(((Set<Need>) expected)::contains).forEach(wanted::add);
                if (!wanted.isEmpty()) {
                    current = new Hit("needs", String.join(",", wanted.stream().sorted().map(Enum::name).toList()));
                }
                yield !wanted.isEmpty();
            }
            case GROUP_DEMO -> lead.getGroupDemo() == (Boolean) expected;
            case Y_COMBINATOR -> lead.getYCombinator() == (Boolean) expected;
            case TECHNICAL -> facts.technical == (Boolean) expected;
            case PRIVACY_NEEDS -> facts.privacyNeeds.isEmpty() != (Boolean) expected;
            case VOLUME -> facts.volume == expected;
            case MONTHLY_EVENTS_ABOVE -> lead.getMonthlyEvents() != null && lead.getMonthlyEvents() > (Long) expected;
            case MONTHLY_EVENTS_KNOWN -> (lead.getMonthlyEvents() != null) == (Boolean) expected;
            case MONTHLY_ACTIVE_USERS_KNOWN -> (lead.getMonthlyActiveUsers() != null) == (Boolean) expected;
        };
        return holds ? current : null;
    }

    private static Hit current(Criterion.Key key, LeadFacts facts, Pipeline pipeline, Plan plan) {
        LeadReceived lead = facts.lead;
        return switch (key) {
            case PLAN_INTEREST -> new Hit(key.field(), lead.getPlanInterest().name());
            case PLAN -> new Hit(key.field(), plan == null ? null : plan.name());
            case PIPELINE -> new Hit(key.field(), pipeline == null ? null : pipeline.name());
            case REGION -> new Hit(key.field(), lead.getContact() == null ? null : lead.getContact().getRegion().name());
            case COUNTRY -> new Hit(key.field(), lead.getContact() == null ? null : lead.getContact().getCountry());
            case SOURCE -> new Hit(key.field(), lead.getSource().name());
            case NEEDS -> new Hit(key.field(), facts.needs.isEmpty() ? "none" : String.join(",", facts.needs.stream().sorted().map(Enum::name).toList()));
            case GROUP_DEMO -> new Hit(key.field(), String.valueOf(lead.getGroupDemo()));
            case Y_COMBINATOR -> new Hit(key.field(), String.valueOf(lead.getYCombinator()));
            case TECHNICAL -> new Hit(facts.technicalField, facts.technicalValue);
            case PRIVACY_NEEDS -> new Hit("needs", facts.privacyNeeds.isEmpty() ? "none"
                    : String.join(",", facts.privacyNeeds.stream().sorted().map(Enum::name).toList()));
            case VOLUME -> new Hit(facts.volumeField, facts.volumeValue);
            case MONTHLY_EVENTS_ABOVE, MONTHLY_EVENTS_KNOWN -> new Hit("monthlyEvents",
                    lead.getMonthlyEvents() == null ? "unknown" : lead.getMonthlyEvents().toString());
            case MONTHLY_ACTIVE_USERS_KNOWN -> new Hit("monthlyActiveUsers",
                    lead.getMonthlyActiveUsers() == null ? "unknown" : lead.getMonthlyActiveUsers().toString());
        };
    }
}
