package io.leadflow.routing.privacy;

import io.leadflow.avro.Contact;
import io.leadflow.avro.ErasureReport;
import io.leadflow.avro.ErasureRequested;
import io.leadflow.avro.ErasureStatus;
import io.leadflow.avro.LeadReceived;
import io.leadflow.platform.privacy.Subjects;
import io.leadflow.routing.Leads;
import io.leadflow.routing.RunningRoutingService;
import io.leadflow.schemas.Topics;
import io.leadflow.schemas.serde.AvroDeserializer;
import io.leadflow.schemas.serde.AvroSerializer;
import io.leadflow.testing.KafkaBrokers;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The erasure lane on the real broker with {@code exactly_once_v2}: the report comes out of the routing task's transaction
 * and the decision is gone from the API.
 */
class RoutingErasureOnBrokerTests extends RunningRoutingService {

    private static final Subjects SUBJECTS = new Subjects(PRIVACY_KEY);

    @LocalServerPort
    int port;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void anErasedPersonsDecisionIsGoneOnceRoutingReportsDone() throws Exception {
        String email = "erase-" + UUID.randomUUID() + "@lovelace.example";
        LeadReceived base = Leads.lead().build();
        LeadReceived lead = LeadReceived.newBuilder(base).setContact(Contact.newBuilder(base.getContact()).setEmail(email).build()).build();
        send(Topics.LEADS_RECEIVED.name(), lead.getLeadId(), lead);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300))
                .until(() -> decision(lead.getLeadId()).statusCode() == 200);
        String erasureId = UUID.randomUUID().toString();

        send(Topics.PRIVACY_ERASURES.name(), SUBJECTS.of(email), ErasureRequested.newBuilder().setErasureId(erasureId)
                .setSubject(SUBJECTS.of(email)).setEmail(email).setRequestedAt(Instant.now()).build());

        ErasureReport report = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> report(erasureId + ":routing-service state"), found -> found != null);
        assertThat(report.getStatus()).isEqualTo(ErasureStatus.DONE);
        assertThat(report.getDetail()).startsWith("1 decisions");
        assertThat(decision(lead.getLeadId()).statusCode()).isEqualTo(404);
    }

    private HttpResponse<String> decision(String leadId) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/routing/decisions/" + leadId))
                .header("Authorization", "Bearer " + TOKEN).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void send(String topic, String key, Object value) {
        Map<String, Object> config = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBrokers.shared().bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, AvroSerializer.class,
                "schema.registry.url", REGISTRY);
        try (KafkaProducer<String, Object> producer = new KafkaProducer<>(config)) {
            producer.send(new ProducerRecord<>(topic, key, value)).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The latest committed report under this key, or null. */
    private static ErasureReport report(String key) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBrokers.shared().bootstrapServers(),
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, AvroDeserializer.class,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                "specific.avro.reader", true,
                "schema.registry.url", REGISTRY);
        ErasureReport latest = null;
        try (KafkaConsumer<String, Object> consumer = new KafkaConsumer<>(config)) {
            List<TopicPartition> partitions = new ArrayList<>();
            consumer.partitionsFor(Topics.PRIVACY_ERASURE_REPORTS.name())
                    .forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                for (ConsumerRecord<String, Object> record : consumer.poll(Duration.ofMillis(200))) {
                    if (key.equals(record.key())) {
                        latest = (ErasureReport) record.value();
                    }
                }
            }
        }
        return latest;
    }
}
