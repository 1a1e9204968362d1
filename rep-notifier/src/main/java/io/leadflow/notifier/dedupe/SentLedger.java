package io.leadflow.notifier.dedupe;

import io.leadflow.avro.SentAlert;

import java.util.List;
import java.util.Optional;

/** What the notifier knows it has posted, keyed by alertId. */
public interface SentLedger {

    Optional<SentAlert> find(String alertId);

    /** Whether {@link #find} can be trusted yet: false until the ledger has read everything written before it started. */
    default boolean isReady() {
        return true;
    }

    /** Records a marker durably (the broker acknowledged it) before returning; throws when it cannot. */
    void record(SentAlert marker);

    /**
     * Records several markers durably before returning; throws when any could not be recorded (the caller writes them
     * all again: a marker written twice is harmless).
     */
    default void recordAll(List<SentAlert> markers) {
        markers.forEach(this::record);
    }

    /** Every alert known, latest marker each (an erasure looks its person's messages up here). */
    List<SentAlert> all();

    /** Whether the message this alert was posted in lists other alerts too (a digest): another marker names its ts. */
    default boolean postedInDigest(String alertId) {
        return find(alertId).map(marker -> sharesMessage(marker, all())).orElse(false);
    }

    /** Whether another of {@code markers} names the message (channel and ts) {@code marker} names. */
    static boolean sharesMessage(SentAlert marker, java.util.Collection<SentAlert> markers) {
        String ts = marker.getSlackTs();
        return ts != null && !ts.isBlank() && markers.stream().anyMatch(m -> !m.getAlertId().equals(marker.getAlertId())
                && ts.equals(m.getSlackTs()) && marker.getChannel().equals(m.getChannel()));
    }

    /**
     * The subject of the person a lead is about, as a marker tied them (an alert that showed their contact, or the marker
     * an erasure leaves for each of their leads); empty when no marker does.
     */
    default Optional<String> subjectOfLead(String leadId) {
        return all().stream().filter(m -> leadId.equals(m.getLeadId()) && m.getSubject() != null).map(SentAlert::getSubject).findFirst();
    }

    /** Deletes these alerts' markers durably (tombstones) before returning; throws when it cannot. */
    void forget(java.util.Collection<String> alertIds);

    /** Merge rule shared by every ledger: a PENDING never replaces a SENT or FAILED of the same alert. */
    static boolean replaces(SentAlert incoming, SentAlert existing) {
        return existing == null
                || !(SentStatus.of(incoming.getStatus()) == SentStatus.PENDING && SentStatus.of(existing.getStatus()).isFinal());
    }
}
