package io.leadflow.crm.sync;

import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Bounded memory of what this instance already has in HubSpot: company id by domain, note or task id by key. A hit
 * saves a search call; a miss costs one. HubSpot stays the source of truth, so a restart loses nothing but calls.
 */
final class KeyLedger {

    private final Map<String, String> ids;

    KeyLedger(int capacity) {
        this.ids = new LinkedHashMap<>(256, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
                return size() > capacity;
            }
        };
    }

    synchronized Map<String, String> known(Collection<String> keys) {
        Map<String, String> found = new HashMap<>();
        for (String key : keys) {
            String id = ids.get(key);
            if (id != null) {
                found.put(key, id);
            }
        }
        return found;
    }

    synchronized void remember(Map<String, String> idsByKey) {
        ids.putAll(idsByKey);
    }
}
