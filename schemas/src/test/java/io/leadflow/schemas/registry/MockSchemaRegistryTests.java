package io.leadflow.schemas.registry;

import io.leadflow.avro.LeadReceived;
import io.leadflow.avro.RulesVersion;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The in-memory registry: scopes of their own subjects, one id space, as one registry serves a whole cluster. */
class MockSchemaRegistryTests {

    @Test
    void anIdNamesOneSchemaInEveryScopeSoARecordAnotherScopeWroteReadsRight() {
        MockSchemaRegistry one = MockSchemaRegistry.scope("mock://one-" + UUID.randomUUID());
        MockSchemaRegistry other = MockSchemaRegistry.scope("other-" + UUID.randomUUID());

        int rules = one.register("routing.rules-value", RulesVersion.getClassSchema());
        int lead = other.register("leads.received-value", LeadReceived.getClassSchema());

        assertThat(lead).as("each scope's first schema, yet different ids").isNotEqualTo(rules);
        assertThat(other.getById(rules)).isEqualTo(RulesVersion.getClassSchema());
        assertThat(one.getById(lead)).isEqualTo(LeadReceived.getClassSchema());
        assertThatThrownBy(() -> other.getLatest("routing.rules-value")).as("subjects stay the scope's own")
                .isInstanceOf(SchemaRegistryException.class);
        assertThatThrownBy(() -> one.getById(Integer.MAX_VALUE)).isInstanceOf(SchemaRegistryException.class);
    }
}
