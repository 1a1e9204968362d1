package io.leadflow.notifier.templates;

import io.leadflow.avro.AlertLink;
import io.leadflow.avro.RepAlert;
import tools.jackson.databind.node.ArrayNode;

import java.util.Optional;

/** Turns one kind of alert into Block Kit blocks. */
interface AlertTemplate {

    /**
     * @param hubspot the HubSpot button the notifier adds (deal, or contact search), when it has one
     */
    ArrayNode blocks(RepAlert alert, Optional<AlertLink> hubspot);
}
