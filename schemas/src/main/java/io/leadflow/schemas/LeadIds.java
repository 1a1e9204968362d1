package io.leadflow.schemas;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Derived identities. A lead id is a name-based (type 3) UUID of {@code source + ":" + sourceEventId},
 * so a webhook delivered twice always yields the same id and every consumer can be idempotent on it.
 */
public final class LeadIds {

    private LeadIds() {
    }

    public static String leadId(String source, String sourceEventId) {
        return nameBased(source + ":" + sourceEventId);
    }

    public static String nameBased(String name) {
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
    }
}
