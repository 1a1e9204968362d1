package io.leadflow.routing.decide;

import io.leadflow.avro.Contact;
import io.leadflow.avro.Pipeline;
import io.leadflow.avro.Plan;

/**
 * What a sentence's {@code {placeholders}} say for one lead, each worked out the first time a sentence asks for it.
 * Pipeline, plan, rep and team read "unknown" (rep: "the owner") until the decision has them.
 */
final class Words {

    /** The placeholders a rules file may use ({@code RulesLoader.PLACEHOLDERS}). */
    enum Word {
        MONTHLY_EVENTS("monthlyEvents"), MONTHLY_ACTIVE_USERS("monthlyActiveUsers"), PLAN_INTEREST("planInterest"),
        PLAN("plan"), PIPELINE("pipeline"), REGION("region"), COUNTRY("country"), NEEDS("needs"), VOLUME("volume"),
        TECHNICAL("technical"), REP("rep"), COMPANY("company"), DOMAIN("domain"), TEAM("team");

        private final String placeholder;

        Word(String placeholder) {
            this.placeholder = placeholder;
        }

        static Word named(String placeholder) {
            for (Word word : values()) {
                if (word.placeholder.equals(placeholder)) {
                    return word;
                }
            }
            return null;
        }
    }

    private final LeadFacts facts;
    private final String[] known = new String[Word.values().length];
    private Pipeline pipeline;
    private Plan plan;
    private String rep;
    private String team;

    Words(LeadFacts facts) {
        this.facts = facts;
    }

    void pipeline(Pipeline pipeline) {
        this.pipeline = pipeline;
    }

    void plan(Plan plan) {
        this.plan = plan;
    }

    /** The rep and team an owner sentence names; null for the defaults. */
    void owner(String rep, String team) {
        this.rep = rep;
        this.team = team;
    }

    String get(Word word) {
        switch (word) {
            case PIPELINE:
                return pipeline == null ? "unknown" : Labels.pipeline(pipeline);
            case PLAN:
                return plan == null ? "unknown" : Labels.plan(plan);
            case REP:
                return rep == null ? "the owner" : rep;
            case TEAM:
                return team == null ? "unknown" : team;
            default:
                String value = known[word.ordinal()];
                if (value == null) {
                    value = lead(word);
                    known[word.ordinal()] = value;
                }
                return value;
        }
    }

    private String lead(Word word) {
        Contact contact = facts.lead.getContact();
        return switch (word) {
            case MONTHLY_EVENTS -> Labels.number(facts.lead.getMonthlyEvents());
            case MONTHLY_ACTIVE_USERS -> Labels.number(facts.lead.getMonthlyActiveUsers());
            case PLAN_INTEREST -> Labels.planInterest(facts.lead.getPlanInterest());
            case REGION -> contact == null ? "unknown" : Labels.region(contact.getRegion());
            case COUNTRY -> contact == null || contact.getCountry() == null ? "unknown" : contact.getCountry();
            case NEEDS -> Labels.needs(facts.needs);
            case VOLUME -> facts.volumeText();
            case TECHNICAL -> facts.technicalText();
            case COMPANY -> facts.company();
            case DOMAIN -> facts.domain == null ? "unknown" : facts.domain;
            default -> throw new IllegalArgumentException(word.name());
        };
    }
}
