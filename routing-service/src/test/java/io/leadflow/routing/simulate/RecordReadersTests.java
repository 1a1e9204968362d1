package io.leadflow.routing.simulate;

import io.leadflow.avro.LeadReceived;
import io.leadflow.avro.LeadRouted;
import io.leadflow.avro.PlanInterest;
import io.leadflow.routing.decide.InMemoryRoutingState;
import io.leadflow.routing.decide.Router;
import io.leadflow.routing.rules.RulesLoader;
import io.leadflow.schemas.serde.AvroSerdeConfig;
import io.leadflow.schemas.serde.AvroSerializer;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.Map;
import java.util.UUID;

import static io.leadflow.routing.Leads.lead;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RecordReadersTests {

    private final String registry = "mock://record-readers-" + UUID.randomUUID();
    private final AvroSerializer<SpecificRecord> serializer = new AvroSerializer<>();
    private final RecordReaders readers;

    RecordReadersTests() {
        serializer.configure(Map.of("schema.registry.url", registry), false);
        readers = new RecordReaders(AvroSerdeConfig.from(Map.of("schema.registry.url", registry)).client());
    }

    @Test
    void aDecisionsSummaryHoldsWhatTheComparisonReadsAndItsDetailsTheWholeDecision() throws IOException {
        LeadReceived lead = lead().eu().interest(PlanInterest.SCALE).message("Any discount?").build();
        LeadRouted routed = new Router(RulesLoader.loadDefault()).decide(lead, lead.getReceivedAt(), new InMemoryRoutingState())
                .toLeadRouted(lead, lead.getReceivedAt());

        PastDecision summary = readers.decision(serializer.serialize("leads.routed", routed));

        PastDecision expected = PastDecision.of(routed);
        assertThat(summary).usingRecursiveComparison().ignoringFields("details").isEqualTo(expected);
        assertThat(summary.rules()).containsExactly("pipeline-default", "plan-default", "scale-eu");
        assertThat(summary.details().get()).isEqualTo(routed);
    }

    @Test
    void aLeadIsDecodedIntoTheObjectItIsGiven() throws IOException {
        LeadReceived first = lead().us().build();
        LeadReceived second = lead().eu().message("hello").build();

        LeadReceived reused = readers.lead(serializer.serialize("leads.received", first), null);
        LeadReceived again = readers.lead(serializer.serialize("leads.received", second), reused);

        assertThat(again).isSameAs(reused).isEqualTo(second);
    }

    @Test
    void bytesThatAreNotTheWireFormatAreRefused() {
        assertThatThrownBy(() -> readers.lead(new byte[] {1, 0, 0, 0, 1, 2}, null)).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> readers.decision(new byte[] {0, 0})).isInstanceOf(IOException.class);
    }
}
