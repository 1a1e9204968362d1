package io.leadflow.notifier.deals;

import io.leadflow.avro.CrmSynced;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * Feeds {@link DealLinks} from {@code crm.synced}. Every notifier instance reads every partition from the start
 * (no consumer group of its own), because any instance may post the alert of any lead.
 */
@Component
class CrmSyncedListener {

    private final DealLinks links;

    CrmSyncedListener(DealLinks links) {
        this.links = links;
    }

    @KafkaListener(id = "rep-notifier-crm-synced", groupId = "rep-notifier-deal-links",
            topicPartitions = @org.springframework.kafka.annotation.TopicPartition(
                    topic = "#{T(io.leadflow.schemas.Topics).CRM_SYNCED.name()}",
                    partitions = "0-#{T(io.leadflow.schemas.Topics).CRM_SYNCED.partitions() - 1}",
                    partitionOffsets = @org.springframework.kafka.annotation.PartitionOffset(partition = "*", initialOffset = "0")))
    void onSynced(ConsumerRecord<String, CrmSynced> record) {
        links.synced(record.value());
    }
}
