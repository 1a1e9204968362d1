package io.leadflow.routing.rules;

/**
 * One test of a rule's {@code when:}, e.g. {@code region: [US]}. A rule matches when all its criteria do.
 *
 * @param key      what is tested
 * @param expected a {@code Set} of enum values or strings, a {@code Boolean}, a {@code Long}, a {@link Volume} or a
 *                 {@link TextPattern}
 * @param line     line of the key in the rules file
 */
public record Criterion(Key key, Object expected, int line) {

    /** The keys a {@code when:} may hold, with the lead field each one reads. */
    public enum Key {
        PLAN_INTEREST("planInterest", "planInterest"),
        PLAN("plan", "recommendedPlan"),
        PIPELINE("pipeline", "pipeline"),
        REGION("region", "contact.region"),
        COUNTRY("country", "contact.country"),
        SOURCE("source", "source"),
        NEEDS("needs", "needs"),
        GROUP_DEMO("groupDemo", "groupDemo"),
        Y_COMBINATOR("yCombinator", "yCombinator"),
        TECHNICAL("technical", "technical"),
        PRIVACY_NEEDS("privacyNeeds", "needs"),
        VOLUME("volume", "monthlyEvents"),
        MONTHLY_EVENTS_ABOVE("monthlyEventsAbove", "monthlyEvents"),
        MONTHLY_EVENTS_KNOWN("monthlyEventsKnown", "monthlyEvents"),
        MONTHLY_ACTIVE_USERS_KNOWN("monthlyActiveUsersKnown", "monthlyActiveUsers"),
        MESSAGE_MATCHES("messageMatches", "message");

        private final String yamlName;
        private final String field;

        Key(String yamlName, String field) {
            this.yamlName = yamlName;
            this.field = field;
        }

        public String yamlName() {
            return yamlName;
        }

        /** The lead field this key reads, as a reason names it. */
        public String field() {
            return field;
        }

        public static Key byYamlName(String name) {
            for (Key key : values()) {
                if (key.yamlName.equals(name)) {
                    return key;
                }
            }
            return null;
        }
    }

    /** Whether the plan matrix called the lead's volume high or low. */
    public enum Volume {
        HIGH, LOW
    }
}
