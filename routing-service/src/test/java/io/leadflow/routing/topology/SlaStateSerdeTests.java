package io.leadflow.routing.topology;

import io.leadflow.platform.streams.StateJson;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SlaStateSerdeTests {

    private static final String TOPIC = "leadflow-routing-routing-sla-changelog";

    private static final SlaState REASSIGNED = new SlaState("lead-1", "inbound", 2, SlaState.Status.WAITING, 1_000L, 2_000L, 3_000L, 1,
            List.of("ana", "ben"), null, null, null, true,
            List.of(new SlaState.Event(500L, "routed", 1, "ana", "SLA inbound, accept by 1970-01-01T00:00:01Z"),
                    new SlaState.Event(1_000L, "reassigned", 2, "ben", "Ana did not accept within 30 minutes — “late”")),
            List.of("activity-1", "reroute-2"));

    private final SlaStateSerde serde = new SlaStateSerde();

    @Test
    void writesAndReadsEveryFieldIncludingAbsentOnes() {
        SlaState accepted = new SlaState("lead-2", null, 1, SlaState.Status.ACCEPTED, 7L, null, null, 0, List.of("ana"), "ana", 9L,
                "slack", false, List.of(new SlaState.Event(9L, "accepted", 1, null, null)), List.of());

        for (SlaState state : List.of(REASSIGNED, accepted, REASSIGNED.breached())) {
            byte[] bytes = serde.serializer().serialize(TOPIC, state);

            assertThat(bytes[0]).isEqualTo(SlaStateSerde.FORMAT);
            assertThat(serde.deserializer().deserialize(TOPIC, bytes)).isEqualTo(state);
        }
        assertThat(serde.serializer().serialize(TOPIC, null)).isNull();
        assertThat(serde.deserializer().deserialize(TOPIC, null)).isNull();
    }

    @Test
    void isSmallerThanTheJsonItReplaces() {
        byte[] binary = serde.serializer().serialize(TOPIC, REASSIGNED);
        byte[] json = StateJson.serde(SlaState.class).serializer().serialize(TOPIC, REASSIGNED);

        assertThat(binary.length).isLessThan(json.length * 3 / 4);
    }

    @Test
    void readsTheJsonThatEarlierReleasesKeptInTheStoreAndItsChangelog() {
        // as the JSON serde wrote it, field for field
        String stored = "{\"leadId\":\"lead-1\",\"policy\":\"inbound\",\"version\":2,\"status\":\"WAITING\",\"clockStartedAt\":1000,"
                + "\"remindAt\":2000,\"acceptBy\":3000,\"reassignments\":1,\"heldBy\":[\"ana\",\"ben\"],\"acceptedBy\":null,"
                + "\"acceptedAt\":null,\"acceptedVia\":null,\"credited\":true,\"history\":["
                + "{\"at\":500,\"event\":\"routed\",\"version\":1,\"repId\":\"ana\",\"detail\":\"SLA inbound, accept by 1970-01-01T00:00:01Z\"},"
                + "{\"at\":1000,\"event\":\"reassigned\",\"version\":2,\"repId\":\"ben\",\"detail\":\"Ana did not accept within 30 minutes — “late”\"}],"
                + "\"seen\":[\"activity-1\",\"reroute-2\"]}";

        assertThat(serde.deserializer().deserialize(TOPIC, stored.getBytes(StandardCharsets.UTF_8))).isEqualTo(REASSIGNED);
        assertThat(serde.deserializer().deserialize(TOPIC, StateJson.serde(SlaState.class).serializer().serialize(TOPIC, REASSIGNED)))
                .isEqualTo(REASSIGNED);
    }

    @Test
    void refusesBytesItDidNotWriteInsteadOfInventingAState() {
        byte[] bytes = serde.serializer().serialize(TOPIC, REASSIGNED);

        assertThatThrownBy(() -> serde.deserializer().deserialize(TOPIC, new byte[0])).isInstanceOf(SerializationException.class);
        assertThatThrownBy(() -> serde.deserializer().deserialize(TOPIC, new byte[]{9, 0, 0})).isInstanceOf(SerializationException.class);
        for (int cut = 1; cut < bytes.length; cut++) {
            byte[] truncated = Arrays.copyOf(bytes, cut);
            assertThatThrownBy(() -> serde.deserializer().deserialize(TOPIC, truncated)).as("cut at %d", cut)
                    .isInstanceOf(SerializationException.class);
        }
    }

    @Test
    void roundTripsRandomStates() {
        SplittableRandom random = new SplittableRandom(20261130L);
        for (int i = 0; i < 500; i++) {
            SlaState state = randomState(random);

            assertThat(serde.deserializer().deserialize(TOPIC, serde.serializer().serialize(TOPIC, state))).as("seed run %d", i).isEqualTo(state);
        }
    }

    private static SlaState randomState(SplittableRandom random) {
        List<SlaState.Event> history = new ArrayList<>();
        for (int e = random.nextInt(6); e > 0; e--) {
            history.add(new SlaState.Event(random.nextLong(0, Long.MAX_VALUE), text(random), random.nextInt(), text(random), text(random)));
        }
        List<String> held = new ArrayList<>();
        for (int h = random.nextInt(4); h > 0; h--) {
            held.add("rep-" + random.nextInt(1000));
        }
        SlaState.Status[] statuses = SlaState.Status.values();
        return new SlaState(text(random), text(random), random.nextInt(), statuses[random.nextInt(statuses.length)], random.nextLong(),
                random.nextBoolean() ? null : random.nextLong(), random.nextBoolean() ? null : random.nextLong(), random.nextInt(100), held,
                text(random), random.nextBoolean() ? null : random.nextLong(), text(random), random.nextBoolean(), history,
                random.nextBoolean() ? List.of() : List.of("activity-" + random.nextInt(), "Zoë 😀"));
    }

    /** Null, empty, ASCII or text with characters beyond the BMP. */
    private static String text(SplittableRandom random) {
        return switch (random.nextInt(4)) {
            case 0 -> null;
            case 1 -> "";
            case 2 -> "rep-" + random.nextInt(1000);
            default -> "Zoë 😀 " + random.nextLong();
        };
    }
}
