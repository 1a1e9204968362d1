package io.leadflow.trials.topology;

import io.leadflow.schemas.LeadIds;

/** Trial ids are derived, never random: starting the same deal's (or lead's) evaluation twice gives the same id. */
public final class TrialIds {

    private TrialIds() {
    }

    public static String forDeal(String dealId) {
        return LeadIds.nameBased("trial:deal:" + dealId);
    }

    public static String forLead(String leadId) {
        return LeadIds.nameBased("trial:lead:" + leadId);
    }
}
