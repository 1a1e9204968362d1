package io.leadflow.routing.topology;

import io.leadflow.avro.LeadRouted;
import io.leadflow.avro.RepAlert;

import java.util.ArrayList;
import java.util.List;

/** What handling one activity, request or due clock produced: new decision versions for {@code leads.routed}, and alerts. */
record Outcome(List<LeadRouted> decisions, List<RepAlert> alerts) {

    static Outcome empty() {
        return new Outcome(new ArrayList<>(), new ArrayList<>());
    }

    boolean isEmpty() {
        return decisions.isEmpty() && alerts.isEmpty();
    }

    Outcome decision(LeadRouted decision) {
        decisions.add(decision);
        return this;
    }

    Outcome alert(RepAlert alert) {
        if (alert != null) {
            alerts.add(alert);
        }
        return this;
    }
}
