package io.leadflow.trials.topology;

import io.leadflow.avro.Contact;
import io.leadflow.avro.CrmSynced;
import io.leadflow.avro.DealStageChanged;
import io.leadflow.avro.Deployment;
import io.leadflow.avro.LeadReceived;
import io.leadflow.avro.LeadRouted;
import io.leadflow.avro.LeadSource;
import io.leadflow.avro.Owner;
import io.leadflow.avro.Pipeline;
import io.leadflow.avro.Plan;
import io.leadflow.avro.SyncOutcome;
import io.leadflow.avro.TrialClosed;
import io.leadflow.avro.TrialEvent;
import io.leadflow.avro.TrialExtended;
import io.leadflow.avro.TrialOutcome;
import io.leadflow.avro.TrialStarted;
import io.leadflow.trials.timers.ScheduleSettings;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/** Records as the other services publish them, and trial events as the API writes them. */
final class Fixtures {

    static final String HANDS_ON = "hands-on-pipeline";
    static final String SELF_SERVE = "self-serve-pipeline";
    static final String EVALUATION = "evaluation-stage";
    static final TrialSettings SETTINGS = new TrialSettings(ScheduleSettings.DEFAULTS, EVALUATION, HANDS_ON,
            Duration.ofSeconds(1), Duration.ofMinutes(1), 10_000, "");

    private Fixtures() {
    }

    static Owner simon() {
        return Owner.newBuilder().setRepId("simon").setName("Simon").setEmail("simon@leadflow.example")
                .setSlackUserId("U02QULW4MDZ").setHubspotOwnerId("4711").build();
    }

    static LeadRouted routed(String leadId, String company, Pipeline pipeline) {
        LeadReceived lead = LeadReceived.newBuilder()
                .setLeadId(leadId)
                .setSource(LeadSource.WEBSITE_FORM)
                .setSourceEventId("form-" + leadId)
                .setReceivedAt(Instant.parse("2026-02-20T10:00:00Z"))
                .setContact(Contact.newBuilder().setEmail("cto@" + company.toLowerCase() + ".example")
                        .setCompanyName(company).build())
                .build();
        return LeadRouted.newBuilder()
                .setLeadId(leadId)
                .setRoutedAt(Instant.parse("2026-02-20T10:00:01Z"))
                .setLead(lead)
                .setPipeline(pipeline)
                .setRecommendedPlan(Plan.ENTERPRISE)
                .setOwner(simon())
                .setRulesVersion("test")
                .build();
    }

    static CrmSynced synced(String leadId, String dealId, String pipelineId) {
        return CrmSynced.newBuilder()
                .setLeadId(leadId)
                .setContactId("c-" + leadId)
                .setCompanyId("co-" + leadId)
                .setDealId(dealId)
                .setDealUrl("https://app.hubspot.com/contacts/123/record/0-3/" + dealId)
                .setPipelineId(pipelineId)
                .setSyncedAt(Instant.parse("2026-02-20T10:00:05Z"))
                .setOutcome(SyncOutcome.values()[0])
                .build();
    }

    static DealStageChanged stageChanged(String dealId, String pipelineId, String stageId, Instant at) {
        return DealStageChanged.newBuilder()
                .setEventId(Math.abs(UUID.randomUUID().getMostSignificantBits()))
                .setPortalId(123)
                .setDealId(dealId)
                .setPipelineId(pipelineId)
                .setStageId(stageId)
                .setOccurredAt(at)
                .setSubscriptionType("deal.propertyChange")
                .build();
    }

    static TrialEvent started(String dealId, Instant startsAt, Deployment deployment) {
        return event(TrialIds.forDeal(dealId), TrialStarted.newBuilder().setDealId(dealId).setStartsAt(startsAt)
                .setLengthDays(30).setDeployment(deployment).setOrigin("API").build());
    }

    static TrialEvent extended(String trialId, int days) {
        return event(trialId, TrialExtended.newBuilder().setDays(days).setReason("security review").build());
    }

    static TrialEvent closed(String trialId, TrialOutcome outcome) {
        return event(trialId, TrialClosed.newBuilder().setOutcome(outcome).setReason("went with a competitor").build());
    }

    static TrialEvent event(String trialId, Object payload) {
        return TrialEvent.newBuilder().setEventId(UUID.randomUUID().toString()).setTrialId(trialId)
                .setOccurredAt(Instant.parse("2026-03-01T00:00:00Z")).setPayload(payload).build();
    }
}
