package io.leadflow.routing.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.leadflow.avro.Contact;
import io.leadflow.avro.LeadReceived;
import io.leadflow.avro.LeadRouted;
import io.leadflow.avro.Owner;

import java.time.Instant;
import java.util.List;

/** A decision as the API shows it: the lead, pipeline, plan, owner, reasons, flags and next steps. */
@JsonInclude(JsonInclude.Include.NON_NULL)
record DecisionView(String leadId, Integer decisionVersion, Instant decidedAt, OwnerView previousOwner, String changeReason,
                    Instant routedAt, String pipeline, String recommendedPlan, OwnerView owner,
                    List<ReasonView> reasons, List<FlagView> flags, List<String> nextSteps, String rulesVersion,
                    LeadView lead, Boolean preview, Boolean liveState, SlaView sla) {

    static DecisionView of(LeadRouted routed, SlaView sla) {
        return of(routed, null, null, sla);
    }

    static DecisionView of(LeadRouted routed, Boolean preview, Boolean liveState, SlaView sla) {
        Owner owner = routed.getOwner();
        Owner previous = routed.getPreviousOwner();
        return new DecisionView(routed.getLeadId(), routed.getDecisionVersion(), routed.getDecidedAt() == null ? routed.getRoutedAt() : routed.getDecidedAt(),
                previous == null ? null : new OwnerView(previous.getRepId(), previous.getName(), previous.getEmail(), previous.getSlackUserId(),
                        previous.getHubspotOwnerId()), routed.getChangeReason(), routed.getRoutedAt(), routed.getPipeline().name(), routed.getRecommendedPlan().name(),
                new OwnerView(owner.getRepId(), owner.getName(), owner.getEmail(), owner.getSlackUserId(), owner.getHubspotOwnerId()),
                routed.getReasons().stream().map(r -> new ReasonView(r.getRule(), r.getField(), r.getValue(), r.getExplanation())).toList(),
                routed.getFlags().stream().map(f -> new FlagView(f.getCode(), f.getExplanation())).toList(),
                List.copyOf(routed.getNextSteps()), routed.getRulesVersion(), LeadView.of(routed.getLead()), preview, liveState, sla);
    }

    record OwnerView(String repId, String name, String email, String slackUserId, String hubspotOwnerId) {
    }

    record ReasonView(String rule, String field, String value, String explanation) {
    }

    record FlagView(String code, String explanation) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record LeadView(String leadId, String source, String sourceEventId, Instant receivedAt, String email, String firstName,
                    String lastName, String title, String company, String companyDomain, String country, String region,
                    String planInterest, Long monthlyActiveUsers, Long monthlyEvents, List<String> needs, Boolean technical,
                    boolean yCombinator, boolean groupDemo, Instant demoStartsAt, String demoBookingUrl) {

        static LeadView of(LeadReceived lead) {
            Contact c = lead.getContact();
            return new LeadView(lead.getLeadId(), lead.getSource().name(), lead.getSourceEventId(), lead.getReceivedAt(),
                    c.getEmail(), c.getFirstName(), c.getLastName(), c.getTitle(), c.getCompanyName(), c.getCompanyDomain(),
                    c.getCountry(), c.getRegion().name(), lead.getPlanInterest().name(), lead.getMonthlyActiveUsers(),
                    lead.getMonthlyEvents(), lead.getNeeds().stream().map(Enum::name).toList(), lead.getTechnical(),
                    lead.getYCombinator(), lead.getGroupDemo(),
                    lead.getDemo() == null ? null : lead.getDemo().getStartsAt(),
                    lead.getDemo() == null ? null : lead.getDemo().getBookingUrl());
        }
    }
}
