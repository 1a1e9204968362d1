package io.leadflow.routing.decide;

import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Routing state in memory. With a {@code readThrough} it is a scratch copy over another state:
 * reads fall through, writes stay here (how a preview decides without changing anything).
 */
public final class InMemoryRoutingState implements RoutingState {

    private final RoutingState readThrough;
    private final Map<String, AccountOwner> accounts = new HashMap<>();
    private final Map<String, Long> counts = new HashMap<>();
    private final Map<String, Long> weights = new HashMap<>();

    public InMemoryRoutingState() {
        this(null);
    }

    public InMemoryRoutingState(RoutingState readThrough) {
        this.readThrough = readThrough;
    }

    @Override
    public Optional<AccountOwner> accountOwner(String domain) {
        AccountOwner owner = accounts.get(domain);
        if (owner != null || readThrough == null) {
            return Optional.ofNullable(owner);
        }
        return readThrough.accountOwner(domain);
    }

    @Override
    public void recordAccountOwner(String domain, AccountOwner owner) {
        accounts.put(domain, owner);
    }

    @Override
    public long assignedOn(String repId, LocalDate day) {
        Long count = counts.get(RoutingState.dayKey(repId, day));
        if (count != null || readThrough == null) {
            return count == null ? 0 : count;
        }
        return readThrough.assignedOn(repId, day);
    }

    @Override
    public void recordAssignment(String repId, LocalDate day) {
        counts.put(RoutingState.dayKey(repId, day), assignedOn(repId, day) + 1);
    }

    @Override
    public long roundRobinWeight(String team, String repId) {
        Long weight = weights.get(RoutingState.roundRobinKey(team, repId));
        if (weight != null || readThrough == null) {
            return weight == null ? 0 : weight;
        }
        return readThrough.roundRobinWeight(team, repId);
    }

    @Override
    public void setRoundRobinWeight(String team, String repId, long weight) {
        weights.put(RoutingState.roundRobinKey(team, repId), weight);
    }
}
