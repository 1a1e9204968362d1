package io.leadflow.routing.simulate;

import io.leadflow.avro.LeadRouted;
import io.leadflow.avro.LeadSource;
import io.leadflow.avro.Pipeline;
import io.leadflow.avro.Plan;
import io.leadflow.avro.RoutingReason;

import java.util.List;
import java.util.function.Supplier;

/**
 * A decision read from {@code leads.routed}, as much of it as a simulation compares: whose lead, when and where it
 * came from, pipeline, plan, owner and the rule behind each reason (pipeline, plan, owner, in that order), and the lead's
 * email, only to tell an erased person's lead. The whole
 * decision, with its sentences, is read only for a lead whose routing changed and is listed.
 */
record PastDecision(String leadId, long receivedAtMillis, LeadSource source, Pipeline pipeline, Plan plan, String owner,
                    List<String> rules, Supplier<LeadRouted> details, String email) {

    static PastDecision of(LeadRouted routed) {
        return new PastDecision(routed.getLeadId(), routed.getLead().getReceivedAt().toEpochMilli(), routed.getLead().getSource(),
                routed.getPipeline(), routed.getRecommendedPlan(), routed.getOwner().getRepId(),
                routed.getReasons().stream().map(RoutingReason::getRule).toList(), () -> routed, routed.getLead().getContact().getEmail());
    }
}
