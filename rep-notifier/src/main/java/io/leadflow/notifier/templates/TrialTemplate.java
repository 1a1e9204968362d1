package io.leadflow.notifier.templates;

import io.leadflow.avro.AlertLink;
import io.leadflow.avro.RepAlert;
import tools.jackson.databind.node.ArrayNode;

import java.util.List;
import java.util.Optional;

/**
 * A reminder about a hands-on evaluation: what is due, the company, days left, end date, deployment, what to do in the
 * handbook's words and the deal link. One instance per reminder kind, each with its own lead line and default steps.
 */
final class TrialTemplate implements AlertTemplate {

    private final String emoji;
    private final String leadLine;
    private final List<String> defaultActions;

    TrialTemplate(String emoji, String leadLine, List<String> defaultActions) {
        this.emoji = emoji;
        this.leadLine = leadLine;
        this.defaultActions = defaultActions;
    }

    @Override
    public ArrayNode blocks(RepAlert alert, Optional<AlertLink> hubspot) {
        BlockKit kit = new BlockKit().header(alert.getTitle()).section(emoji + " *" + leadLine + "*");
        List<String> actions = alert.getActions().isEmpty() ? defaultActions : alert.getActions();
        kit.fieldsOf(alert.getFields()).list("What to do", "•", actions).list("Heads-up", ":warning:", alert.getFlags());
        kit.interactive(alert.getAlertId(), alert.getButtons()).buttons(Templates.buttons(alert, hubspot));
        String context = "Evaluation reminder raised " + BlockKit.localTime(alert.getCreatedAt());
        if (alert.getTrialId() != null) {
            context += " · trial `" + Mrkdwn.escape(alert.getTrialId(), 100) + "`";
        }
        return kit.context(context).blocks();
    }
}
