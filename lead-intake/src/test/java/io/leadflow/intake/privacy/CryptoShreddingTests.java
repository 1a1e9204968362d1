package io.leadflow.intake.privacy;

import io.leadflow.avro.ErasureReport;
import io.leadflow.avro.ErasureStatus;
import io.leadflow.avro.LeadReceived;
import io.leadflow.intake.IntakeIntegrationTest;
import io.leadflow.intake.Webhooks;
import io.leadflow.platform.privacy.PersonalKeys;
import io.leadflow.platform.privacy.Subjects;
import io.leadflow.schemas.Topics;
import io.leadflow.schemas.registry.MockSchemaRegistry;
import io.leadflow.schemas.serde.AvroDeserializer;
import io.leadflow.schemas.serde.PersonErasedException;
import io.leadflow.testing.AvroTopics;
import io.leadflow.testing.KafkaBrokers;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Crypto-shredding with {@code LEADFLOW_PRIVACY_KEY} set, on a real broker: the lead's personal fields are on Kafka only
 * encrypted, the service reads them back, and once the erasure is complete the person's data keys are deleted, the
 * receipt says every copy is unreadable, and no topic of the broker (dead-letter twins and the keys topic included)
 * holds their email, names or message in any readable form.
 */
class CryptoShreddingTests extends IntakeIntegrationTest {

    private static final String ADMIN_TOKEN = "crypto-shredding-tests-admin-token";
    private static final String PRIVACY_KEY = "crypto-shredding-tests-privacy-key-of-32-bytes";

    @DynamicPropertySource
    static void adminAndPrivacy(DynamicPropertyRegistry registry) {
        registry.add("leadflow.admin.token", () -> ADMIN_TOKEN);
        registry.add("leadflow.privacy.key", () -> PRIVACY_KEY);
        registry.add("LEADFLOW_PRIVACY_KEY", () -> PRIVACY_KEY);
    }

    @Autowired
    ObjectMapper json;

    @Autowired
    PersonalKeys keys;

    @Test
    void afterTheErasureNoTopicHoldsThePersonReadablyAndTheReceiptSaysSoAtOnce() {
        String tag = UUID.randomUUID().toString().substring(0, 8);
        String email = "shred-" + tag + "@acme-analytics.example";
        String firstName = "Janeshred" + tag;
        String lastName = "Doeshred" + tag;
        String message = "We need SSO for our " + tag + " engineers";
        String form = """
                {"submissionId": "submission-%s", "email": "%s", "firstName": "%s", "lastName": "%s", "title": "Head of Data",
                 "company": "Acme Analytics", "country": "Germany", "planInterest": "enterprise", "monthlyEvents": "60m",
                 "message": "%s"}
                """.formatted(UUID.randomUUID(), email, firstName, lastName, message);
        String leadId = json.readTree(webhooks().website(form).body()).get("leadId").asString();

        byte[] received = rawValues(Set.of(Topics.LEADS_RECEIVED.name()), leadId).get(0);
        assertThat(new String(received, StandardCharsets.UTF_8)).doesNotContain(email, firstName, lastName, message).contains("lfx1:");
        LeadReceived read = readerWithKeys().deserialize(Topics.LEADS_RECEIVED.name(), received);
        assertThat(read.getContact().getEmail()).as("the service reads its own records").isEqualTo(email);
        assertThat(read.getMessage()).isEqualTo(message);
        assertThat(reader().deserialize(Topics.LEADS_RECEIVED.name(), received).getContact().getEmail())
                .as("a reader without the keys, as any Avro client").startsWith("lfx1:");

        String erasureId = json.readTree(post("{\"email\": \"" + email + "\"}").body()).get("erasureId").asString();
        JsonNode pending = receipt(erasureId);
        assertThat(line(pending, "kafka event topics").get("status").asString()).isEqualTo("pending");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(line(receipt(erasureId), "lead-intake state").get("status").asString()).isEqualTo("done"));
        for (String system : ErasureTests.OTHER_SYSTEMS) {
            AvroTopics.send(REGISTRY, Topics.PRIVACY_ERASURE_REPORTS.name(), erasureId + ":" + system, ErasureReport.newBuilder()
                    .setErasureId(erasureId).setSystem(system).setStatus(ErasureStatus.DONE).setDetail("done").setAttempts(1)
                    .setReportedAt(Instant.now()).build());
        }

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode done = receipt(erasureId);
            assertThat(done.get("status").asString()).isEqualTo("done");
            JsonNode topics = line(done, "kafka event topics");
            assertThat(topics.get("status").asString()).isEqualTo("done");
            assertThat(topics.get("detail").asString()).contains("unreadable", "data keys were deleted");
        });
        String subject = new Subjects(PRIVACY_KEY).of(email);
        assertThat(keys.keysBefore(subject, Instant.now().plusSeconds(60))).isEmpty();
        assertThatThrownBy(() -> readerWithKeys().deserialize(Topics.LEADS_RECEIVED.name(), received)).isInstanceOf(PersonErasedException.class);

        List<String> readable = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : everyRecordOfEveryTopic()) {
            for (byte[] bytes : new byte[][] {record.key(), record.value()}) {
                String text = bytes == null ? "" : new String(bytes, StandardCharsets.UTF_8);
                for (String value : List.of(email, firstName, lastName, message)) {
                    if (text.contains(value)) {
                        readable.add(record.topic() + "-" + record.partition() + "@" + record.offset() + " holds " + value);
                    }
                }
            }
        }
        assertThat(readable).isEmpty();
    }

    private static AvroDeserializer<LeadReceived> reader() {
        return new AvroDeserializer<>(MockSchemaRegistry.scope(REGISTRY), LeadReceived.class);
    }

    private AvroDeserializer<LeadReceived> readerWithKeys() {
        return reader().withCipher(keys);
    }

    /** Every record of every topic on the broker, raw, from the beginning of every partition. */
    private static List<ConsumerRecord<byte[], byte[]>> everyRecordOfEveryTopic() {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBrokers.shared().bootstrapServers()))) {
            return rawRecords(admin.listTopics().names().get());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<byte[]> rawValues(Set<String> topics, String key) {
        List<byte[]> values = new ArrayList<>();
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            rawRecords(topics).stream().filter(r -> r.key() != null && key.equals(new String(r.key(), StandardCharsets.UTF_8)))
                    .forEach(r -> values.add(r.value()));
            return !values.isEmpty();
        });
        return values;
    }

    private static List<ConsumerRecord<byte[], byte[]>> rawRecords(Set<String> topics) {
        try (var consumer = new KafkaConsumer<>(Map.<String, Object>of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBrokers.shared().bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted"), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : topics) {
                consumer.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                return partitions.stream().allMatch(tp -> consumer.position(tp) >= end.get(tp));
            });
            return records;
        }
    }

    private JsonNode receipt(String erasureId) {
        HttpResponse<String> response = Webhooks.send(HttpRequest.newBuilder(URI.create(webhooks().url("/privacy/erasures/" + erasureId)))
                .timeout(Duration.ofSeconds(15)).header("Authorization", "Bearer " + ADMIN_TOKEN).GET());
        assertThat(response.statusCode()).isEqualTo(200);
        return json.readTree(response.body());
    }

    private static JsonNode line(JsonNode receipt, String system) {
        for (JsonNode line : receipt.get("systems")) {
            if (line.get("system").asString().equals(system)) {
                return line;
            }
        }
        throw new AssertionError("no line for " + system + " in " + receipt);
    }

    private HttpResponse<String> post(String body) {
        return Webhooks.send(HttpRequest.newBuilder(URI.create(webhooks().url(ErasureController.PATH))).timeout(Duration.ofSeconds(15))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + ADMIN_TOKEN)
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }
}
