package io.leadflow.routing.topology;

import io.leadflow.avro.LeadRouted;
import io.leadflow.avro.Owner;
import io.leadflow.avro.RoutingReason;

import java.time.Instant;
import java.util.List;

/** A decision's next version, made on the single routing lane without copying what it keeps from the last. */
final class DecisionVersions {

    private DecisionVersions() {
    }

    /** The decision's next version: the same lead, pipeline and plan, another owner (or the same, re-routed), why it changed. */
    static LeadRouted next(LeadRouted decision, Owner owner, List<RoutingReason> reasons, Instant now, String why) {
        LeadRouted next = sharing(decision);
        next.setDecisionVersion(decision.getDecisionVersion() + 1);
        next.setPreviousOwner(decision.getOwner());
        next.setOwner(owner);
        next.setReasons(reasons);
        next.setDecidedAt(now);
        next.setChangeReason(why);
        return next;
    }

    /**
     * A new record with the same field values, not copies of them: the lead and everything else a new version keeps
     * unchanged are shared with the version read from the store, which nothing changes afterwards (a builder would
     * deep-copy the whole lead on the single routing lane, once per reassignment).
     */
    static LeadRouted sharing(LeadRouted decision) {
        LeadRouted copy = new LeadRouted();
        int fields = decision.getSchema().getFields().size();
        for (int field = 0; field < fields; field++) {
            copy.put(field, decision.get(field));
        }
        return copy;
    }
}
