package io.leadflow.notifier;

import io.leadflow.avro.SentAlert;
import io.leadflow.notifier.dedupe.SentLedger;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** A ledger in memory, recording every marker written, for tests that do not need a broker. */
public class InMemorySentLedger implements SentLedger {

    private final Map<String, SentAlert> alerts = new ConcurrentHashMap<>();
    private final List<SentAlert> written = new ArrayList<>();

    @Override
    public Optional<SentAlert> find(String alertId) {
        return Optional.ofNullable(alerts.get(alertId));
    }

    @Override
    public void record(SentAlert marker) {
        synchronized (written) {
            written.add(marker);
        }
        alerts.merge(marker.getAlertId(), marker, (existing, incoming) -> SentLedger.replaces(incoming, existing) ? incoming : existing);
    }

    @Override
    public List<SentAlert> all() {
        return List.copyOf(alerts.values());
    }

    @Override
    public void forget(java.util.Collection<String> alertIds) {
        alertIds.forEach(alerts::remove);
    }

    public List<SentAlert> written() {
        synchronized (written) {
            return List.copyOf(written);
        }
    }
}
