package io.leadflow.crm.system;

import io.leadflow.crm.SpringTests;
import io.leadflow.crm.hubspot.HubSpotCrm;
import io.leadflow.crm.resilience.HubSpotAuthGuard;
import io.leadflow.sandbox.RecordedCall;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The start-up check names exactly what is missing in the HubSpot account. */
class HubSpotSetupTests extends SpringTests {

    @Autowired
    HubSpotCrm crm;
    @Autowired
    CrmProperties properties;
    @Autowired
    HubSpotAuthGuard auth;

    @Test
    void accountWithTheConfiguredPipelinesAndPropertiesPassesTheCheck() {
        assertThat(new HubSpotSetup(crm, properties).verify()).isEmpty();
    }

    @Test
    void missingPipelineOrStageFailsStartUpWithAClearMessage() {
        // given a configuration naming a stage and a pipeline the account does not have
        CrmProperties wrong = new CrmProperties(properties.hubspot(),
                new CrmProperties.Pipelines(new CrmProperties.PipelineStage("default", "no-such-stage"),
                        new CrmProperties.PipelineStage("enterprise", "new")),
                properties.rateLimit(), properties.retry(), properties.circuit(), properties.batch(), properties.privacy());

        // when the start-up check runs, then it fails naming both problems and the way out
        assertThatThrownBy(() -> new HubSpotSetup(crm, wrong).afterPropertiesSet())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("the self-serve pipeline 'default' has no stage 'no-such-stage'")
                .hasMessageContaining("[appointmentscheduled, closedwon]")
                .hasMessageContaining("no deal pipeline 'enterprise' for hands-on (LEADFLOW_HUBSPOT_PIPELINE_HANDS_ON)")
                .hasMessageContaining("POST /crm/setup/properties");
    }

    @Test
    void aRefusedTokenFailsStartUpNamingTheSettingToFix() {
        // given HubSpot refusing the token
        hubspot.faults().refuseToken();
        try {
            // when the start-up check runs, then it fails at once, naming the variable to set
            assertThatThrownBy(() -> new HubSpotSetup(crm, properties).afterPropertiesSet())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("HubSpot refused crm-sync's credentials at start-up (401 INVALID_AUTHENTICATION")
                    .hasMessageContaining("set LEADFLOW_HUBSPOT_TOKEN");
        } finally {
            hubspot.faults().acceptCredentials();
        }
        // and the listeners the refusal paused are running again before the next test
        await().atMost(Duration.ofSeconds(10)).until(() -> auth.refusal().isEmpty());
    }

    @Test
    void aPropertyAnotherInstanceCreatedMeanwhileCountsAsExistingInsteadOfFailingStartUp() {
        // given two instances starting together: this one looked before the other created the property (its read is
        // answered 404), so its own create meets the property the other instance made
        hubspot.clearCalls();
        hubspot.faults().failNext(1, 404);

        // when this instance creates the properties
        var outcome = new HubSpotSetup(crm, properties).createProperties();

        // then HubSpot's 409 to the create means the property is there, and start-up goes on
        assertThat(hubspot.requests("POST", "/crm/v3/properties/deals")).extracting(RecordedCall::status).containsExactly(409);
        assertThat(outcome).containsEntry("deals.leadflow_lead_id", "exists");
    }

    @Test
    void rateLimitIsSlicedSoNoRollingWindowExceedsTheBudget() {
        // given HubSpot's 100 requests per 10 s, 10 kept in reserve, paced in ten slices
        CrmProperties.RateLimit limit = new CrmProperties.RateLimit(100, java.time.Duration.ofSeconds(10), 10, 10,
                java.time.Duration.ofSeconds(60), 5, 4);

        // then a rolling window, which touches at most 11 slices, sees at most 88 calls
        assertThat(limit.limitPerSlice()).isEqualTo(8);
        assertThat(limit.slice()).isEqualTo(java.time.Duration.ofSeconds(1));
        assertThat(limit.limitPerSlice() * (limit.slices() + 1)).isLessThanOrEqualTo(90);
    }
}
