package io.leadflow.routing.simulate;

import io.leadflow.avro.LeadReceived;
import io.leadflow.avro.LeadRouted;
import io.leadflow.routing.decide.InMemoryRoutingState;
import io.leadflow.routing.decide.Router;
import io.leadflow.routing.rules.RoutingRules;
import io.leadflow.routing.rules.RulesLoader;
import io.leadflow.schemas.Topics;
import io.leadflow.schemas.serde.AvroSerdeConfig;
import io.leadflow.schemas.serde.AvroSerializer;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.leadflow.routing.Leads.lead;
import static org.assertj.core.api.Assertions.assertThat;

/** The replay over a consumer: which records are read, in which order, and what happens to those it cannot use. */
class TopicReplayTests {

    private static final Instant T = Instant.parse("2026-03-02T09:00:00Z");
    private static final String LEADS = Topics.LEADS_RECEIVED.name();
    private static final String DECISIONS = Topics.LEADS_ROUTED.name();

    private final String registry = "mock://topic-replay-" + UUID.randomUUID();
    private final AvroSerializer<SpecificRecord> serializer = new AvroSerializer<>();
    private final MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("earliest");
    private final List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    private final Map<TopicPartition, Long> ends = new HashMap<>();

    TopicReplayTests() {
        serializer.configure(Map.of("schema.registry.url", registry), false);
    }

    @Test
    void partitionsAreMergedByReceiptThenOffsetEachKeepingItsOwnOrder() throws Exception {
        // partition 0 holds a lead received out of order (4 s before 3 s): Kafka's order within a partition stands
        LeadReceived at1 = lead().receivedAt(T.plusSeconds(1)).build();
        LeadReceived at4 = lead().receivedAt(T.plusSeconds(4)).build();
        LeadReceived at3 = lead().receivedAt(T.plusSeconds(3)).build();
        LeadReceived at2 = lead().receivedAt(T.plusSeconds(2)).build();
        LeadReceived at5 = lead().receivedAt(T.plusSeconds(5)).build();
        received(0, at1);
        received(0, at4);
        received(0, at3);
        received(1, at2);
        received(1, at5);
        Router before = new Router(RulesLoader.loadDefault());
        InMemoryRoutingState state = new InMemoryRoutingState();
        for (LeadReceived lead : List.of(at5, at3, at1, at2, at4)) { // decisions in an order of their own
            decision(0, before.decide(lead, lead.getReceivedAt(), state).toLeadRouted(lead, lead.getReceivedAt()));
        }

        SimulationReport report = replay(everyLeadToAna(), SimulationWindow.everything());

        assertThat(report.changes()).extracting(SimulationReport.ChangedLead::leadId).containsExactly(
                at1.getLeadId(), at2.getLeadId(), at4.getLeadId(), at3.getLeadId(), at5.getLeadId());
        assertThat(report.changed().total()).isEqualTo(5);
        assertThat(report.notDecidedBefore()).isZero();
        assertThat(report.input().decisionsRead()).isEqualTo(5);
    }

    @Test
    void recordsThatCannotBeReadAreCountedTombstonesSkippedAndNothingPastTheEndCapturedAtTheStartIsRead() throws Exception {
        LeadReceived first = lead().receivedAt(T).build();
        LeadReceived last = lead().receivedAt(T.plusSeconds(1)).build();
        received(0, first);
        raw(LEADS, 0, new byte[] {1, 2, 3});
        raw(LEADS, 0, null);
        received(0, last);
        raw(DECISIONS, 0, new byte[] {0, 0, 0});
        ends.put(new TopicPartition(LEADS, 0), 4L);
        ends.put(new TopicPartition(DECISIONS, 0), 1L);
        received(0, lead().receivedAt(T.plusSeconds(2)).build()); // written after the simulation started

        SimulationReport report = replay(RulesLoader.loadDefault(), SimulationWindow.everything());

        assertThat(report.input().leadsRead()).isEqualTo(2);
        assertThat(report.input().unreadable()).isEqualTo(2);
        assertThat(report.leadsExamined()).isEqualTo(2);
        assertThat(report.notDecidedBefore()).isEqualTo(2);
    }

    @Test
    void emptyTopicsGiveAnEmptyReport() throws Exception {
        SimulationReport report = replay(RulesLoader.loadDefault(), SimulationWindow.everything());

        assertThat(report.leadsExamined()).isZero();
        assertThat(report.input()).isEqualTo(new SimulationReport.Input(0, 0, 0, 0, 0, 0));
    }

    // ---- helpers ----

    private SimulationReport replay(RoutingRules candidate, SimulationWindow window) throws Exception {
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : List.of(LEADS, DECISIONS)) {
            List<PartitionInfo> infos = new ArrayList<>();
            for (int p = 0; p < 2; p++) {
                infos.add(new PartitionInfo(topic, p, Node.noNode(), new Node[0], new Node[0]));
                partitions.add(new TopicPartition(topic, p));
            }
            consumer.updatePartitions(topic, infos);
        }
        Map<TopicPartition, Long> beginnings = new HashMap<>();
        Map<TopicPartition, Long> endOffsets = new HashMap<>();
        partitions.forEach(partition -> {
            beginnings.put(partition, 0L);
            endOffsets.put(partition, ends.getOrDefault(partition,
                    records.stream().filter(r -> r.topic().equals(partition.topic()) && r.partition() == partition.partition()).count()));
        });
        consumer.updateBeginningOffsets(beginnings);
        consumer.updateEndOffsets(endOffsets);
        consumer.schedulePollTask(() -> records.forEach(consumer::addRecord));
        Simulation simulation = new Simulation(candidate, window, 200);
        new TopicReplay(consumer, new RecordReaders(AvroSerdeConfig.from(Map.of("schema.registry.url", registry)).client()),
                Duration.ofSeconds(30)).replay(window, simulation);
        return simulation.report();
    }

    private void received(int partition, LeadReceived lead) {
        raw(LEADS, partition, serializer.serialize(LEADS, lead));
    }

    private void decision(int partition, LeadRouted decision) {
        raw(DECISIONS, partition, serializer.serialize(DECISIONS, decision));
    }

    private void raw(String topic, int partition, byte[] value) {
        long offset = records.stream().filter(r -> r.topic().equals(topic) && r.partition() == partition).count();
        records.add(new ConsumerRecord<>(topic, partition, offset, null, value));
    }

    /** Rules that give every lead to one rep, so every lead changes owner and the list of changes shows the replay order. */
    private static RoutingRules everyLeadToAna() {
        return RulesLoader.parse("""
                version: ana-1
                reps: [{ id: ana, name: Ana, email: ana@example.com }]
                teams: { solo: [ana] }
                pipeline: { default: { pipeline: SELF_SERVE, because: Self-serve. } }
                plan: { highVolume: { monthlyEventsAtLeast: 10000000 }, default: { plan: CLOUD, because: Cloud. } }
                owners: { fallback: { team: solo, owner: { id: sales, name: Sales, email: sales@example.com } } }
                nextSteps: { SELF_SERVE: [Follow up.], HANDS_ON: [Kick off.] }
                """, "ana.yml");
    }
}
