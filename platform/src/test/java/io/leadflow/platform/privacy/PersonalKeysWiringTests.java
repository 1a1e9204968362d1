package io.leadflow.platform.privacy;

import io.leadflow.avro.AlertField;
import io.leadflow.avro.AlertKind;
import io.leadflow.avro.RepAlert;
import io.leadflow.schemas.Topics;
import io.leadflow.testing.KafkaBrokers;
import io.leadflow.testing.WithKafkaBroker;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import io.micrometer.core.instrument.Metrics;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * With {@code LEADFLOW_PRIVACY_KEY} set, a service's own template and listener encrypt and decrypt personal fields
 * without any code of its own: the topic holds ciphertext, the listener gets the alert as it was sent, and after the
 * person's keys are shredded a replayed copy is skipped and counted, not dead-lettered.
 */
@WithKafkaBroker
@SpringBootTest(properties = {
        "spring.application.name=wiring-test",
        "LEADFLOW_PRIVACY_KEY=personal-keys-wiring-tests-secret-0123456789",
        "spring.kafka.consumer.group-id=platform-personal-keys-wiring",
        "spring.kafka.consumer.auto-offset-reset=earliest",
        "spring.kafka.consumer.value-deserializer=org.springframework.kafka.support.serializer.ErrorHandlingDeserializer",
        "spring.kafka.consumer.properties.spring.deserializer.value.delegate.class=io.leadflow.schemas.serde.AvroDeserializer",
        "spring.kafka.consumer.properties.specific.avro.reader=true",
        "spring.kafka.producer.value-serializer=io.leadflow.schemas.serde.AvroSerializer",
        "spring.kafka.properties.schema.registry.url=mock://platform-personal-keys-wiring"})
class PersonalKeysWiringTests {

    @DynamicPropertySource
    static void kafka(DynamicPropertyRegistry registry) {
        registry.add("spring.kafka.bootstrap-servers", () -> KafkaBrokers.shared().bootstrapServers());
    }

    @SpringBootApplication
    static class App {
        final List<RepAlert> received = new CopyOnWriteArrayList<>();

        @KafkaListener(topics = "rep.alerts")
        void on(RepAlert alert) {
            received.add(alert);
        }
    }

    @Autowired
    App app;

    @Autowired
    KafkaTemplate<String, Object> template;

    @Autowired
    PersonalKeys keys;

    @Test
    void theTopicHoldsCiphertextTheListenerTheAlertAndAfterTheShredNothing() throws Exception {
        String email = "wiring-" + UUID.randomUUID() + "@acme.com";
        RepAlert alert = RepAlert.newBuilder().setAlertId(UUID.randomUUID().toString()).setRepId("ada").setKind(AlertKind.NEW_LEAD)
                .setTitle("New lead: Jane Wiring").setFields(List.of(new AlertField("Contact", "Jane Wiring <" + email + ">")))
                .setCreatedAt(Instant.parse("2026-03-02T09:30:00Z")).build();

        template.send(Topics.REP_ALERTS.name(), alert.getAlertId(), alert).get();

        await().atMost(Duration.ofSeconds(30)).until(() -> app.received.contains(alert));
        byte[] written = raw(alert.getAlertId());
        String text = new String(written, StandardCharsets.UTF_8);
        assertThat(text).doesNotContain(email).doesNotContain("Jane Wiring").contains("lfx1:");

        assertThat(keys.shred(new Subjects("personal-keys-wiring-tests-secret-0123456789").of(email), Instant.now().plusSeconds(1))).isEqualTo(1);
        try (var replay = new KafkaProducer<>(Map.<String, Object>of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBrokers.shared().bootstrapServers()),
                new StringSerializer(), new ByteArraySerializer())) {
            replay.send(new ProducerRecord<>(Topics.REP_ALERTS.name(), alert.getAlertId(), written)).get();
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> skipped() >= 1);
        assertThat(app.received).as("the replayed copy of an erased person is skipped").containsExactly(alert);
    }

    private static double skipped() {
        var counter = Metrics.globalRegistry.find("leadflow.privacy.skipped").tags("service", "wiring-test", "topic", "rep.alerts").counter();
        return counter == null ? 0 : counter.count();
    }

    private static byte[] raw(String key) {
        try (var consumer = new KafkaConsumer<>(Map.<String, Object>of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBrokers.shared().bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "raw-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(Topics.REP_ALERTS.name()));
            List<byte[]> values = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (key.equals(new String(r.key(), StandardCharsets.UTF_8))) {
                        values.add(r.value());
                    }
                }
                return !values.isEmpty();
            });
            return values.get(0);
        }
    }
}
