package io.leadflow.routing.decide;

import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Routing state in memory. With a {@code readThrough} it is a scratch copy over another state:
 * reads fall through, writes stay here (how a preview decides without changing anything). Counters are
 * kept per rep (or team) and then per day (or rep), so a lookup builds no key.
 */
public final class InMemoryRoutingState implements RoutingState {

    private final RoutingState readThrough;
    private final Map<String, AccountOwner> accounts = new HashMap<>();
    private final Map<String, Map<LocalDate, long[]>> counts = new HashMap<>();
    private final Map<String, Map<String, long[]>> weights = new HashMap<>();

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
        long[] count = cell(counts, repId, day);
        if (count != null || readThrough == null) {
            return count == null ? 0 : count[0];
        }
        return readThrough.assignedOn(repId, day);
    }

    @Override
    public void recordAssignment(String repId, LocalDate day) {
        long[] count = cell(counts, repId, day);
        if (count == null) {
            counts.computeIfAbsent(repId, r -> new HashMap<>()).put(day, new long[] {assignedOn(repId, day) + 1});
        } else {
            count[0]++;
        }
    }

    @Override
    public void unrecordAssignment(String repId, LocalDate day) {
        long current = assignedOn(repId, day);
        counts.computeIfAbsent(repId, r -> new HashMap<>()).put(day, new long[] {Math.max(0, current - 1)});
    }

    @Override
    public long roundRobinWeight(String team, String repId) {
        long[] weight = cell(weights, team, repId);
        if (weight != null || readThrough == null) {
            return weight == null ? 0 : weight[0];
        }
        return readThrough.roundRobinWeight(team, repId);
    }

    @Override
    public void setRoundRobinWeight(String team, String repId, long weight) {
        long[] cell = cell(weights, team, repId);
        if (cell == null) {
            weights.computeIfAbsent(team, t -> new HashMap<>()).put(repId, new long[] {weight});
        } else {
            cell[0] = weight;
        }
    }

    private static <K> long[] cell(Map<String, Map<K, long[]>> cells, String outer, K inner) {
        Map<K, long[]> row = cells.get(outer);
        return row == null ? null : row.get(inner);
    }
}
