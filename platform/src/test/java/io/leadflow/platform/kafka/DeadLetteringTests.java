package io.leadflow.platform.kafka;

import io.leadflow.avro.LeadReceived;
import io.leadflow.schemas.Topics;
import io.leadflow.testing.KafkaBrokers;
import io.leadflow.testing.WithKafkaBroker;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A service built on platform sends poison records to the topic's .dlt, bytes untouched, and reports the broker healthy. */
@WithKafkaBroker
@SpringBootTest(properties = {
        "spring.kafka.consumer.group-id=platform-dead-lettering",
        "spring.kafka.consumer.auto-offset-reset=earliest",
        "spring.kafka.consumer.value-deserializer=org.springframework.kafka.support.serializer.ErrorHandlingDeserializer",
        "spring.kafka.consumer.properties.spring.deserializer.value.delegate.class=io.leadflow.schemas.serde.AvroDeserializer",
        "spring.kafka.consumer.properties.specific.avro.reader=true",
        "spring.kafka.producer.value-serializer=io.leadflow.schemas.serde.AvroSerializer",
        "spring.kafka.properties.schema.registry.url=mock://platform-dead-lettering"})
class DeadLetteringTests {

    @DynamicPropertySource
    static void kafka(DynamicPropertyRegistry registry) {
        registry.add("spring.kafka.bootstrap-servers", () -> KafkaBrokers.shared().bootstrapServers());
    }

    @SpringBootApplication
    static class App {
        final List<LeadReceived> received = new ArrayList<>();

        @KafkaListener(topics = "leads.received")
        void on(LeadReceived lead) {
            received.add(lead);
        }
    }

    @Autowired
    KafkaHealthIndicator health;

    @Test
    void poisonBytesGoToTheDeadLetterTopicWithTheReason() {
        byte[] poison = "{\"not\":\"avro\"}".getBytes(StandardCharsets.UTF_8);
        try (var producer = new KafkaProducer<>(Map.<String, Object>of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBrokers.shared().bootstrapServers()),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(Topics.LEADS_RECEIVED.name(), "poison-1".getBytes(), poison));
        }

        try (var consumer = new KafkaConsumer<>(Map.<String, Object>of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBrokers.shared().bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "dlt-reader",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(Topics.LEADS_RECEIVED.deadLetter()));
            List<ConsumerRecord<byte[], byte[]>> dead = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(dead::add);
                return dead.stream().anyMatch(r -> new String(r.key()).equals("poison-1"));
            });
            ConsumerRecord<byte[], byte[]> record = dead.stream().filter(r -> new String(r.key()).equals("poison-1")).findFirst().orElseThrow();
            assertThat(record.value()).isEqualTo(poison);
            assertThat(new String(record.headers().lastHeader(KafkaHeaders.DLT_ORIGINAL_TOPIC).value())).isEqualTo("leads.received");
            assertThat(new String(record.headers().lastHeader(KafkaHeaders.DLT_EXCEPTION_STACKTRACE).value()))
                    .contains("Record on topic leads.received starts with byte 123, not the Confluent wire-format magic byte 0");
        }
    }

    @Test
    void healthAsksTheBroker() {
        assertThat(health.health(true).getStatus()).isEqualTo(Status.UP);
    }
}
