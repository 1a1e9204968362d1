package io.leadflow.registry;

import io.leadflow.avro.Contact;
import io.leadflow.avro.LeadReceived;
import io.leadflow.avro.LeadSource;
import io.leadflow.avro.PlanInterest;
import io.leadflow.avro.Region;
import io.leadflow.schemas.LeadIds;
import io.leadflow.schemas.Topics;
import io.leadflow.schemas.serde.AvroDeserializer;
import io.leadflow.schemas.serde.AvroSerializer;
import io.leadflow.testing.KafkaBroker;
import io.leadflow.testing.WithKafkaBroker;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Our serde against our registry over HTTP and a real broker, on the default {@code _schemas} store topic. */
@WithKafkaBroker
class SchemaRegistryRoundTripTests {

    @Test
    void aLeadSerializedAgainstTheServerCrossesTheBrokerAndDecodesToAnEqualRecord(KafkaBroker broker) throws Exception {
        try (SchemaRegistryServer registry = SchemaRegistryServer.start(
                SchemaRegistryConfig.defaults(broker.bootstrapServers()).withHost("localhost").withPort(0))) {
            assertThat(registry.config().topic()).isEqualTo(Topics.SCHEMAS);
            LeadReceived lead = lead();
            String topic = Topics.LEADS_RECEIVED.name();

            RecordMetadata written;
            try (KafkaProducer<String, LeadReceived> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                    ProducerConfig.ACKS_CONFIG, "all",
                    ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                    ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, AvroSerializer.class,
                    "schema.registry.url", registry.url()))) {
                written = producer.send(new ProducerRecord<>(topic, lead.getLeadId(), lead)).get();
            }

            byte[] bytes = readOne(broker, new TopicPartition(topic, written.partition()), written.offset());
            AvroDeserializer<LeadReceived> deserializer = new AvroDeserializer<>();
            deserializer.configure(Map.of("schema.registry.url", registry.url(), "specific.avro.reader", "true"), false);
            LeadReceived decoded = deserializer.deserialize(topic, bytes);

            assertThat(decoded).isInstanceOf(LeadReceived.class).isEqualTo(lead);
            int assigned = new RegistryHttp(registry.url()).get("/subjects/" + Topics.LEADS_RECEIVED.valueSubject() + "/versions/latest")
                    .json().get("id").asInt();
            assertThat(bytes[0]).as("Confluent magic byte").isZero();
            assertThat(ByteBuffer.wrap(bytes, 1, 4).getInt()).as("schema id in the wire header").isEqualTo(assigned);
        }
    }

    private static byte[] readOne(KafkaBroker broker, TopicPartition partition, long offset) {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.assign(List.of(partition));
            consumer.seek(partition, offset);
            List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                return !records.isEmpty();
            });
            return records.get(0).value();
        }
    }

    private static LeadReceived lead() {
        String sourceEventId = "form-" + UUID.randomUUID();
        return LeadReceived.newBuilder()
                .setLeadId(LeadIds.leadId(LeadSource.WEBSITE_FORM.name(), sourceEventId))
                .setSource(LeadSource.WEBSITE_FORM)
                .setSourceEventId(sourceEventId)
                .setReceivedAt(Instant.now().truncatedTo(ChronoUnit.MILLIS))
                .setContact(Contact.newBuilder().setEmail("ada@example.com").setFirstName("Ada").setCompanyName("Example")
                        .setCompanyDomain("example.com").setCountry("GB").setRegion(Region.EU).build())
                .setPlanInterest(PlanInterest.SCALE)
                .setMonthlyEvents(60_000_000L)
                .build();
    }
}
