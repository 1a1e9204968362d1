package io.leadflow.localstack.console;

import io.leadflow.avro.LeadRouted;
import io.leadflow.avro.RoutingFlag;
import io.leadflow.avro.RoutingReason;
import io.leadflow.schemas.Topic;
import io.leadflow.schemas.Topics;
import io.leadflow.schemas.serde.AvroDeserializer;
import io.leadflow.schemas.serde.AvroSerdeConfig;
import io.leadflow.schemas.serde.FieldCipher;
import io.leadflow.schemas.serde.PersonalFields;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupListing;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * What the console reads from Kafka: recent routed leads (a background reader of {@code leads.routed}
 * from the beginning, without a consumer group), end offsets and consumer-group lag per topic, the
 * records of each dead-letter topic, and replaying a dead letter's exact bytes to its original topic.
 */
public final class KafkaView implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(KafkaView.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int RECENT_LEADS = 200;

    private final String bootstrapServers;
    private final Admin admin;
    private final KafkaProducer<byte[], byte[]> producer;
    private final Map<String, Object> consumerBase;
    private final FieldCipher keys;
    private final LinkedHashMap<String, LeadRouted> recentLeads = new LinkedHashMap<>();
    private final Thread leadsReader;
    private volatile KafkaConsumer<String, LeadRouted> leadsConsumer;
    private volatile boolean running = true;

    /**
     * @param keys opens the personal fields for display (null: they are shown as they are on Kafka). The view keeps the
     *             leads as Kafka has them, encrypted, and decrypts only what it shows, so an erased person's lead shows
     *             no email as soon as their keys are deleted.
     */
    public KafkaView(String bootstrapServers, String registryUrl, FieldCipher keys) {
        this.keys = keys;
        this.bootstrapServers = bootstrapServers;
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.CLIENT_ID_CONFIG, "leadflow-console",
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000));
        this.producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.CLIENT_ID_CONFIG, "leadflow-console-replay",
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true), new ByteArraySerializer(), new ByteArraySerializer());
        this.consumerBase = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                AvroSerdeConfig.SCHEMA_REGISTRY_URL, registryUrl,
                AvroSerdeConfig.SPECIFIC_AVRO_READER, true);
        this.leadsReader = new Thread(this::readLeads, "console-leads-reader");
        this.leadsReader.setDaemon(true);
        this.leadsReader.start();
    }

    private void readLeads() {
        Map<String, Object> config = new LinkedHashMap<>(consumerBase);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "leadflow-console-leads");
        AvroDeserializer<LeadRouted> values = new AvroDeserializer<>();
        values.configure(config, false);
        try (KafkaConsumer<String, LeadRouted> consumer = new KafkaConsumer<>(config,
                new org.apache.kafka.common.serialization.StringDeserializer(), values)) {
            leadsConsumer = consumer;
            List<TopicPartition> partitions = partitions(Topics.LEADS_ROUTED);
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (running) {
                ConsumerRecords<String, LeadRouted> records;
                try {
                    records = consumer.poll(Duration.ofMillis(500));
                } catch (WakeupException e) {
                    break;
                } catch (org.apache.kafka.common.errors.RecordDeserializationException e) {
                    log.warn("Console skips an unreadable leads.routed record at {} offset {}: {}", e.topicPartition(), e.offset(), e.getMessage());
                    consumer.seek(e.topicPartition(), e.offset() + 1);
                    continue;
                }
                synchronized (recentLeads) {
                    for (ConsumerRecord<String, LeadRouted> record : records) {
                        if (record.value() != null) {
                            recentLeads.remove(record.key());
                            recentLeads.put(record.key(), record.value());
                        }
                    }
                    while (recentLeads.size() > RECENT_LEADS) {
                        recentLeads.remove(recentLeads.keySet().iterator().next());
                    }
                }
            }
        } catch (RuntimeException e) {
            if (running) {
                log.error("Console stopped reading leads.routed", e);
            }
        }
    }

    private List<TopicPartition> partitions(Topic<?> topic) {
        List<TopicPartition> partitions = new ArrayList<>();
        for (int p = 0; p < topic.partitions(); p++) {
            partitions.add(new TopicPartition(topic.name(), p));
        }
        return partitions;
    }

    /** Routed leads, newest first. */
    public ArrayNode leads() {
        List<LeadRouted> leads;
        synchronized (recentLeads) {
            leads = new ArrayList<>(recentLeads.values());
        }
        leads.sort((a, b) -> b.getRoutedAt().compareTo(a.getRoutedAt()));
        ArrayNode out = JSON.createArrayNode();
        for (LeadRouted routed : leads) {
            ObjectNode lead = out.addObject();
            lead.put("leadId", routed.getLeadId());
            lead.put("routedAt", routed.getRoutedAt().toString());
            lead.put("receivedAt", routed.getLead().getReceivedAt().toString());
            lead.put("source", routed.getLead().getSource().name());
            lead.put("company", Optional.ofNullable(routed.getLead().getContact().getCompanyName())
                    .orElse(Optional.ofNullable(routed.getLead().getContact().getCompanyDomain()).orElse("")));
            String stored = routed.getLead().getContact().getEmail();
            String email = keys == null ? stored : PersonalFields.readable(stored, keys);
            lead.put("email", email == null ? "(erased)" : email);
            lead.put("region", routed.getLead().getContact().getRegion().name());
            lead.put("planInterest", routed.getLead().getPlanInterest().name());
            lead.put("pipeline", routed.getPipeline().name());
            lead.put("plan", routed.getRecommendedPlan().name());
            lead.put("owner", routed.getOwner().getName());
            lead.put("ownerRepId", routed.getOwner().getRepId());
            ArrayNode reasons = lead.putArray("reasons");
            for (RoutingReason reason : routed.getReasons()) {
                reasons.add(reason.getExplanation());
            }
            ArrayNode flags = lead.putArray("flags");
            for (RoutingFlag flag : routed.getFlags()) {
                flags.add(flag.getExplanation());
            }
        }
        return out;
    }

    /** Per topic: end offset per partition and total, and each consumer group's lag on it. */
    public ArrayNode topics() throws Exception {
        List<String> names = new ArrayList<>(Topics.allNamesWithDeadLetters());
        names.add(Topics.SCHEMAS);
        Map<String, org.apache.kafka.clients.admin.TopicDescription> described = admin.describeTopics(names).allTopicNames()
                .get(10, TimeUnit.SECONDS);
        Map<TopicPartition, OffsetSpec> latest = new LinkedHashMap<>();
        described.values().forEach(d -> d.partitions().forEach(p -> latest.put(new TopicPartition(d.name(), p.partition()), OffsetSpec.latest())));
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS);
        Collection<ConsumerGroupListing> groups = admin.listConsumerGroups().all().get(10, TimeUnit.SECONDS);
        Map<String, Map<String, Long>> lagByTopic = new LinkedHashMap<>();
        for (ConsumerGroupListing group : groups) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group.groupId())
                    .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
            Map<String, Long> lagPerTopic = new LinkedHashMap<>();
            committed.forEach((tp, offset) -> {
                ListOffsetsResult.ListOffsetsResultInfo end = ends.get(tp);
                if (end != null && offset != null) {
                    lagPerTopic.merge(tp.topic(), Math.max(0, end.offset() - offset.offset()), Long::sum);
                }
            });
            lagPerTopic.forEach((topic, lag) -> lagByTopic.computeIfAbsent(topic, t -> new LinkedHashMap<>()).put(group.groupId(), lag));
        }
        ArrayNode out = JSON.createArrayNode();
        for (String name : names) {
            if (!described.containsKey(name)) {
                continue;
            }
            ObjectNode topic = out.addObject();
            topic.put("topic", name);
            topic.put("deadLetter", name.endsWith(Topic.DEAD_LETTER_SUFFIX));
            ArrayNode partitions = topic.putArray("endOffsets");
            long total = 0;
            for (var p : described.get(name).partitions()) {
                long end = ends.get(new TopicPartition(name, p.partition())).offset();
                partitions.add(end);
                total += end;
            }
            topic.put("records", total);
            ObjectNode lags = topic.putObject("lag");
            lagByTopic.getOrDefault(name, Map.of()).forEach(lags::put);
        }
        return out;
    }

    /** The last records of every dead-letter topic, with the error that sent them there. */
    public ArrayNode deadLetters(int perTopic) {
        ArrayNode out = JSON.createArrayNode();
        Map<String, Object> config = new LinkedHashMap<>(consumerBase);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "leadflow-console-dlt");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            for (Topic<?> topic : Topics.all()) {
                List<TopicPartition> partitions = new ArrayList<>();
                for (int p = 0; p < topic.partitions(); p++) {
                    partitions.add(new TopicPartition(topic.deadLetter(), p));
                }
                consumer.assign(partitions);
                Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, Duration.ofSeconds(5));
                Map<TopicPartition, Long> begins = consumer.beginningOffsets(partitions, Duration.ofSeconds(5));
                long remaining = 0;
                for (TopicPartition tp : partitions) {
                    long from = Math.max(begins.get(tp), ends.get(tp) - perTopic);
                    consumer.seek(tp, from);
                    remaining += ends.get(tp) - from;
                }
                ObjectNode node = out.addObject();
                node.put("topic", topic.deadLetter());
                node.put("originalTopic", topic.name());
                ArrayNode records = node.putArray("records");
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                while (remaining > 0 && System.nanoTime() < deadline) {
                    for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                        remaining--;
                        ObjectNode r = records.addObject();
                        r.put("partition", record.partition());
                        r.put("offset", record.offset());
                        r.put("timestamp", java.time.Instant.ofEpochMilli(record.timestamp()).toString());
                        r.put("key", record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8));
                        r.put("bytes", record.value() == null ? 0 : record.value().length);
                        r.put("error", header(record, "kafka_dlt-exception-message")
                                .orElse(header(record, "kafka_dlt-exception-cause-fqcn").orElse("")));
                        r.put("exception", header(record, "kafka_dlt-exception-fqcn").orElse(""));
                        r.put("originalOffset", header(record, "kafka_dlt-original-offset").orElse(""));
                        r.put("valuePrefixHex", record.value() == null ? ""
                                : HexFormat.of().formatHex(record.value(), 0, Math.min(16, record.value().length)));
                    }
                }
            }
        }
        return out;
    }

    private static Optional<String> header(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        if (header == null || header.value() == null) {
            return Optional.empty();
        }
        byte[] value = header.value();
        if (name.endsWith("offset") && value.length == 8) {
            return Optional.of(String.valueOf(java.nio.ByteBuffer.wrap(value).getLong()));
        }
        String text = new String(value, StandardCharsets.UTF_8);
        return Optional.of(text.length() > 500 ? text.substring(0, 500) + "…" : text);
    }

    /**
     * Publishes a dead letter's key, value and own headers (not the {@code kafka_dlt-*} ones), byte for byte,
     * to the topic it came from; the consumers then process it again.
     *
     * @return where the replayed record landed
     */
    public RecordMetadata replay(String deadLetterTopic, int partition, long offset) throws Exception {
        Topic<?> original = Topics.all().stream().filter(t -> t.deadLetter().equals(deadLetterTopic)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("topic: " + deadLetterTopic + " is not a dead-letter topic of the catalogue"));
        Map<String, Object> config = new LinkedHashMap<>(consumerBase);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "leadflow-console-replay");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            TopicPartition tp = new TopicPartition(deadLetterTopic, partition);
            consumer.assign(List.of(tp));
            consumer.seek(tp, offset);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.offset() == offset) {
                        ProducerRecord<byte[], byte[]> replay = new ProducerRecord<>(original.name(), null, record.key(), record.value());
                        for (Header header : record.headers()) {
                            if (!header.key().startsWith("kafka_dlt-")) {
                                replay.headers().add(header);
                            }
                        }
                        replay.headers().add("leadflow-replayed-from", (deadLetterTopic + "/" + partition + "/" + offset).getBytes(StandardCharsets.UTF_8));
                        return producer.send(replay).get(10, TimeUnit.SECONDS);
                    }
                    if (record.offset() > offset) {
                        throw new IllegalArgumentException("offset: " + offset + " no longer exists in " + deadLetterTopic + "-" + partition);
                    }
                }
            }
        }
        throw new IllegalArgumentException("offset: " + offset + " was not found in " + deadLetterTopic + "-" + partition);
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** Consumer groups known to the broker (for the status block). */
    public List<String> groups() throws Exception {
        return admin.listConsumerGroups().all().get(10, TimeUnit.SECONDS).stream().map(ConsumerGroupListing::groupId)
                .sorted().collect(Collectors.toList());
    }

    @Override
    public void close() {
        running = false;
        KafkaConsumer<String, LeadRouted> consumer = leadsConsumer;
        if (consumer != null) {
            consumer.wakeup();
        }
        try {
            leadsReader.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(Duration.ofSeconds(5));
        admin.close(Duration.ofSeconds(5));
    }
}
