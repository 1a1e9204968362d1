package io.leadflow.routing.system;

import io.leadflow.routing.rules.InvalidRulesException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns an invalid rules file into Boot's start-up failure report: every problem with its line. */
class RulesFailureAnalyzer extends AbstractFailureAnalyzer<InvalidRulesException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, InvalidRulesException cause) {
        return new FailureAnalysis(cause.getMessage(),
                "Fix the rules file (" + cause.source() + ") at the lines above, or point LEADFLOW_ROUTING_RULES "
                        + "(leadflow.routing.rules) at a valid one; leave it empty for the handbook's default rules.", cause);
    }
}
