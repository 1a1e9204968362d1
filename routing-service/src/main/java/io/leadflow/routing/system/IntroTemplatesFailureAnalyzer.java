package io.leadflow.routing.system;

import io.leadflow.routing.intro.InvalidIntroTemplatesException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns an invalid introduction templates file into Boot's start-up failure report: every problem with its line and field. */
class IntroTemplatesFailureAnalyzer extends AbstractFailureAnalyzer<InvalidIntroTemplatesException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, InvalidIntroTemplatesException cause) {
        return new FailureAnalysis(cause.getMessage(),
                "Fix the introduction email templates (" + cause.source() + ") at the lines above, or point LEADFLOW_INTRO_TEMPLATES "
                        + "(leadflow.routing.intro-templates) at a valid one; leave it empty for the handbook's default templates.", cause);
    }
}
