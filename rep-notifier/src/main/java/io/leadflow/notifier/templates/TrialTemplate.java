package io.leadflow.notifier.templates;

import io.leadflow.avro.AlertLink;
import io.leadflow.avro.RepAlert;
import tools.jackson.databind.node.ArrayNode;

import java.util.Optional;

/**
 * A reminder about a hands-on evaluation: what is due, the company, days left, end date, deployment, what to do and the
 * deal link. The words (title, summary, actions) are the alert's own: trial-tracker writes them from its wording file,
 * so this template keeps no copy of the handbook. One instance per reminder kind, each with its own emoji.
 */
final class TrialTemplate implements AlertTemplate {

    /**
     * The lead line of an alert written before alerts carried their summary: neutral on purpose, since the handbook's
     * words live only in trial-tracker's wording file.
     */
    static final String UNSPOKEN_SUMMARY = "Evaluation reminder";

    private final String emoji;

    TrialTemplate(String emoji) {
        this.emoji = emoji;
    }

    @Override
    public ArrayNode blocks(RepAlert alert, Optional<AlertLink> hubspot) {
        String summary = alert.getSummary() == null || alert.getSummary().isBlank() ? UNSPOKEN_SUMMARY : alert.getSummary();
        BlockKit kit = new BlockKit().header(alert.getTitle()).section(emoji + " *" + Mrkdwn.escape(summary, 200) + "*");
        kit.fieldsOf(alert.getFields()).list("What to do", "•", alert.getActions()).list("Heads-up", ":warning:", alert.getFlags());
        kit.interactive(alert.getAlertId(), alert.getButtons()).buttons(Templates.buttons(alert, hubspot));
        String context = "Evaluation reminder raised " + BlockKit.localTime(alert.getCreatedAt());
        if (alert.getTrialId() != null) {
            context += " · trial `" + Mrkdwn.escape(alert.getTrialId(), 100) + "`";
        }
        return kit.context(context).blocks();
    }
}
