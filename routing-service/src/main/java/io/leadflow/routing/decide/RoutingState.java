package io.leadflow.routing.decide;

import java.time.LocalDate;
import java.util.Optional;

/**
 * What routing remembers between leads: account owners, leads per rep per day (caps) and the
 * round-robin weights per team. The topology backs it with state stores; a preview overlays an
 * in-memory copy on read-only stores, so it never changes anything.
 */
public interface RoutingState {

    Optional<AccountOwner> accountOwner(String domain);

    void recordAccountOwner(String domain, AccountOwner owner);

    long assignedOn(String repId, LocalDate day);

    void recordAssignment(String repId, LocalDate day);

    /** One lead fewer for the rep on that day (never below zero): a cancelled or missed demo gives the cap back. */
    void unrecordAssignment(String repId, LocalDate day);

    /** The smooth weighted round robin's current weight of a rep within a team; 0 for a newcomer. */
    long roundRobinWeight(String team, String repId);

    void setRoundRobinWeight(String team, String repId, long weight);

    static String dayKey(String repId, LocalDate day) {
        return repId + "|" + day;
    }

    static String roundRobinKey(String team, String repId) {
        return team + "|" + repId;
    }
}
