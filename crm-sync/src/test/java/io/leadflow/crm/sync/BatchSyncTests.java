package io.leadflow.crm.sync;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.leadflow.crm.SpringTests;
import io.leadflow.crm.hubspot.HubSpotCrm;
import io.leadflow.crm.system.CrmProperties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.json.JsonMapper;

import java.time.Clock;
import java.util.UUID;

/**
 * Tests that call {@link LeadSync} directly against the HubSpot fake: each test runs with its own names ({@link #run}),
 * and leaves the fake without faults and the circuit closed.
 */
abstract class BatchSyncTests extends SpringTests {

    static final JsonMapper JSON = JsonMapper.builder().build();

    @Autowired
    LeadSync sync;
    @Autowired
    CircuitBreaker circuit;
    @Autowired
    HubSpotCrm crm;
    @Autowired
    CrmProperties properties;
    @Autowired
    Clock clock;

    String run;

    @BeforeEach
    void freshRun() {
        run = UUID.randomUUID().toString().substring(0, 8);
        hubspot.resetFaults();
    }

    @AfterEach
    void healthyAgain() {
        hubspot.resetFaults();
        circuit.reset();
    }
}
