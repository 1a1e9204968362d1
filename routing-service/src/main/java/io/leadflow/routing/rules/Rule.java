package io.leadflow.routing.rules;

import java.util.List;

/**
 * An ordered rule: when every criterion holds, the outcome applies and {@code because} explains it.
 *
 * @param id      stable id, quoted in every reason the rule produces
 * @param when    criteria, all of which must hold; empty always matches
 * @param outcome a {@code Pipeline}, a {@code Plan}, or a rep or team id for owner rules
 * @param because one sentence for the rep, with {@code {placeholders}} filled from the lead
 * @param line    line of the rule in the rules file
 */
public record Rule<T>(String id, List<Criterion> when, T outcome, String because, int line) {

    public Rule {
        when = List.copyOf(when);
    }
}
