package io.leadflow.notifier.privacy;

import io.leadflow.avro.ErasureRequested;
import io.leadflow.avro.RepAlert;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.annotation.PartitionOffset;
import org.springframework.kafka.annotation.TopicPartition;

import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The people erased, as every instance knows them: every partition of the compacted {@code privacy.erasures} from its
 * first offset (no group, like the deal links), subject to the time of the request. An alert about an erased person
 * from before the erasure (a replay of {@code rep.alerts}) is never posted again: one whose contact is the person's, or
 * one of a lead whose messages an erasure found; it is dropped, logged by lead id only and counted in
 * {@code leadflow.privacy.skipped}. A person who comes back after their erasure is a new lead.
 */
public class ErasedPeople {

    private static final Logger log = LoggerFactory.getLogger(ErasedPeople.class);

    private final Map<String, Instant> subjects = new ConcurrentHashMap<>();
    private final Map<String, Instant> leads = new ConcurrentHashMap<>();
    private final AlertSubjects alertSubjects;
    private final MeterRegistry meters;

    public ErasedPeople(AlertSubjects alertSubjects, MeterRegistry meters) {
        this.alertSubjects = alertSubjects;
        this.meters = meters;
    }

    @KafkaListener(id = "rep-notifier-erased-people", groupId = "rep-notifier-erased-people",
            topicPartitions = @TopicPartition(topic = "#{T(io.leadflow.schemas.Topics).PRIVACY_ERASURES.name()}",
                    partitions = "0-#{T(io.leadflow.schemas.Topics).PRIVACY_ERASURES.partitions() - 1}",
                    partitionOffsets = @PartitionOffset(partition = "*", initialOffset = "0")))
    void onErasure(ConsumerRecord<String, ErasureRequested> record) {
        if (record.value() != null) {
            remember(record.value());
        }
    }

    void remember(ErasureRequested erasure) {
        subjects.merge(erasure.getSubject(), erasure.getRequestedAt(), (a, b) -> a.isBefore(b) ? a : b);
    }

    /** These leads are of a person erased at {@code requestedAt} (found by their messages). */
    void erasedLeads(Collection<String> leadIds, Instant requestedAt) {
        leadIds.forEach(leadId -> leads.merge(leadId, requestedAt, (a, b) -> a.isBefore(b) ? b : a));
    }

    /**
     * Whether to leave this lead alone (no shared channel): its person ({@code email}) was erased after the lead came
     * ({@code at}), or an erasure found the lead's messages.
     */
    public boolean skipsLead(String leadId, String email, Instant at) {
        String subject = subjects.isEmpty() ? null : alertSubjects.ofEmail(email);
        Instant erasedAt = subject == null ? null : subjects.get(subject);
        if (erasedAt == null && leadId != null) {
            erasedAt = leads.get(leadId);
        }
        if (erasedAt == null || at == null || !at.isBefore(erasedAt)) {
            return false;
        }
        log.info("Left lead {} alone: its person was erased after it", leadId);
        Counter.builder("leadflow.privacy.skipped").description("Records about an erased person, from before the erasure, dropped")
                .tag("service", "rep-notifier").tag("record", "lead-routed").register(meters).increment();
        return true;
    }

    /** Whether to drop this alert: it is about a person erased after it was made. */
    public boolean skips(RepAlert alert) {
        Instant at = alert.getLeadReceivedAt() != null ? alert.getLeadReceivedAt() : alert.getCreatedAt();
        String subject = subjects.isEmpty() ? null : alertSubjects.of(alert);
        Instant erasedAt = subject == null ? null : subjects.get(subject);
        if (erasedAt == null && alert.getLeadId() != null) {
            erasedAt = leads.get(alert.getLeadId());
        }
        if (erasedAt == null || at == null || !at.isBefore(erasedAt)) {
            return false;
        }
        if (alert.getLeadId() != null) {
            leads.merge(alert.getLeadId(), erasedAt, (a, b) -> a.isBefore(b) ? b : a); // its reminders and clicks too
        }
        log.info("Dropped alert {} of lead {}: its person was erased after it", alert.getKind(), alert.getLeadId());
        Counter.builder("leadflow.privacy.skipped").description("Records about an erased person, from before the erasure, dropped")
                .tag("service", "rep-notifier").tag("record", "rep-alert").register(meters).increment();
        return true;
    }
}
