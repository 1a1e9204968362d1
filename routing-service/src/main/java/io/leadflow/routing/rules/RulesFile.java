package io.leadflow.routing.rules;

import com.fasterxml.jackson.annotation.JacksonAnnotationsInside;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.leadflow.avro.LeadSource;
import io.leadflow.avro.Need;
import io.leadflow.avro.Pipeline;
import io.leadflow.avro.Plan;
import io.leadflow.avro.PlanInterest;
import io.leadflow.avro.Region;
import io.leadflow.routing.rules.Criterion.Key;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.annotation.JsonDeserialize;
import tools.jackson.databind.type.TypeFactory;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The rules file as written, bound by {@link RulesBinding}: unknown keys, wrong types, unknown enum values,
 * unreadable dates or zones and missing {@link Required} keys are binding problems; {@link RulesLoader} checks
 * what refers across the file. The top-level sections are not {@link Required} because Jackson would then reject
 * the whole file at the first missing one; {@link RulesLoader} reports those next to every other problem.
 */
record RulesFile(String version, ZoneId timeZone, List<RepEntry> reps, Map<String, List<String>> teams,
                 PipelineSection pipeline, PlanSection plan, OwnersSection owners, List<FlagEntry> flags,
                 List<SlaEntry> sla, Map<String, List<String>> nextSteps,
                 Map<String, List<TaskEntry>> tasks) {

    /** A key the enclosing mapping cannot do without: Jackson rejects the mapping when it is missing. */
    @Target({ElementType.PARAMETER, ElementType.FIELD, ElementType.METHOD})
    @Retention(RetentionPolicy.RUNTIME)
    @JacksonAnnotationsInside
    @JsonProperty(required = true)
    @interface Required {
    }

    record RepEntry(@Required String id, @Required String name, @Required String email, String slackUserId,
                    String hubspotOwnerId, String bookingUrl, Integer weight, Integer dailyCap, Boolean active, List<Absence> outOfOffice,
                    ZoneId timeZone, String workingHours) {
    }

    record Absence(@Required LocalDate from, @Required LocalDate to, String note) {
    }

    /** The fallback owner: a rep who is never round-robined, so without weight, cap or absences. */
    record OwnerEntry(@Required String id, @Required String name, @Required String email, String slackUserId,
                      String hubspotOwnerId) {
    }

    /** What pipeline, plan and owner rules share; each names its outcome differently in the file. */
    interface RuleEntry<T> {
        String id();

        When when();

        T outcome();

        String because();
    }

    record PipelineSection(List<PipelineRule> rules,
                           @JsonProperty(value = "default", required = true) PipelineDefault otherwise) {
    }

    record PipelineRule(@Required String id, When when, @Required Pipeline pipeline, @Required String because)
            implements RuleEntry<Pipeline> {
        public Pipeline outcome() {
            return pipeline;
        }
    }

    record PipelineDefault(@Required Pipeline pipeline, @Required String because) {
    }

    record PlanSection(@Required HighVolume highVolume, Technical technical, Set<Need> privacyNeeds, List<PlanRule> rules,
                       @JsonProperty(value = "default", required = true) PlanDefault otherwise) {
    }

    record HighVolume(@Required Long monthlyEventsAtLeast, Long monthlyActiveUsersAtLeast) {
    }

    record Technical(Set<Need> needs, List<String> titles) {
    }

    record PlanRule(@Required String id, When when, @Required Plan plan, @Required String because) implements RuleEntry<Plan> {
        public Plan outcome() {
            return plan;
        }
    }

    record PlanDefault(@Required Plan plan, @Required String because) {
    }

    record OwnersSection(Boolean stickiness, List<OwnerRule> rules, @Required Fallback fallback) {
    }

    record OwnerRule(@Required String id, When when, @Required String assign, @Required String because)
            implements RuleEntry<String> {
        public String outcome() {
            return assign;
        }
    }

    record Fallback(@Required String team, @Required OwnerEntry owner, String because) {
    }

    /** An SLA policy; durations as {@code 30s}, {@code 5m}, {@code 2h}, {@code 1d} or ISO-8601 ({@code PT15M}). */
    record SlaEntry(@Required String id, When when, String remindAfter, String reassignAfter, String escalateTo,
                    Integer maxReassignments, Boolean workingHoursOnly) {
    }

    /** A CRM task for the owner; {@code due} is {@code now}, {@code demoStart} or a duration after routing such as {@code 1d}. */
    record TaskEntry(@Required String id, @Required String subject, @Required String body, @Required TaskRule.Type type,
                     @Required TaskRule.Priority priority, @Required String due) {
    }

    record FlagEntry(@Required String code, When when, @Required String explanation) {
    }

    /** A {@code when:} in file order (reasons name the fields in that order), each criterion with its key's line. */
    @JsonDeserialize(using = WhenReader.class)
    record When(List<Criterion> criteria) {
    }

    /** Reads each condition as the type its key expects; a list means any of its values, a single value is a list of one. */
    static final class WhenReader extends ValueDeserializer<When> {

        @Override
        public When deserialize(JsonParser p, DeserializationContext ctxt) {
            if (!p.isExpectedStartObjectToken()) {
                return (When) ctxt.handleUnexpectedToken(When.class, p);
            }
            List<Criterion> criteria = new ArrayList<>();
            for (String name = p.nextName(); name != null; name = p.nextName()) {
                int line = p.currentTokenLocation().getLineNr();
                Key key = Key.byYamlName(name);
                p.nextToken();
                if (key == null) {
                    ctxt.handleUnknownProperty(p, this, Criterion.class, name);
                } else if (!p.hasToken(JsonToken.VALUE_NULL)) { // an empty value is reported with all the others
                    Object expected = ctxt.readValue(p, type(ctxt.getTypeFactory(), key));
                    if (expected instanceof List<?> values && key != Key.MESSAGE_MATCHES) {
                        // read as a list, which keeps a value that could not be read as null (already reported) for the
                        // loader to see, where a set of enum values would reject it with a second, cryptic problem
                        expected = new HashSet<>(values);
                    }
                    if (expected != null) {
                        criteria.add(new Criterion(key, expected, line));
                    }
                }
            }
            return new When(criteria);
        }

        @Override
        public Collection<Object> getKnownPropertyNames() {
            return Arrays.stream(Key.values()).map(key -> (Object) key.yamlName()).toList();
        }

        private static JavaType type(TypeFactory types, Key key) {
            return switch (key) {
                case PLAN_INTEREST -> types.constructCollectionType(List.class, PlanInterest.class);
                case PLAN -> types.constructCollectionType(List.class, Plan.class);
                case PIPELINE -> types.constructCollectionType(List.class, Pipeline.class);
                case REGION -> types.constructCollectionType(List.class, Region.class);
                case COUNTRY -> types.constructCollectionType(List.class, String.class);
                case SOURCE -> types.constructCollectionType(List.class, LeadSource.class);
                case NEEDS -> types.constructCollectionType(List.class, Need.class);
                case GROUP_DEMO, Y_COMBINATOR, TECHNICAL, PRIVACY_NEEDS, MONTHLY_EVENTS_KNOWN, MONTHLY_ACTIVE_USERS_KNOWN ->
                        types.constructType(Boolean.class);
                case VOLUME -> types.constructType(Criterion.Volume.class);
                case MONTHLY_EVENTS_ABOVE -> types.constructType(Long.class);
                case MESSAGE_MATCHES -> types.constructCollectionType(List.class, String.class);
            };
        }
    }
}
