package io.leadflow.routing.topology;

import io.leadflow.avro.RulesVersion;
import io.leadflow.schemas.Topics;
import io.leadflow.schemas.serde.AvroDeserializer;
import io.leadflow.schemas.serde.AvroSerdeConfig;
import io.leadflow.schemas.serde.AvroSerializer;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

import java.util.HashMap;
import java.util.Map;

/**
 * The routing lane's values: leads and published rules versions in one repartition topic, in Confluent's wire format.
 * A lead is written under the lane's own subject, as before (so lane records written before rules joined the lane still
 * read); a rules version under {@code routing.rules}' subject, where its schema is registered already. The schema id in
 * each record says which generated class it is read into.
 */
final class LaneSerde implements Serde<SpecificRecord> {

    private final AvroSerializer<SpecificRecord> serializer = new AvroSerializer<>();
    private final AvroDeserializer<SpecificRecord> deserializer = new AvroDeserializer<>();

    LaneSerde(Map<String, ?> configs) {
        Map<String, Object> specific = new HashMap<>(configs);
        specific.put(AvroSerdeConfig.SPECIFIC_AVRO_READER, true);
        serializer.configure(specific, false);
        deserializer.configure(specific, false);
    }

    @Override
    public Serializer<SpecificRecord> serializer() {
        return (topic, value) -> serializer.serialize(value instanceof RulesVersion ? Topics.ROUTING_RULES.name() : topic, value);
    }

    @Override
    public Deserializer<SpecificRecord> deserializer() {
        return deserializer;
    }
}
