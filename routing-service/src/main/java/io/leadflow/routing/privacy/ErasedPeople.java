package io.leadflow.routing.privacy;

import io.leadflow.avro.LeadReceived;
import io.leadflow.platform.privacy.Subjects;
import io.micrometer.core.instrument.Metrics;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The people erased, as the routing task knows them: its store {@link RoutingErasures#ERASED_STORE} (subject → when the
 * erasure was requested, in ms), written in the task's own lane by {@link ErasureProcessor}. A lead of an erased person
 * received before the erasure (a replay of {@code leads.received}, a retried or dead-lettered record) is dropped: logged
 * by its lead id only and counted in {@code leadflow.privacy.skipped}. A lead received after it is a new lead.
 */
public final class ErasedPeople {

    private static final Logger log = LoggerFactory.getLogger(ErasedPeople.class);

    private final Subjects subjects;

    /** @param subjects the privacy key's subjects; null when none is configured (then nobody is recognised) */
    public ErasedPeople(Subjects subjects) {
        this.subjects = subjects;
    }

    /** None recognised: for a routing task without a privacy key (tests of other features, simulations). */
    public static ErasedPeople none() {
        return new ErasedPeople(null);
    }

    Subjects subjects() {
        return subjects;
    }

    /** Whether this lead must be dropped: its person was erased after it was received. */
    public boolean skip(KeyValueStore<String, String> erased, LeadReceived lead, String topic) {
        if (subjects == null || lead.getContact() == null || lead.getReceivedAt() == null) {
            return false;
        }
        String subject = subjects.of(lead.getContact().getEmail());
        String requestedAt = subject == null ? null : erased.get(subject);
        if (requestedAt == null || lead.getReceivedAt().toEpochMilli() >= ErasureProcessor.requestedAtMillis(requestedAt)) {
            return false;
        }
        log.info("Dropped lead {} from {}: its person was erased", lead.getLeadId(), topic);
        Metrics.counter("leadflow.privacy.skipped", "service", "routing-service", "topic", topic).increment();
        return true;
    }
}
