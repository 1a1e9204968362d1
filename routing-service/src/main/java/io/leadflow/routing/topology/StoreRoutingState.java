package io.leadflow.routing.topology;

import io.leadflow.routing.decide.AccountOwner;
import io.leadflow.routing.decide.RoutingState;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import java.time.LocalDate;
import java.util.Optional;

/** Routing state in the topology's stores (changelogged, so it survives restarts and moves with the task). */
public final class StoreRoutingState implements RoutingState {

    private final ReadOnlyKeyValueStore<String, String> accounts;
    private final ReadOnlyKeyValueStore<String, Long> counters;

    StoreRoutingState(KeyValueStore<String, String> accounts, KeyValueStore<String, Long> counters) {
        this.accounts = accounts;
        this.counters = counters;
    }

    /** Over read-only stores (interactive queries): reads only; writing throws. */
    public static RoutingState readOnly(ReadOnlyKeyValueStore<String, String> accounts, ReadOnlyKeyValueStore<String, Long> counters) {
        return new StoreRoutingState(accounts, counters, true);
    }

    private StoreRoutingState(ReadOnlyKeyValueStore<String, String> accounts, ReadOnlyKeyValueStore<String, Long> counters, boolean readOnly) {
        this.accounts = accounts;
        this.counters = counters;
    }

    @Override
    public Optional<AccountOwner> accountOwner(String domain) {
        return Optional.ofNullable(AccountOwner.decode(accounts.get(domain)));
    }

    @Override
    public void recordAccountOwner(String domain, AccountOwner owner) {
        writable(accounts).put(domain, owner.encode());
    }

    @Override
    public long assignedOn(String repId, LocalDate day) {
        Long count = counters.get(RoutingTopology.DAY_PREFIX + RoutingState.dayKey(repId, day));
        return count == null ? 0 : count;
    }

    @Override
    public void recordAssignment(String repId, LocalDate day) {
        writable(counters).put(RoutingTopology.DAY_PREFIX + RoutingState.dayKey(repId, day), assignedOn(repId, day) + 1);
    }

    @Override
    public void unrecordAssignment(String repId, LocalDate day) {
        long current = assignedOn(repId, day);
        if (current > 0) {
            writable(counters).put(RoutingTopology.DAY_PREFIX + RoutingState.dayKey(repId, day), current - 1);
        }
    }

    @Override
    public long roundRobinWeight(String team, String repId) {
        Long weight = counters.get(RoutingTopology.ROUND_ROBIN_PREFIX + RoutingState.roundRobinKey(team, repId));
        return weight == null ? 0 : weight;
    }

    @Override
    public void setRoundRobinWeight(String team, String repId, long weight) {
        writable(counters).put(RoutingTopology.ROUND_ROBIN_PREFIX + RoutingState.roundRobinKey(team, repId), weight);
    }

    private static <V> KeyValueStore<String, V> writable(ReadOnlyKeyValueStore<String, V> store) {
        if (store instanceof KeyValueStore<String, V> writable) {
            return writable;
        }
        throw new UnsupportedOperationException("read-only routing state");
    }
}
