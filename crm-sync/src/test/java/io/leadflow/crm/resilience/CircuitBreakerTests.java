package io.leadflow.crm.resilience;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.leadflow.avro.LeadRouted;
import io.leadflow.crm.KafkaRecords;
import io.leadflow.crm.SpringTests;
import io.leadflow.crm.TestLeads;
import io.leadflow.schemas.Topics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.health.contributor.Status;
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

/** A HubSpot outage opens the circuit, which pauses the listeners; when HubSpot returns, everything is synced once. */
class CircuitBreakerTests extends SpringTests {

    @Autowired
    KafkaTemplate<Object, Object> kafka;
    @Autowired
    KafkaListenerEndpointRegistry listeners;
    @Autowired
    CircuitBreaker circuit;
    @Autowired
    HubSpotHealthIndicator health;

    @AfterEach
    void healthy() {
        hubspot.resetFaults();
    }

    @Test
    void outageOpensTheCircuitPausesThePartitionsAndEverythingIsSyncedWhenHubSpotReturns() throws Exception {
        // given HubSpot answering 503 to everything
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<LeadRouted> leads = IntStream.range(0, 30).mapToObj(i -> TestLeads.routed(run, i)).toList();
        Set<String> leadIds = leads.stream().map(LeadRouted::getLeadId).collect(Collectors.toSet());
        hubspot.faults().down(true);

        try (KafkaRecords synced = new KafkaRecords(Topics.CRM_SYNCED.name());
             KafkaRecords dead = new KafkaRecords(Topics.LEADS_ROUTED.deadLetter())) {
            // when leads arrive during the outage
            leads.forEach(lead -> kafka.send(Topics.LEADS_ROUTED.name(), lead.getLeadId(), lead));
            kafka.flush();

            // then the circuit opens, the listener's partitions are paused and health is DOWN
            MessageListenerContainer container = listeners.getListenerContainer("crm-sync-leads");
            await().atMost(Duration.ofSeconds(20)).until(() -> circuit.getState() == CircuitBreaker.State.OPEN
                    && container.isPauseRequested());
            assertThat(health.health(false).getStatus()).isEqualTo(Status.DOWN);
            await().atMost(Duration.ofSeconds(10)).until(container::isContainerPaused);

            // when HubSpot comes back
            hubspot.faults().down(false);

            // then the half-open trial succeeds, the listener resumes and every lead is synced, none dead-lettered
            await().atMost(Duration.ofSeconds(30)).until(() -> synced.keyedBy(leadIds).stream().map(r -> r.key()).distinct().count() == 30);
            assertThat(circuit.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
            assertThat(container.isPauseRequested()).isFalse();
            assertThat(health.health(false).getStatus()).isEqualTo(Status.UP);
            assertThat(dead.keyedBy(leadIds)).isEmpty();
        }
        assertThat(hubspot.dealsFor(leadIds)).isEqualTo(30);
    }
}
