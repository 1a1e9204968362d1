package io.leadflow.notifier.delivery;

import io.leadflow.avro.RepAlert;

/** What delivering an alert means in Slack. */
enum DeliveryMode {
    /** A new message ({@code chat.postMessage}). */
    POST,
    /** The message posted for {@code updatesAlertId} changed in place ({@code chat.update}). */
    UPDATE,
    /** A message only {@code slackUserId} sees ({@code chat.postEphemeral}). */
    EPHEMERAL;

    /** An ephemeral alert cannot update a message (Slack keeps no ephemeral message to change): it is shown anew. */
    static DeliveryMode of(RepAlert alert) {
        if (Boolean.TRUE.equals(alert.getEphemeral())) {
            return EPHEMERAL;
        }
        return alert.getUpdatesAlertId() == null || alert.getUpdatesAlertId().isBlank() ? POST : UPDATE;
    }
}
