package io.leadflow.notifier.templates;

import io.leadflow.avro.AlertLink;
import io.leadflow.avro.RepAlert;
import tools.jackson.databind.node.ArrayNode;

import java.util.Optional;

/**
 * A new lead: header with company and pipeline, the qualifying fields (plan interest, recommended plan, MAUs, monthly
 * events, region, source...), why it was routed to this rep, the flags, the next steps, and buttons to HubSpot and the
 * demo booking.
 */
final class NewLeadTemplate implements AlertTemplate {

    @Override
    public ArrayNode blocks(RepAlert alert, Optional<AlertLink> hubspot) {
        BlockKit kit = new BlockKit().header(alert.getTitle());
        kit.fieldsOf(alert.getFields())
                .list("Why this lead is yours", "•", alert.getReasons())
                .list("Heads-up", ":warning:", alert.getFlags())
                .list("Next steps", "•", alert.getActions());
        kit.interactive(alert.getAlertId(), alert.getButtons()).buttons(Templates.buttons(alert, hubspot));
        StringBuilder context = new StringBuilder();
        if (alert.getLeadReceivedAt() != null) {
            context.append("Lead received ").append(BlockKit.localTime(alert.getLeadReceivedAt()));
        } else {
            context.append("Alert raised ").append(BlockKit.localTime(alert.getCreatedAt()));
        }
        context.append(" · reply within minutes: speed to lead wins deals");
        return kit.context(context.toString()).blocks();
    }
}
