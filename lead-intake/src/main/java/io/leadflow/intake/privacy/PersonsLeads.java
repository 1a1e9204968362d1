package io.leadflow.intake.privacy;

import io.leadflow.avro.LeadReceived;
import io.leadflow.platform.privacy.Subjects;
import io.leadflow.schemas.Topics;
import io.leadflow.schemas.serde.AvroDeserializer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The leads lead-intake received from a person: every {@code leads.received} record (all partitions, as far back as the
 * topic keeps them, {@link io.leadflow.schemas.Topic#EVENT_RETENTION}) whose email names the erased subject. Leads are
 * named by their id everywhere else in intake's memory, so these ids are what it forgets.
 */
@Component
class PersonsLeads {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final Map<String, Object> config;

    PersonsLeads(KafkaProperties kafka) {
        Map<String, Object> built = new HashMap<>(kafka.buildConsumerProperties());
        built.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        built.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, AvroDeserializer.class);
        built.put("specific.avro.reader", true);
        built.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        built.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        built.remove(ConsumerConfig.GROUP_ID_CONFIG);
        built.put(ConsumerConfig.CLIENT_ID_CONFIG, "lead-intake-erasure-scan");
        this.config = Map.copyOf(built);
    }

    /** The ids of the leads received from the person {@code subject} names; throws when Kafka cannot be read in time. */
    Set<String> of(String subject, Subjects subjects) {
        Set<String> leadIds = new HashSet<>();
        try (KafkaConsumer<String, Object> consumer = new KafkaConsumer<>(config)) {
            List<PartitionInfo> infos = consumer.partitionsFor(Topics.LEADS_RECEIVED.name(), TIMEOUT);
            List<TopicPartition> partitions = infos.stream().map(i -> new TopicPartition(i.topic(), i.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, TIMEOUT);
            long until = System.nanoTime() + TIMEOUT.toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                if (System.nanoTime() > until) {
                    throw new IllegalStateException("leads.received could not be read to its end in " + TIMEOUT.toSeconds() + " s");
                }
                try {
                    for (ConsumerRecord<String, Object> record : consumer.poll(Duration.ofMillis(200))) {
                        if (record.value() instanceof LeadReceived lead && lead.getContact() != null
                                && subject.equals(subjects.of(lead.getContact().getEmail()))) {
                            leadIds.add(lead.getLeadId());
                        }
                    }
                } catch (RecordDeserializationException e) {
                    consumer.seek(e.topicPartition(), e.offset() + 1);
                }
            }
        }
        return leadIds;
    }
}
