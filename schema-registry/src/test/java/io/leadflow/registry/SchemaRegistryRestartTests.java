package io.leadflow.registry;

import io.leadflow.testing.KafkaBroker;
import io.leadflow.testing.WithKafkaBroker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static io.leadflow.registry.RegistryHttp.PROBE_NO_DEFAULT;
import static io.leadflow.registry.RegistryHttp.PROBE_V1;
import static io.leadflow.registry.RegistryHttp.PROBE_V2;
import static io.leadflow.registry.RegistryHttp.body;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@WithKafkaBroker
class SchemaRegistryRestartTests {

    @Test
    void aRestartedRegistryServesTheSameIdsSubjectsVersionsAndConfigs(KafkaBroker broker) {
        SchemaRegistryConfig config = config(broker, "_schemas-restart-" + UUID.randomUUID());
        int leadsV1;
        int leadsV2;
        int trials;
        try (SchemaRegistryServer first = SchemaRegistryServer.start(config)) {
            RegistryHttp http = new RegistryHttp(first.url());
            leadsV1 = http.post("/subjects/leads-value/versions", body(PROBE_V1)).json().get("id").asInt();
            leadsV2 = http.post("/subjects/leads-value/versions", body(PROBE_V2)).json().get("id").asInt();
            trials = http.post("/subjects/trials-value/versions", body(PROBE_NO_DEFAULT)).json().get("id").asInt();
            http.put("/config", "{\"compatibility\":\"FULL\"}");
            http.put("/config/trials-value", "{\"compatibility\":\"NONE\"}");
            http.post("/subjects/gone-value/versions", body(PROBE_V1));
            http.delete("/subjects/gone-value");
        }

        try (SchemaRegistryServer second = SchemaRegistryServer.start(config)) {
            RegistryHttp http = new RegistryHttp(second.url());

            assertThat(http.get("/subjects").json()).hasToString("[\"leads-value\",\"trials-value\"]");
            assertThat(http.get("/subjects?deleted=true").json()).hasToString("[\"gone-value\",\"leads-value\",\"trials-value\"]");
            assertThat(http.get("/subjects/leads-value/versions").json()).hasToString("[1,2]");
            assertThat(http.get("/subjects/leads-value/versions/1").json().get("id").asInt()).isEqualTo(leadsV1);
            assertThat(http.get("/subjects/leads-value/versions/latest").json().get("id").asInt()).isEqualTo(leadsV2);
            assertThat(http.get("/subjects/trials-value/versions/1").json().get("id").asInt()).isEqualTo(trials);
            assertThat(http.get("/schemas/ids/" + leadsV2).json().get("schema").asString()).contains("note");
            assertThat(http.get("/config").json()).hasToString("{\"compatibilityLevel\":\"FULL\"}");
            assertThat(http.get("/config/trials-value").json()).hasToString("{\"compatibilityLevel\":\"NONE\"}");
            assertThat(http.post("/subjects/leads-value/versions", body(PROBE_V2)).json().get("id").asInt())
                    .as("an existing schema keeps its id").isEqualTo(leadsV2);
            String fresh = "{\"type\":\"record\",\"name\":\"Fresh\",\"fields\":[{\"name\":\"a\",\"type\":\"long\"}]}";
            assertThat(http.post("/subjects/fresh-value/versions", body(fresh)).json().get("id").asInt())
                    .as("a new schema never reuses an id").isGreaterThan(Math.max(leadsV2, trials));
        }
    }

    @Test
    void theStoreTopicIsCompactedAndHoldsConfluentsRecordLayout(KafkaBroker broker) throws Exception {
        String topic = "_schemas-layout-" + UUID.randomUUID();
        int id;
        try (SchemaRegistryServer server = SchemaRegistryServer.start(config(broker, topic))) {
            RegistryHttp http = new RegistryHttp(server.url());
            id = http.post("/subjects/layout-value/versions", body(PROBE_V1)).json().get("id").asInt();
            http.put("/config/layout-value", "{\"compatibility\":\"FORWARD\"}");
            http.put("/config", "{\"compatibility\":\"NONE\"}");
        }

        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
            assertThat(admin.describeConfigs(List.of(resource)).all().get(10, TimeUnit.SECONDS).get(resource)
                    .get("cleanup.policy").value()).isEqualTo("compact");
            assertThat(admin.describeTopics(List.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS).get(topic).partitions()).hasSize(1);
        }
        List<ConsumerRecord<String, String>> records = readAll(broker, topic);
        assertThat(records).anySatisfy(r -> {
            assertThat(r.key()).isEqualTo("{\"keytype\":\"SCHEMA\",\"subject\":\"layout-value\",\"version\":1,\"magic\":1}");
            JsonNode value = RegistryHttp.JSON.readTree(r.value());
            assertThat(value.get("subject").asString()).isEqualTo("layout-value");
            assertThat(value.get("version").asInt()).isEqualTo(1);
            assertThat(value.get("id").asInt()).isEqualTo(id);
            assertThat(value.get("schema").asString()).contains("Probe");
            assertThat(value.get("deleted").asBoolean()).isFalse();
        });
        assertThat(records).anySatisfy(r -> {
            assertThat(r.key()).isEqualTo("{\"keytype\":\"CONFIG\",\"subject\":\"layout-value\",\"magic\":0}");
            assertThat(r.value()).isEqualTo("{\"compatibilityLevel\":\"FORWARD\"}");
        });
        assertThat(records).anySatisfy(r -> {
            assertThat(r.key()).isEqualTo("{\"keytype\":\"CONFIG\",\"magic\":0}");
            assertThat(r.value()).isEqualTo("{\"compatibilityLevel\":\"NONE\"}");
        });
        assertThat(records).anySatisfy(r -> {
            assertThat(r.key()).isEqualTo("{\"keytype\":\"NOOP\",\"magic\":0}");
            assertThat(r.value()).isNull();
        });
    }

    @Test
    void readsRecordsAConfluentRegistryWrote(KafkaBroker broker) {
        String topic = "_schemas-confluent-" + UUID.randomUUID();
        broker.createTopics(List.of(new NewTopic(topic, 1, (short) 1).configs(Map.of("cleanup.policy", "compact"))));
        try (KafkaProducer<String, String> producer = new KafkaProducer<String, String>(Map.of(
                "bootstrap.servers", broker.bootstrapServers()), new StringSerializer(),
                new StringSerializer())) {
            String schema = RegistryHttp.JSON.createObjectNode().put("s", PROBE_V1).get("s").toString();
            producer.send(new ProducerRecord<>(topic, 0,
                    "{\"keytype\":\"CONFIG\",\"subject\":null,\"magic\":0}", "{\"compatibilityLevel\":\"FORWARD\"}"));
            producer.send(new ProducerRecord<>(topic, 0,
                    "{\"keytype\":\"SCHEMA\",\"subject\":\"legacy-value\",\"version\":1,\"magic\":1}",
                    "{\"subject\":\"legacy-value\",\"version\":1,\"id\":41,\"schema\":" + schema + ",\"deleted\":false}"));
            producer.send(new ProducerRecord<>(topic, 0,
                    "{\"keytype\":\"MODE\",\"subject\":null,\"magic\":0}", "{\"mode\":\"READWRITE\"}"));
            producer.flush();
        }

        try (SchemaRegistryServer server = SchemaRegistryServer.start(config(broker, topic))) {
            RegistryHttp http = new RegistryHttp(server.url());

            assertThat(http.get("/config").json()).hasToString("{\"compatibilityLevel\":\"FORWARD\"}");
            assertThat(http.get("/subjects/legacy-value/versions/1").json().get("id").asInt()).isEqualTo(41);
            assertThat(http.post("/subjects/legacy-value/versions", body(PROBE_V1)).json().get("id").asInt()).isEqualTo(41);
            assertThat(http.post("/subjects/other-value/versions", body(PROBE_V2)).json().get("id").asInt()).isEqualTo(42);
        }
    }

    @Test
    void refusesAStoreTopicThatIsNotCompacted(KafkaBroker broker) {
        String topic = "_schemas-deleting-" + UUID.randomUUID();
        broker.createTopics(List.of(new NewTopic(topic, 1, (short) 1).configs(Map.of("cleanup.policy", "delete"))));

        assertThatThrownBy(() -> SchemaRegistryServer.start(config(broker, topic)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("cleanup.policy=delete").hasMessageContaining("compact");
    }

    private static SchemaRegistryConfig config(KafkaBroker broker, String topic) {
        return SchemaRegistryConfig.defaults(broker.bootstrapServers()).withTopic(topic).withHost("localhost").withPort(0);
    }

    private static List<ConsumerRecord<String, String>> readAll(KafkaBroker broker, String topic) {
        TopicPartition partition = new TopicPartition(topic, 0);
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()), new StringDeserializer(), new StringDeserializer())) {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            List<ConsumerRecord<String, String>> records = new ArrayList<>();
            while (consumer.position(partition) < end) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            return records;
        }
    }
}
