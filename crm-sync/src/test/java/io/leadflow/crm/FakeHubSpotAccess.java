package io.leadflow.crm;

import tools.jackson.databind.JsonNode;

/** Reads the fake's state from other test packages. */
public final class FakeHubSpotAccess {

    private FakeHubSpotAccess() {
    }

    public static JsonNode deal(FakeHubSpot hubspot, String leadId) {
        return hubspot.deals.get(leadId);
    }

    public static long dealsFor(FakeHubSpot hubspot, java.util.Collection<String> leadIds) {
        return leadIds.stream().filter(hubspot.deals::containsKey).count();
    }

    public static int served429(FakeHubSpot hubspot) {
        return hubspot.served429.get();
    }
}
