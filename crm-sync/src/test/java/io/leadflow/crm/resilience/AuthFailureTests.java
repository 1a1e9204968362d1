package io.leadflow.crm.resilience;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.leadflow.avro.LeadRouted;
import io.leadflow.crm.KafkaRecords;
import io.leadflow.crm.SpringTests;
import io.leadflow.crm.TestLeads;
import io.leadflow.schemas.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.MessageListenerContainer;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * HubSpot refusing the token (401) or its scopes (403) is a configuration error, not an outage: not retried, the
 * circuit untouched, the listeners paused with one ERROR line saying what to fix, health DOWN with HubSpot's reason and
 * the auth gauge at 1; once HubSpot accepts the credentials again, everything waiting is synced, nothing lost.
 */
@ExtendWith(OutputCaptureExtension.class)
class AuthFailureTests extends SpringTests {

    @Autowired
    KafkaTemplate<Object, Object> kafka;
    @Autowired
    KafkaListenerEndpointRegistry listeners;
    @Autowired
    CircuitBreaker circuit;
    @Autowired
    HubSpotHealthIndicator health;
    @Autowired
    MeterRegistry meters;

    @AfterEach
    void healthy() {
        hubspot.resetFaults();
    }

    @Test
    void aRevokedTokenPausesTheListenersLoudlyAndEverythingIsSyncedOnceHubSpotAcceptsItAgain(CapturedOutput output) throws Exception {
        // given HubSpot answering 401 INVALID_AUTHENTICATION to everything
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<LeadRouted> leads = IntStream.range(0, 20).mapToObj(i -> TestLeads.routed(run, i)).toList();
        Set<String> leadIds = leads.stream().map(LeadRouted::getLeadId).collect(Collectors.toSet());
        double failuresBefore = failures();
        hubspot.faults().refuseToken();

        try (KafkaRecords synced = new KafkaRecords(Topics.CRM_SYNCED.name());
             KafkaRecords dead = new KafkaRecords(Topics.LEADS_ROUTED.deadLetter())) {
            // when leads arrive
            leads.forEach(lead -> kafka.send(Topics.LEADS_ROUTED.name(), lead.getLeadId(), lead));
            kafka.flush();

            // then the listeners are paused, health is DOWN naming the token, the gauge is 1
            MessageListenerContainer container = listeners.getListenerContainer("crm-sync-leads");
            await().atMost(Duration.ofSeconds(20)).until(() -> container.isPauseRequested() && authFailing() == 1);
            Health down = health.health(true);
            assertThat(down.getStatus()).isEqualTo(Status.DOWN);
            assertThat(down.getDetails()).containsEntry("status", 401).containsEntry("category", "INVALID_AUTHENTICATION")
                    .containsEntry("endpoint", "contacts.upsert");
            assertThat((String) down.getDetails().get("fix")).contains("LEADFLOW_HUBSPOT_TOKEN");
            assertThat(failures()).isGreaterThan(failuresBefore);
            // and the refused call was not retried as if HubSpot were down, nor counted by the circuit
            assertThat(meters.get("leadflow.crm.hubspot.calls").tag("endpoint", "contacts.upsert").tag("status", "401").counter().count())
                    .isEqualTo(1);
            assertThat(circuit.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
            // and the probes keep being refused: nothing synced, nothing dead-lettered meanwhile
            await().pollDelay(Duration.ofMillis(600)).atMost(Duration.ofSeconds(5)).until(() -> failures() >= failuresBefore + 3);
            assertThat(synced.keyedBy(leadIds)).isEmpty();
            assertThat(authFailing()).isEqualTo(1);

            // when HubSpot accepts the token again
            hubspot.faults().acceptCredentials();

            // then a probe notices, the listeners resume and every lead is synced once, none dead-lettered
            await().atMost(Duration.ofSeconds(30)).until(() -> synced.keyedBy(leadIds).stream().map(ConsumerRecord::key).distinct().count() == 20);
            assertThat(health.health(false).getStatus()).isEqualTo(Status.UP);
            assertThat(authFailing()).isZero();
            assertThat(container.isPauseRequested()).isFalse();
            assertThat(dead.keyedBy(leadIds)).isEmpty();
        }
        assertThat(hubspot.dealsFor(leadIds)).isEqualTo(20);
        // and the operator was told once, at ERROR, what to fix
        assertThat(output.getAll().lines().filter(line -> line.contains("ERROR") && line.contains("refused crm-sync's credentials")))
                .singleElement().satisfies(line -> assertThat(line).contains("LEADFLOW_HUBSPOT_TOKEN").contains("401"));
    }

    @Test
    void missingScopesAreNamedInTheHealthAndTheLogAndTheSyncResumesOnceGranted(CapturedOutput output) throws Exception {
        // given a private app without the write scope on contacts
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<LeadRouted> leads = IntStream.range(0, 5).mapToObj(i -> TestLeads.routed(run, i)).toList();
        Set<String> leadIds = leads.stream().map(LeadRouted::getLeadId).collect(Collectors.toSet());
        hubspot.faults().refuseScopes("crm.objects.contacts.write");

        try (KafkaRecords synced = new KafkaRecords(Topics.CRM_SYNCED.name())) {
            // when leads arrive
            leads.forEach(lead -> kafka.send(Topics.LEADS_ROUTED.name(), lead.getLeadId(), lead));
            kafka.flush();

            // then health is DOWN with HubSpot's category and the scope it requires
            await().atMost(Duration.ofSeconds(20)).until(() -> authFailing() == 1);
            Health down = health.health(true);
            assertThat(down.getStatus()).isEqualTo(Status.DOWN);
            assertThat(down.getDetails()).containsEntry("status", 403).containsEntry("category", "MISSING_SCOPES")
                    .containsEntry("requiredScopes", List.of("crm.objects.contacts.write"));
            assertThat((String) down.getDetails().get("fix")).contains("crm.objects.contacts.write").contains("LEADFLOW_HUBSPOT_TOKEN");

            // when the scope is granted
            hubspot.faults().acceptCredentials();

            // then the leads are synced and health is UP
            await().atMost(Duration.ofSeconds(30)).until(() -> synced.keyedBy(leadIds).stream().map(ConsumerRecord::key).distinct().count() == 5);
            assertThat(health.health(false).getStatus()).isEqualTo(Status.UP);
        }
        assertThat(output.getAll().lines().filter(line -> line.contains("ERROR") && line.contains("refused crm-sync's credentials")))
                .singleElement().satisfies(line -> assertThat(line).contains("MISSING_SCOPES").contains("crm.objects.contacts.write"));
    }

    private double authFailing() {
        return meters.get("leadflow.crm.hubspot.auth.failing").gauge().value();
    }

    private double failures() {
        return meters.get("leadflow.crm.hubspot.auth.failures").counter().count();
    }
}
