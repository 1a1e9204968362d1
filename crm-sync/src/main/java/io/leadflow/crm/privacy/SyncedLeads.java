package io.leadflow.crm.privacy;

import io.leadflow.avro.CrmSynced;
import io.leadflow.schemas.Topics;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The leads crm-sync synced to given HubSpot contacts, from its own compacted {@code crm.synced} read whole (every
 * partition, the latest record per lead; a tombstone is a lead no longer synced). Erasures are rare and the topic holds
 * one small record per lead, so it is read afresh for each erasure.
 */
class SyncedLeads {

    private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);

    private final Supplier<Consumer<String, Object>> consumers;

    SyncedLeads(Supplier<Consumer<String, Object>> consumers) {
        this.consumers = consumers;
    }

    /** The ids of the leads whose latest {@code crm.synced} record names one of these contacts. */
    List<String> ofContacts(Set<String> contactIds) {
        Map<String, String> contactByLead = new HashMap<>();
        try (Consumer<String, Object> consumer = consumers.get()) {
            List<PartitionInfo> infos = consumer.partitionsFor(Topics.CRM_SYNCED.name(), Duration.ofSeconds(10));
            List<TopicPartition> partitions = new ArrayList<>();
            infos.forEach(info -> partitions.add(new TopicPartition(info.topic(), info.partition())));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("crm.synced not read within " + READ_TIMEOUT);
                }
                for (ConsumerRecord<String, Object> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.value() instanceof CrmSynced synced) {
                        if (synced.getContactId() != null) {
                            contactByLead.put(record.key(), synced.getContactId());
                        } else {
                            contactByLead.remove(record.key());
                        }
                    } else if (record.value() == null) {
                        contactByLead.remove(record.key());
                    }
                }
            }
        }
        return contactByLead.entrySet().stream().filter(e -> contactIds.contains(e.getValue())).map(Map.Entry::getKey).sorted().toList();
    }
}
