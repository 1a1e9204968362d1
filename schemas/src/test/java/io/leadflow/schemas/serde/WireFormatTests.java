package io.leadflow.schemas.serde;

import io.leadflow.avro.DealStageChanged;
import io.leadflow.schemas.registry.RegisteredSchema;
import io.leadflow.schemas.registry.SchemaRegistryClient;
import org.apache.avro.Schema;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The exact bytes of Confluent's wire format for a fixed record and a fixed schema id. */
class WireFormatTests {

    /** A registry that always answers id 42, so the header is known in advance. */
    private static final SchemaRegistryClient ID_42 = registryAnswering(42);

    private static SchemaRegistryClient registryAnswering(int id) {
        return new SchemaRegistryClient() {
            @Override
            public int register(String subject, Schema schema) {
                return id;
            }

            @Override
            public int getId(String subject, Schema schema) {
                return id;
            }

            @Override
            public Schema getById(int ignored) {
                return DealStageChanged.getClassSchema();
            }

            @Override
            public RegisteredSchema getLatest(String subject) {
                return new RegisteredSchema(subject, 1, id, DealStageChanged.getClassSchema());
            }

            @Override
            public boolean isCompatible(String subject, Schema schema) {
                return true;
            }
        };
    }

    private static final DealStageChanged RECORD = DealStageChanged.newBuilder()
            .setEventId(1)
            .setPortalId(62515)
            .setDealId("42")
            .setPipelineId("default")
            .setStageId("trial")
            .setPreviousStageId(null)
            .setOccurredAt(Instant.ofEpochMilli(1000))
            .setSubscriptionType("deal.creation")
            .build();

    private static final String EXPECTED = String.join("",
            "00", "0000002a",                          // magic byte, schema id 42 big-endian
            "02",                                      // eventId 1 (zig-zag varint)
            "e6d007",                                  // portalId 62515
            "04", "3432",                              // dealId "42"
            "02", "0e", "64656661756c74",              // pipelineId: union branch 1, "default"
            "0a", "747269616c",                        // stageId "trial"
            "00",                                      // previousStageId: union branch 0 (null)
            "d00f",                                    // occurredAt 1000 ms
            "1a", "6465616c2e6372656174696f6e");       // subscriptionType "deal.creation"

    @Test
    void serializesToConfluentWireFormatByteForByte() {
        AvroSerializer<DealStageChanged> serializer = new AvroSerializer<>(ID_42, Map.of());

        byte[] bytes = serializer.serialize("deals.stage-changed", RECORD);

        assertThat(HexFormat.of().formatHex(bytes)).isEqualTo(EXPECTED);
    }

    /** The serializer keeps a buffer per thread: a large record before a small one leaves nothing of itself behind. */
    @Test
    void aRecordSerializedAfterALargerOneOnTheSameThreadIsExactlyItsOwnBytes() {
        AvroSerializer<DealStageChanged> serializer = new AvroSerializer<>(ID_42, Map.of());
        DealStageChanged large = DealStageChanged.newBuilder(RECORD).setStageId("s".repeat(50_000)).build();

        byte[] largeBytes = serializer.serialize("deals.stage-changed", large);
        byte[] bytes = serializer.serialize("deals.stage-changed", RECORD);

        assertThat(HexFormat.of().formatHex(bytes)).isEqualTo(EXPECTED);
        assertThat(new AvroDeserializer<>(ID_42, DealStageChanged.class).deserialize("deals.stage-changed", largeBytes)).isEqualTo(large);
    }

    /** A record that fails half-way leaves nothing in the thread's encoder for the next one. */
    @Test
    void aRecordSerializedAfterOneThatFailedHalfWayIsExactlyItsOwnBytes() {
        AvroSerializer<DealStageChanged> serializer = new AvroSerializer<>(ID_42, Map.of());
        DealStageChanged broken = DealStageChanged.newBuilder(RECORD).build();
        broken.put("dealId", null); // not nullable: the writer fails after eventId and portalId

        assertThatThrownBy(() -> serializer.serialize("deals.stage-changed", broken)).isInstanceOf(SerializationException.class);
        byte[] bytes = serializer.serialize("deals.stage-changed", RECORD);

        assertThat(HexFormat.of().formatHex(bytes)).isEqualTo(EXPECTED);
    }

    @Test
    void theSchemaIdIsWrittenBigEndianInFourBytes() {
        AvroSerializer<DealStageChanged> serializer = new AvroSerializer<>(registryAnswering(0x01_02_83_F4), Map.of());

        byte[] bytes = serializer.serialize("deals.stage-changed", RECORD);

        assertThat(HexFormat.of().formatHex(bytes, 0, 5)).isEqualTo("00010283f4");
        assertThat(HexFormat.of().formatHex(bytes, 5, bytes.length)).isEqualTo(EXPECTED.substring(10));
    }

    @Test
    void deserializesTheSameBytesBackToTheRecord() {
        AvroDeserializer<DealStageChanged> deserializer = new AvroDeserializer<>(ID_42, DealStageChanged.class);

        DealStageChanged read = deserializer.deserialize("deals.stage-changed", HexFormat.of().parseHex(EXPECTED));

        assertThat(read).isEqualTo(RECORD);
    }
}
