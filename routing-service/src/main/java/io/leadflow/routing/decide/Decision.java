package io.leadflow.routing.decide;

import io.leadflow.avro.LeadReceived;
import io.leadflow.avro.LeadRouted;
import io.leadflow.avro.LeadTask;
import io.leadflow.avro.Owner;
import io.leadflow.avro.Pipeline;
import io.leadflow.avro.Plan;
import io.leadflow.avro.RoutingFlag;
import io.leadflow.avro.RoutingReason;
import io.leadflow.routing.rules.Rep;

import java.time.Instant;
import java.util.List;

/**
 * A routing decision before it is published.
 *
 * @param fallbackOwner true when nobody was available and the lead went to the rules' fallback owner
 * @param tasks         the owner's CRM tasks, in the rules' words with the lead's placeholders filled
 */
public record Decision(Pipeline pipeline, Plan plan, Rep owner, boolean fallbackOwner, List<RoutingReason> reasons,
                       List<RoutingFlag> flags, List<String> nextSteps, List<LeadTask> tasks, String rulesVersion) {

    public LeadRouted toLeadRouted(LeadReceived lead, Instant routedAt) {
        return LeadRouted.newBuilder()
                .setLeadId(lead.getLeadId())
                .setRoutedAt(routedAt)
                .setLead(lead)
                .setPipeline(pipeline)
                .setRecommendedPlan(plan)
                .setOwner(owner(owner))
                .setReasons(List.copyOf(reasons))
                .setFlags(List.copyOf(flags))
                .setNextSteps(List.copyOf(nextSteps))
                .setTasks(List.copyOf(tasks))
                .setRulesVersion(rulesVersion)
                .build();
    }

    public static Owner owner(Rep rep) {
        return Owner.newBuilder()
                .setRepId(rep.id())
                .setName(rep.name())
                .setEmail(rep.email())
                .setSlackUserId(rep.slackUserId())
                .setHubspotOwnerId(rep.hubspotOwnerId())
                .setBookingUrl(rep.bookingUrl())
                .build();
    }
}
