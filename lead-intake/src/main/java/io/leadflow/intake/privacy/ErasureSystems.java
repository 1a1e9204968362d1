package io.leadflow.intake.privacy;

import java.util.List;

/** The lines of an erasure's receipt: every system that erases something, by the name it reports under. */
final class ErasureSystems {

    static final String LEAD_INTAKE = "lead-intake state";

    /** Every system that reports on an erasure; the erasure is complete once each has reported done. */
    static final List<String> SERVICES = List.of(LEAD_INTAKE, "routing-service state", "trial-tracker state", "hubspot",
            "crm-sync state", "slack", "rep-notifier state");

    /** Not a reporting system: the copies append-only topics keep until their retention removes them. */
    static final String KAFKA_EVENT_TOPICS = "kafka event topics";

    private ErasureSystems() {
    }
}
