package io.leadflow.routing.topology;

import io.leadflow.avro.LeadRouted;

import java.time.Duration;

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

    /** The owner accepted (or worked) the lead {@code waited} after its clock started for them. */
    default void accepted(LeadRouted decision, Duration waited) {
    }

    /** An SLA reminder went to the owner. */
    default void reminded(String policy) {
    }

    /** A new owner: {@code cause} is {@code sla}, {@code passed} or {@code rerouted}. */
    default void reassigned(String policy, String cause) {
    }

    /** No one accepted and no one was left to take the lead: escalated. */
    default void breached(String policy) {
    }

    /** An activity or request that changed nothing, and why (e.g. {@code unknown-lead}, {@code duplicate}). */
    default void ignored(String what, String why) {
    }
}
