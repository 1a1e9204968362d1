package io.leadflow.intake.system;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import java.time.Duration;

/**
 * A bounded, expiring set of keys seen recently (Mailgun tokens, HubSpot event ids).
 *
 * <p>Limit: it lives in this instance's memory only. Several instances, or a restart, each start
 * with their own set, so a replay may pass once per instance. That is acceptable because the
 * signature window bounds how long a captured request stays valid, and the derived leadId (or the
 * dealId key) makes a redelivered record harmless downstream: consumers are idempotent on it.
 */
public final class RecentKeys {

    private final Cache<String, Boolean> keys;

    public RecentKeys(long maximumSize, Duration ttl) {
        this.keys = Caffeine.newBuilder().maximumSize(maximumSize).expireAfterWrite(ttl).build();
    }

    public boolean contains(String key) {
        return keys.getIfPresent(key) != null;
    }

    public void add(String key) {
        keys.put(key, Boolean.TRUE);
    }
}
