package io.leadflow.notifier.privacy;

import io.leadflow.avro.AlertField;
import io.leadflow.avro.ErasureReport;
import io.leadflow.avro.ErasureRequested;
import io.leadflow.avro.RepAlert;
import io.leadflow.avro.ErasureStatus;
import io.leadflow.notifier.dedupe.KafkaSentLedger;
import io.leadflow.schemas.Topics;
import io.leadflow.schemas.serde.AvroDeserializer;
import io.leadflow.testing.KafkaBrokers;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.springframework.kafka.core.KafkaTemplate;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/** What the privacy tests share: a reader of one erasure's reports, the request, and an alert naming a person. */
final class ErasureReportsFeed implements AutoCloseable {

    private final KafkaConsumer<String, Object> consumer;
    private final String erasureId;
    private final List<ErasureReport> seen = new ArrayList<>();

    private ErasureReportsFeed(KafkaConsumer<String, Object> consumer, String erasureId) {
        this.consumer = consumer;
        this.erasureId = erasureId;
    }

    /** The erasure's reports from the topic's current end on: earlier tests' reports are theirs. */
    static ErasureReportsFeed fromNow(String registry, String erasureId) {
        KafkaConsumer<String, Object> consumer = consumer(registry, Map.of());
        List<TopicPartition> partitions = consumer.partitionsFor(Topics.PRIVACY_ERASURE_REPORTS.name(), Duration.ofSeconds(10)).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
        return new ErasureReportsFeed(consumer, erasureId);
    }

    /** The erasure's reports from the topic's beginning. */
    static ErasureReportsFeed fromStart(String registry, String erasureId) {
        KafkaConsumer<String, Object> consumer = consumer(registry, Map.of(
                ConsumerConfig.GROUP_ID_CONFIG, "erasure-reports-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"));
        consumer.subscribe(List.of(Topics.PRIVACY_ERASURE_REPORTS.name()));
        return new ErasureReportsFeed(consumer, erasureId);
    }

    /** Polls once; every report of the erasure seen so far, in order. */
    List<ErasureReport> poll() {
        consumer.poll(Duration.ofMillis(200)).forEach(r -> {
            if (r.value() instanceof ErasureReport report && report.getErasureId().equals(erasureId)) {
                seen.add(report);
            }
        });
        return seen;
    }

    /** The last status {@code system} reported so far, or null. */
    ErasureStatus last(String system) {
        ErasureStatus status = null;
        for (ErasureReport r : seen) {
            if (r.getSystem().equals(system)) {
                status = r.getStatus();
            }
        }
        return status;
    }

    /** Whether both rep-notifier systems have last reported DONE. */
    boolean bothDone() {
        return last("slack") == ErasureStatus.DONE && last("rep-notifier state") == ErasureStatus.DONE;
    }

    @Override
    public void close() {
        consumer.close();
    }

    static ErasureRequested request(String erasureId, String subject, String email) {
        return ErasureRequested.newBuilder().setErasureId(erasureId).setSubject(subject).setEmail(email)
                .setRequestedAt(Instant.now()).setCompletedAt(null).build();
    }

    /** The alert with {@code contact} in its Contact field, for {@code channel}. */
    static RepAlert about(RepAlert alert, String contact, String channel) {
        List<AlertField> fields = new ArrayList<>(alert.getFields());
        fields.replaceAll(f -> f.getLabel().equals("Contact") ? new AlertField("Contact", contact) : f);
        alert.setFields(fields);
        alert.setChannel(channel);
        return alert;
    }

    /**
     * Sends the alerts one by one, each only once the ledger has it SENT: alerts pending together for one channel would
     * be put into one digest message, as a busy machine showed.
     */
    static void postOneByOne(KafkaTemplate<Object, Object> kafka, KafkaSentLedger ledger, List<RepAlert> alerts) throws Exception {
        for (RepAlert alert : alerts) {
            kafka.send(Topics.REP_ALERTS.name(), alert.getRepId(), alert).get(10, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(20)).until(() ->
                    ledger.find(alert.getAlertId()).map(m -> m.getStatus().equals("SENT")).orElse(false));
        }
    }

    private static KafkaConsumer<String, Object> consumer(String registry, Map<String, Object> more) {
        Map<String, Object> config = new HashMap<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBrokers.shared().bootstrapServers(),
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, AvroDeserializer.class,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                "schema.registry.url", registry,
                "specific.avro.reader", true));
        config.putAll(more);
        return new KafkaConsumer<>(config);
    }
}
