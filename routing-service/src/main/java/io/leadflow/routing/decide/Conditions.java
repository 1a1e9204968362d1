package io.leadflow.routing.decide;

import io.leadflow.avro.LeadReceived;
import io.leadflow.avro.Need;
import io.leadflow.avro.Pipeline;
import io.leadflow.avro.Plan;
import io.leadflow.routing.rules.Criterion;
import io.leadflow.routing.rules.TextPattern;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Evaluates a rule's {@code when:} against a lead. Testing is separate from quoting: {@link #matches} only answers
 * yes or no, and the fields and values that made a rule match ({@link #hits}) are built for the rule that decides.
 */
final class Conditions {

    /** A field and the value that satisfied a criterion. */
    record Hit(String field, String value) {
    }

    private Conditions() {
    }

    /**
     * Whether every criterion holds; an empty {@code when} always matches. What the lead wrote is read last, and only
     * when everything else holds, since it is the one test that scans text.
     */
    static boolean matches(List<Criterion> when, LeadFacts facts, Pipeline pipeline, Plan plan) {
        boolean readsMessage = false;
        for (int i = 0; i < when.size(); i++) {
            Criterion criterion = when.get(i);
            if (criterion.key() == Criterion.Key.MESSAGE_MATCHES) {
                readsMessage = true;
            } else if (!holds(criterion, facts, pipeline, plan)) {
                return false;
            }
        }
        for (int i = 0; readsMessage && i < when.size(); i++) {
            Criterion criterion = when.get(i);
            if (criterion.key() == Criterion.Key.MESSAGE_MATCHES && !holds(criterion, facts, pipeline, plan)) {
                return false;
            }
        }
        return true;
    }

    /** For a {@code when} that {@linkplain #matches matches}: the field and value each criterion was satisfied by, in file order. */
    static List<Hit> hits(List<Criterion> when, LeadFacts facts, Pipeline pipeline, Plan plan) {
        List<Hit> hits = new ArrayList<>(when.size());
        for (Criterion criterion : when) {
            hits.add(hit(criterion, facts, pipeline, plan));
        }
        return hits;
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
        List<Hit> hits = new ArrayList<>(fields.size());
        fields.forEach((field, value) -> hits.add(new Hit(field, value)));
        return hits;
    }

    static String fields(List<Hit> hits) {
        if (hits.isEmpty()) {
            return "lead";
        }
        List<String> distinct = new ArrayList<>(hits.size());
        for (Hit hit : hits) {
            if (!distinct.contains(hit.field())) {
                distinct.add(hit.field());
            }
        }
        return String.join(", ", distinct);
    }

    static String values(List<Hit> hits) {
        if (hits.isEmpty()) {
            return null;
        }
        StringBuilder sb = new StringBuilder();
        for (Hit hit : hits) {
            sb.append(sb.isEmpty() ? "" : ", ").append(hit.value());
        }
        return sb.toString();
    }

    private static boolean holds(Criterion criterion, LeadFacts facts, Pipeline pipeline, Plan plan) {
        LeadReceived lead = facts.lead;
        Object expected = criterion.expected();
        return switch (criterion.key()) {
            case PLAN_INTEREST -> ((Set<?>) expected).contains(lead.getPlanInterest());
            case PLAN -> plan != null && ((Set<?>) expected).contains(plan);
            case PIPELINE -> pipeline != null && ((Set<?>) expected).contains(pipeline);
            case REGION -> lead.getContact() != null && ((Set<?>) expected).contains(lead.getContact().getRegion());
            case COUNTRY -> lead.getContact() != null && lead.getContact().getCountry() != null
                    && ((Set<?>) expected).contains(lead.getContact().getCountry().toUpperCase(Locale.ROOT));
            case SOURCE -> ((Set<?>) expected).contains(lead.getSource());
            case NEEDS -> {
                for (Need need : facts.needs) {
                    if (((Set<?>) expected).contains(need)) {
                        yield true;
                    }
                }
                yield false;
            }
            case GROUP_DEMO -> lead.getGroupDemo() == (Boolean) expected;
            case Y_COMBINATOR -> lead.getYCombinator() == (Boolean) expected;
            case TECHNICAL -> facts.technical == (Boolean) expected;
            case PRIVACY_NEEDS -> facts.privacyNeeds.isEmpty() != (Boolean) expected;
            case VOLUME -> facts.volume == expected;
            case MONTHLY_EVENTS_ABOVE -> lead.getMonthlyEvents() != null && lead.getMonthlyEvents() > (Long) expected;
            case MONTHLY_EVENTS_KNOWN -> (lead.getMonthlyEvents() != null) == (Boolean) expected;
            case MONTHLY_ACTIVE_USERS_KNOWN -> (lead.getMonthlyActiveUsers() != null) == (Boolean) expected;
            case MESSAGE_MATCHES -> facts.mention((TextPattern) expected) != null;
        };
    }

    /** The field and value that satisfied a criterion that holds. */
    @SuppressWarnings("unchecked")
    private static Hit hit(Criterion criterion, LeadFacts facts, Pipeline pipeline, Plan plan) {
        if (criterion.key() == Criterion.Key.MESSAGE_MATCHES) {
            return new Hit(criterion.key().field(), facts.mention((TextPattern) criterion.expected()));
        }
        if (criterion.key() == Criterion.Key.NEEDS) {
            Set<Need> wanted = EnumSet.noneOf(Need.class);
            for (Need need : facts.needs) {
                if (((Set<Need>) criterion.expected()).contains(need)) {
                    wanted.add(need);
                }
            }
            return new Hit("needs", LeadFacts.names(wanted));
        }
        return current(criterion.key(), facts, pipeline, plan);
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
            case NEEDS -> new Hit(key.field(), facts.needsValue());
            case GROUP_DEMO -> new Hit(key.field(), String.valueOf(lead.getGroupDemo()));
            case Y_COMBINATOR -> new Hit(key.field(), String.valueOf(lead.getYCombinator()));
            case TECHNICAL -> new Hit(facts.technicalField(), facts.technicalValue());
            case PRIVACY_NEEDS -> new Hit("needs", facts.privacyNeeds.isEmpty() ? "none" : LeadFacts.names(facts.privacyNeeds));
            case VOLUME -> new Hit(facts.volumeField(), facts.volumeValue());
            case MONTHLY_EVENTS_ABOVE, MONTHLY_EVENTS_KNOWN -> new Hit("monthlyEvents",
                    lead.getMonthlyEvents() == null ? "unknown" : lead.getMonthlyEvents().toString());
            case MONTHLY_ACTIVE_USERS_KNOWN -> new Hit("monthlyActiveUsers",
                    lead.getMonthlyActiveUsers() == null ? "unknown" : lead.getMonthlyActiveUsers().toString());
            case MESSAGE_MATCHES -> new Hit(key.field(), lead.getMessage() == null ? "none" : "no mention");
        };
    }
}
