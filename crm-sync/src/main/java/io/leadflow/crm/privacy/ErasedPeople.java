package io.leadflow.crm.privacy;

import io.leadflow.avro.ErasureRequested;
import io.leadflow.avro.LeadRouted;
import io.leadflow.avro.TrialReminder;
import io.leadflow.platform.privacy.Subjects;
import io.leadflow.schemas.Topics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.leadflow.platform.kafka.TopicFollower;
import org.springframework.kafka.support.serializer.SerializationUtils;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The people erased, as every instance of crm-sync knows them: the compacted {@code privacy.erasures} read whole, from
 * the beginning, by a thread of its own (every partition, no consumer group), subject to the time of the request. A record
 * about an erased person from before the erasure is never acted on again: a {@code LeadRouted} whose lead was received
 * before it, a {@code TrialReminder} (or activity) of a lead of the person that fired before it. Such a record is dropped,
 * logged by lead id only and counted in {@code leadflow.privacy.skipped}. Someone who comes back after their erasure is a
 * new lead.
 *
 * <p>Reminders and activities carry a leadId, not an email: the erased person's leads are the ones crm-sync found with
 * their HubSpot contact when it erased them, and those of a dropped {@code LeadRouted}; both are kept in memory only.
 */
public class ErasedPeople extends TopicFollower {

    private static final Logger log = LoggerFactory.getLogger(ErasedPeople.class);
    private static final Duration FIRST_READ_WAIT = Duration.ofSeconds(60);

    private final Map<String, Instant> subjects = new ConcurrentHashMap<>();
    private final Map<String, Instant> leads = new ConcurrentHashMap<>();
    private final Subjects hashes;
    private final MeterRegistry meters;
    private final CountDownLatch firstRead = new CountDownLatch(1);
    private final boolean following;

    /**
     * @param hashes    the subjects of emails; null without LEADFLOW_PRIVACY_KEY (then no LeadRouted is recognised)
     * @param consumers consumers without a group, reading read_committed; null: nothing to follow (tests)
     */
    ErasedPeople(Subjects hashes, Supplier<Consumer<String, Object>> consumers, MeterRegistry meters) {
        super("crm-sync-erased-people", consumers);
        this.hashes = hashes;
        this.following = consumers != null;
        this.meters = meters;
    }

    /** Nobody erased and nothing followed: for code that builds crm-sync's listeners by hand (tests). */
    public static ErasedPeople none(MeterRegistry meters) {
        return new ErasedPeople(null, null, meters);
    }

    /** Whether to drop this decision: its lead is of a person erased after the lead was received. */
    public boolean skips(LeadRouted routed) {
        String subject = hashes == null ? null : hashes.of(routed.getLead().getContact().getEmail());
        Instant erasedAt = subject == null ? null : subjects.get(subject);
        Instant leadTime = routed.getLead().getReceivedAt();
        if (erasedAt == null || !leadTime.isBefore(erasedAt)) {
            return false;
        }
        leads.merge(routed.getLeadId(), erasedAt, (a, b) -> a.isBefore(b) ? b : a);
        skipped("lead-routed", routed.getLeadId());
        return true;
    }

    /** Whether to drop this reminder: it is of an erased person's lead and fired before the erasure. */
    public boolean skips(TrialReminder reminder) {
        return skipsLead(reminder.getLeadId(), reminder.getFiredAt(), "trial-reminder");
    }

    /** Whether to drop a record of lead {@code leadId} made at {@code at}: the lead is an erased person's, erased after it. */
    public boolean skipsLead(String leadId, Instant at, String record) {
        Instant erasedAt = leadId == null ? null : leads.get(leadId);
        if (erasedAt == null || at == null || !at.isBefore(erasedAt)) {
            return false;
        }
        skipped(record, leadId);
        return true;
    }

    /** These leads are of a person erased at {@code requestedAt}. */
    void erasedLeads(Collection<String> leadIds, Instant requestedAt) {
        leadIds.forEach(leadId -> leads.merge(leadId, requestedAt, (a, b) -> a.isBefore(b) ? b : a));
    }

    /** When the person of this subject asked to be erased, or null. */
    Instant erasedAt(String subject) {
        return subjects.get(subject);
    }

    void remember(ErasureRequested erasure) {
        subjects.merge(erasure.getSubject(), erasure.getRequestedAt(), (a, b) -> a.isBefore(b) ? a : b);
    }

    private void skipped(String record, String leadId) {
        log.info("Dropped a {} of lead {}: its person was erased after it", record, leadId);
        Counter.builder("leadflow.privacy.skipped").description("Records about an erased person, from before the erasure, dropped")
                .tag("service", "crm-sync").tag("record", record).register(meters).increment();
    }

    // ---- following privacy.erasures ------------------------------------------------------------------------------

    @Override
    public void start() {
        if (hashes == null) {
            log.warn("LEADFLOW_PRIVACY_KEY is not set: erasures are carried out, but crm-sync cannot recognise a replayed lead "
                    + "of an erased person by its email");
        }
        super.start();
        if (!following) {
            firstRead.countDown();
            return;
        }
        try {
            if (!firstRead.await(FIRST_READ_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("privacy.erasures not read to its end within {}; reading on in the background", FIRST_READ_WAIT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Before the listener containers, so none of them meets a record before the erased people are known. */
    @Override
    public int getPhase() {
        return 0;
    }

    @Override
    protected void follow(Consumer<String, Object> opened) {
        List<TopicPartition> partitions = assignAll(opened, List.of(Topics.PRIVACY_ERASURES.name()));
        opened.seekToBeginning(partitions);
        Map<TopicPartition, Long> end = opened.endOffsets(partitions);
        while (following()) {
            for (ConsumerRecord<String, Object> record : opened.poll(Duration.ofMillis(500))) {
                if (record.value() instanceof ErasureRequested erasure) {
                    remember(erasure);
                } else if (record.headers().lastHeader(SerializationUtils.VALUE_DESERIALIZER_EXCEPTION_HEADER) != null) {
                    log.warn("Skipping an unreadable privacy.erasures record at {}-{}@{}", record.topic(), record.partition(), record.offset());
                }
            }
            if (firstRead.getCount() > 0 && partitions.stream().allMatch(tp -> opened.position(tp) >= end.get(tp))) {
                log.info("Read privacy.erasures: {} people erased", subjects.size());
                firstRead.countDown();
            }
        }
    }
}
