package io.leadflow.crm.system;

import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import io.leadflow.crm.SpringTests;
import io.leadflow.crm.hubspot.HubSpotCrm;
import io.leadflow.crm.resilience.HubSpotAuthGuard;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.time.Duration;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
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
                properties.rateLimit(), properties.retry(), properties.circuit(), properties.batch());

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
        // given two instances starting together: this one found the property missing, the other created it first
        StubMapping missing = hubspot.wireMock().stubFor(get(urlPathEqualTo("/crm/v3/properties/deals/leadflow_lead_id")).atPriority(1)
                .willReturn(aResponse().withStatus(404).withHeader("Content-Type", "application/json")
                        .withBody("{\"status\":\"error\",\"message\":\"Unable to find property leadflow_lead_id\",\"category\":\"OBJECT_NOT_FOUND\"}")));
        StubMapping conflict = hubspot.wireMock().stubFor(post(urlPathEqualTo("/crm/v3/properties/deals")).atPriority(1)
                .willReturn(aResponse().withStatus(409).withHeader("Content-Type", "application/json")
                        .withBody("{\"status\":\"error\",\"message\":\"A property named 'leadflow_lead_id' already exists.\",\"category\":\"CONFLICT\"}")));
        StubMapping group = hubspot.wireMock().stubFor(post(urlPathEqualTo("/crm/v3/properties/deals/groups")).atPriority(1)
                .willReturn(aResponse().withStatus(409).withHeader("Content-Type", "application/json")
                        .withBody("{\"status\":\"error\",\"message\":\"A property group named 'leadflow' already exists.\",\"category\":\"CONFLICT\"}")));
        try {
            // when this instance creates the properties, then HubSpot's 409 means the property is there
            assertThat(new HubSpotSetup(crm, properties).createProperties()).containsEntry("deals.leadflow_lead_id", "exists");
        } finally {
            hubspot.wireMock().removeStub(missing);
            hubspot.wireMock().removeStub(conflict);
            hubspot.wireMock().removeStub(group);
        }
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
