package io.leadflow.routing.topology;

import io.leadflow.avro.LeadRouted;

/** Told about every decision the topology makes or re-emits (metrics, logs). */
public interface DecisionListener {

    DecisionListener NONE = new DecisionListener() {
    };

    /** A first decision for a lead. */
    default void decided(LeadRouted decision) {
    }

    /** A lead seen again: its stored decision was re-emitted unchanged. */
    default void reemitted(LeadRouted decision) {
    }

    /** A lead seen again with other content (a rescheduled demo): its stored decision was re-emitted with it. */
    default void updated(LeadRouted before, LeadRouted after) {
    }
}
