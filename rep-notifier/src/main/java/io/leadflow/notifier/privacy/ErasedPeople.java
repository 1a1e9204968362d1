package io.leadflow.notifier.privacy;

import io.leadflow.avro.ErasureRequested;
import io.leadflow.avro.RepAlert;
import io.leadflow.notifier.dedupe.SentLedger;
import io.leadflow.platform.kafka.CatchUpFollower;
import io.leadflow.schemas.Topics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The people erased, as every instance knows them: every partition of the compacted {@code privacy.erasures} read from
 * its first offset by a thread of its own (no group), subject to the time of the request. Alerts wait until it has been
 * read to its end once after start-up ({@link #ready}); until then the health indicator {@code erasures} is DOWN.
 *
 * <p>An alert about an erased person from before the erasure (a replay of {@code rep.alerts}) is never posted again: one
 * whose contact is the person's, or one of a lead of theirs; it is dropped, logged by lead id only and counted in
 * {@code leadflow.privacy.skipped}. A lead is the person's when {@code rep.alerts.sent} ties it to their subject (the
 * marker of an alert that showed their contact, or the marker an erasure leaves for each of their leads), so the leads
 * are known again after a restart; those met in this process (an erasure's, a dropped alert's) are remembered too. A
 * person who comes back after their erasure is a new lead.
 */
public class ErasedPeople extends CatchUpFollower {

    private static final Logger log = LoggerFactory.getLogger(ErasedPeople.class);

    private final Map<String, Instant> subjects = new ConcurrentHashMap<>();
    private final Map<String, Instant> leads = new ConcurrentHashMap<>();
    private final AlertSubjects alertSubjects;
    private final SentLedger ledger;
    private final MeterRegistry meters;
    private final boolean following;

    public ErasedPeople(KafkaProperties kafka, AlertSubjects alertSubjects, SentLedger ledger, MeterRegistry meters) {
        this(kafka, alertSubjects, ledger, meters, true);
    }

    private ErasedPeople(KafkaProperties kafka, AlertSubjects alertSubjects, SentLedger ledger, MeterRegistry meters, boolean following) {
        super("rep-notifier-erased-people", kafka, List.of(Topics.PRIVACY_ERASURES.name()));
        this.alertSubjects = alertSubjects;
        this.ledger = ledger;
        this.meters = meters;
        this.following = following;
    }

    /** Nobody erased yet and nothing to read: ready at once, for code that builds the delivery by hand. */
    public static ErasedPeople notFollowing(AlertSubjects alertSubjects, SentLedger ledger, MeterRegistry meters) {
        return new ErasedPeople(new KafkaProperties(), alertSubjects, ledger, meters, false);
    }

    /** Whether {@code privacy.erasures} has been read to its end since start-up: no alert is posted before. */
    public boolean ready() {
        return !following || loaded();
    }

    /** How many people are known to be erased. */
    public int size() {
        return subjects.size();
    }

    /** Starts before the listener containers (default phase), like the sent-alert ledger. */
    @Override
    public int getPhase() {
        return Integer.MIN_VALUE + 1000;
    }

    @Override
    public void start() {
        if (following) {
            super.start();
        }
    }

    @Override
    protected void apply(ConsumerRecord<String, Object> record) {
        if (record.value() instanceof ErasureRequested erasure) {
            remember(erasure);
        }
    }

    @Override
    protected void loadedNow() {
        log.info("Read {} to its end: {} people erased", Topics.PRIVACY_ERASURES.name(), subjects.size());
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
        if (erasedAt == null && leadId != null && !subjects.isEmpty()) {
            erasedAt = ledger.subjectOfLead(leadId).map(subjects::get).orElse(null);
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
        Instant erasedAt = erasedAt(alert);
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

    /** When the person the alert is about was erased: by its contact, else by its lead; null when not erased. */
    private Instant erasedAt(RepAlert alert) {
        if (subjects.isEmpty() && leads.isEmpty()) {
            return null;
        }
        String subject = alertSubjects.of(alert);
        Instant erasedAt = subject == null ? null : subjects.get(subject);
        if (erasedAt != null || alert.getLeadId() == null) {
            return erasedAt;
        }
        erasedAt = leads.get(alert.getLeadId());
        if (erasedAt != null) {
            return erasedAt;
        }
        return ledger.subjectOfLead(alert.getLeadId()).map(subjects::get).orElse(null);
    }
}
