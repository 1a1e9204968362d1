package io.leadflow.crm.sync;

import io.leadflow.avro.CrmSynced;
import io.leadflow.schemas.Topics;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * What crm-sync has already synced, read back from its own compacted {@code crm.synced}: per lead, its HubSpot ids and
 * the decision version HubSpot reflects. {@code crm.synced} is keyed by leadId with as many partitions as the topics it
 * follows ({@code leads.routed}, {@code leads.activity}), so partition {@code p} of them is covered by partition {@code p}
 * of {@code crm.synced}: a partition is read to its end before the first record of that partition is synced, and again
 * after it was revoked and assigned anew (another instance may have synced it meanwhile). What this instance syncs is
 * added as it goes, before its {@code crm.synced} record is acknowledged: HubSpot has it by then.
 */
final class SyncLedger {

    private static final Logger log = LoggerFactory.getLogger(SyncLedger.class);

    private static final Duration READ_BACK_TIMEOUT = Duration.ofSeconds(60);

    private final Map<String, CrmSynced> synced = new ConcurrentHashMap<>();
    private final Set<Integer> loaded = ConcurrentHashMap.newKeySet();
    private final Supplier<Consumer<String, CrmSynced>> consumers;

    /** @param consumers a consumer without a group, reading {@code read_committed}; null: nothing to read back (tests) */
    SyncLedger(Supplier<Consumer<String, CrmSynced>> consumers) {
        this.consumers = consumers;
    }

    /** Reads back the partitions of {@code crm.synced} not read since they were assigned. */
    void ensureLoaded(Collection<Integer> partitions) {
        List<Integer> missing = partitions.stream().distinct().filter(p -> !loaded.contains(p)).toList();
        if (missing.isEmpty() || consumers == null) {
            loaded.addAll(missing);
            return;
        }
        long started = System.nanoTime();
        int records = 0;
        try (Consumer<String, CrmSynced> consumer = consumers.get()) {
            List<TopicPartition> wanted = missing.stream().map(p -> new TopicPartition(Topics.CRM_SYNCED.name(), p)).toList();
            consumer.assign(wanted);
            consumer.seekToBeginning(wanted);
            Map<TopicPartition, Long> end = consumer.endOffsets(wanted);
            long deadline = System.nanoTime() + READ_BACK_TIMEOUT.toNanos();
            while (wanted.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    // the batch is handed back to Kafka and replayed; nothing is synced without knowing what was
                    throw new IllegalStateException("crm.synced partitions " + missing + " not read back within " + READ_BACK_TIMEOUT);
                }
                for (ConsumerRecord<String, CrmSynced> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.value() != null) {
                        synced.put(record.value().getLeadId(), record.value());
                        records++;
                    } else if (record.key() != null) {
                        // a lead crm-sync no longer holds (its person was erased)
                        synced.remove(record.key());
                    }
                }
            }
        }
        loaded.addAll(missing);
        log.info("Read back {} crm.synced records of partitions {} in {} ms", records, missing, (System.nanoTime() - started) / 1_000_000);
    }

    /** Partitions this instance no longer owns: read them back again before syncing them next time. */
    void forget(Collection<Integer> partitions) {
        loaded.removeAll(partitions);
    }

    /** The last sync of each of these leads that crm-sync knows of. */
    Map<String, CrmSynced> known(Collection<String> leadIds) {
        Map<String, CrmSynced> found = new HashMap<>();
        for (String leadId : leadIds) {
            CrmSynced record = synced.get(leadId);
            if (record != null) {
                found.put(leadId, record);
            }
        }
        return found;
    }

    void record(Collection<CrmSynced> records) {
        records.forEach(record -> synced.put(record.getLeadId(), record));
    }
}
