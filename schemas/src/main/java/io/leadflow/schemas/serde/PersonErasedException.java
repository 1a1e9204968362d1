package io.leadflow.schemas.serde;

import org.apache.kafka.common.errors.SerializationException;

/**
 * A record holds personal fields encrypted under a key that no longer exists: the person was erased. Not an error to
 * dead-letter: a consumer skips the record (counting it in {@code leadflow.privacy.skipped}) and logs its topic,
 * partition and offset only. The message names the key id, never a value.
 */
public class PersonErasedException extends SerializationException {

    private final String keyId;

    public PersonErasedException(String keyId) {
        super("The personal fields are encrypted under key " + keyId + ", which was deleted: the person was erased");
        this.keyId = keyId;
    }

    public String keyId() {
        return keyId;
    }

    /** Whether {@code failure}, or one of its causes, is a {@link PersonErasedException}. */
    public static boolean isCause(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof PersonErasedException) {
                return true;
            }
        }
        return false;
    }
}
