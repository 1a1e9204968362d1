package io.leadflow.crm.sync;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import java.util.Collection;
import java.util.Map;

/**
 * Bounded memory of what this instance already has in HubSpot: company id by domain, note or task id by key. A hit
 * saves a search call; a miss costs one. HubSpot stays the source of truth, so a restart loses nothing but calls, and
 * an id the cache let go of costs one search again.
 */
final class KeyLedger {

    private final Cache<String, String> ids;

    KeyLedger(int capacity) {
        // evicted on the caller's thread: the bound holds as soon as remember returns
        this.ids = Caffeine.newBuilder().maximumSize(capacity).executor(Runnable::run).build();
    }

    Map<String, String> known(Collection<String> keys) {
        return ids.getAllPresent(keys);
    }

    void remember(Map<String, String> idsByKey) {
        ids.putAll(idsByKey);
    }
}
