package io.leadflow.notifier.templates;

import io.leadflow.avro.AlertField;
import io.leadflow.avro.AlertLink;
import io.leadflow.avro.RepAlert;
import tools.jackson.databind.node.ArrayNode;

import java.util.ArrayList;
import java.util.List;
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
        List<String[]> fields = new ArrayList<>();
        for (AlertField field : alert.getFields()) {
            fields.add(new String[] {field.getLabel(), field.getValue()});
        }
        kit.fields(fields)
                .list("Why this lead is yours", "•", alert.getReasons())
                .list("Heads-up", ":warning:", alert.getFlags())
                .list("Next steps", "•", alert.getActions());
        kit.buttons(Templates.buttons(alert, hubspot));
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
