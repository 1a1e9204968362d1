package io.leadflow.notifier.templates;

import io.leadflow.avro.AlertLink;
import io.leadflow.avro.RepAlert;
import tools.jackson.databind.node.ArrayNode;

import java.util.Optional;

/** Any other alert (a kind this notifier does not know yet): title, fields, lists and buttons as they come. */
final class GenericTemplate implements AlertTemplate {

    @Override
    public ArrayNode blocks(RepAlert alert, Optional<AlertLink> hubspot) {
        BlockKit kit = new BlockKit().header(alert.getTitle());
        kit.fieldsOf(alert.getFields())
                .list("Why", "•", alert.getReasons())
                .list("Heads-up", ":warning:", alert.getFlags())
                .list("What to do", "•", alert.getActions())
                .interactive(alert.getAlertId(), alert.getButtons())
                .buttons(Templates.buttons(alert, hubspot));
        return kit.context("Alert raised " + BlockKit.localTime(alert.getCreatedAt())).blocks();
    }
}
