package io.leadflow.schemas.serde;

import io.leadflow.avro.DealStageChanged;
import io.leadflow.schemas.registry.MockSchemaRegistry;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Arrays;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MalformedBytesTests {

    private static final String TOPIC = "deals.stage-changed";
    private final MockSchemaRegistry registry = MockSchemaRegistry.scope("malformed-bytes");
    private final AvroDeserializer<DealStageChanged> deserializer = new AvroDeserializer<>(registry, DealStageChanged.class);

    private byte[] validBytes() {
        DealStageChanged record = DealStageChanged.newBuilder().setEventId(7).setPortalId(1).setDealId("d-1")
                .setStageId("s").setOccurredAt(Instant.EPOCH).setSubscriptionType("deal.creation").build();
        return new AvroSerializer<DealStageChanged>(registry, Map.of()).serialize(TOPIC, record);
    }

    @Test
    void rejectsAWrongMagicByteNamingTheTopic() {
        byte[] bytes = validBytes();
        bytes[0] = 1;

        assertThatThrownBy(() -> deserializer.deserialize(TOPIC, bytes))
                .isInstanceOf(SerializationException.class).hasMessageContaining(TOPIC).hasMessageContaining("magic byte");
    }

    @Test
    void rejectsAnUnknownSchemaId() {
        byte[] bytes = validBytes();
        bytes[1] = 0x7f;

        assertThatThrownBy(() -> deserializer.deserialize(TOPIC, bytes))
                .isInstanceOf(SerializationException.class).hasMessageContaining(TOPIC).hasMessageContaining("schema id");
    }

    @Test
    void rejectsATruncatedPayload() {
        byte[] bytes = validBytes();
        byte[] truncated = Arrays.copyOf(bytes, bytes.length - 4);

        assertThatThrownBy(() -> deserializer.deserialize(TOPIC, truncated))
                .isInstanceOf(SerializationException.class).hasMessageContaining(TOPIC);
    }

    @Test
    void rejectsBytesShorterThanTheHeader() {
        assertThatThrownBy(() -> deserializer.deserialize(TOPIC, new byte[] {0, 0, 1}))
                .isInstanceOf(SerializationException.class).hasMessageContaining(TOPIC).hasMessageContaining("header");
    }

    @Test
    void rejectsPlainJsonSentToAnAvroTopic() {
        byte[] json = "{\"dealId\":\"d-1\"}".getBytes();

        assertThatThrownBy(() -> deserializer.deserialize(TOPIC, json))
                .isInstanceOf(SerializationException.class).hasMessageContaining(TOPIC);
    }
}
