package io.leadflow.crm.sync;

import io.leadflow.crm.hubspot.Rejection;
import io.leadflow.platform.kafka.DeadLetters;

/** A record HubSpot refused for good; dead-lettered with HubSpot's message and correlation id as headers. */
class HubSpotRejectedRecord extends DeadLetters.PermanentFailure {

    private final transient Rejection rejection;

    HubSpotRejectedRecord(Rejection rejection) {
        super(rejection.describe());
        this.rejection = rejection;
    }

    Rejection rejection() {
        return rejection;
    }
}
