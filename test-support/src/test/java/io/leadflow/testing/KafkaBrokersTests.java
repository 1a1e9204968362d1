package io.leadflow.testing;

import io.leadflow.avro.Contact;
import io.leadflow.avro.LeadReceived;
import io.leadflow.avro.LeadSource;
import io.leadflow.schemas.Topics;
import io.leadflow.schemas.serde.AvroDeserializer;
import io.leadflow.schemas.serde.AvroSerializer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

@WithKafkaBroker
class KafkaBrokersTests {

    @Test
    void brokerHasEveryCatalogueTopicAndItsDeadLetterTwin(KafkaBroker broker) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            Set<String> names = admin.listTopics().names().get();
            assertThat(names).containsAll(Topics.allNamesWithDeadLetters());
        }
    }

    @Test
    void avroRecordsRoundTripThroughTheBroker(KafkaBroker broker) {
        Map<String, Object> serde = Map.of("schema.registry.url", "mock://broker-round-trip", "specific.avro.reader", true);
        LeadReceived lead = LeadReceived.newBuilder()
                .setLeadId("lead-1").setSource(LeadSource.WEBSITE_FORM).setSourceEventId("sub-1")
                .setReceivedAt(Instant.parse("2026-01-05T10:00:00Z"))
                .setContact(Contact.newBuilder().setEmail("jane@acme.com").build())
                .build();
        try (var producer = new KafkaProducer<>(Map.<String, Object>of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
                new StringSerializer(), serializer(serde))) {
            producer.send(new ProducerRecord<>(Topics.LEADS_RECEIVED.name(), lead.getLeadId(), lead)).get();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        AvroDeserializer<LeadReceived> deserializer = new AvroDeserializer<>();
        deserializer.configure(serde, false);
        try (var consumer = new KafkaConsumer<>(Map.<String, Object>of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "round-trip",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), deserializer)) {
            consumer.subscribe(List.of(Topics.LEADS_RECEIVED.name()));
            LeadReceived received = null;
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (received == null && System.nanoTime() < deadline) {
                ConsumerRecords<String, LeadReceived> records = consumer.poll(Duration.ofMillis(500));
                for (var record : records) {
                    if (record.key().equals("lead-1")) {
                        received = record.value();
                    }
                }
            }
            assertThat(received).isEqualTo(lead);
        }
    }

    private static AvroSerializer<LeadReceived> serializer(Map<String, Object> config) {
        AvroSerializer<LeadReceived> serializer = new AvroSerializer<>();
        serializer.configure(config, false);
        return serializer;
    }
}
