package io.leadflow.crm.sync;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** The ledger answers only what it was told, and never holds more than its capacity. */
class KeyLedgerTests {

    @Test
    void knowsWhatItWasToldAndNothingElse() {
        KeyLedger ledger = new KeyLedger(100);
        ledger.remember(Map.of("acme.com", "101", "globex.io", "102"));

        assertThat(ledger.known(List.of("acme.com", "initech.fr"))).containsExactly(Map.entry("acme.com", "101"));
        assertThat(ledger.known(List.of())).isEmpty();

        ledger.remember(Map.of("acme.com", "201"));
        assertThat(ledger.known(List.of("acme.com", "globex.io"))).containsOnly(Map.entry("acme.com", "201"), Map.entry("globex.io", "102"));
    }

    @Test
    void holdsAtMostItsCapacityHoweverMuchItIsTold() {
        KeyLedger ledger = new KeyLedger(100);
        List<String> keys = IntStream.range(0, 1000).mapToObj(i -> "co" + i + ".example").toList();
        for (int from = 0; from < keys.size(); from += 50) {
            Map<String, String> batch = new LinkedHashMap<>();
            keys.subList(from, from + 50).forEach(key -> batch.put(key, "id-" + key));
            ledger.remember(batch);
        }

        Map<String, String> known = ledger.known(keys);

        assertThat(known).hasSizeBetween(1, 100);
        known.forEach((key, id) -> assertThat(id).isEqualTo("id-" + key));
    }
}
