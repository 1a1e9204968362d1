package io.leadflow.intake.privacy;

import java.util.Set;

/**
 * Something lead-intake keeps about leads (a booking's link to its lead, the owner a next-step link shows) that an
 * erasure must remove: {@link IntakeErasure} asks every one of them to forget the erased person's leads.
 */
public interface PersonalMemory {

    /** What this memory holds, as the erasure report counts it ("booking links"). */
    String what();

    /**
     * Forgets everything held about these leads, durably where it is durable (a tombstone acknowledged by Kafka).
     * Forgetting what is already gone changes nothing.
     *
     * @return how many entries were removed
     * @throws RuntimeException when it cannot be done now; the erasure is retried
     */
    int forget(Set<String> leadIds);
}
