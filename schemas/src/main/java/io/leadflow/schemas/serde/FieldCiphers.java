package io.leadflow.schemas.serde;

import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.SerializationException;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finds the {@link FieldCipher} a serde is configured with, under {@link #CONFIG}: the cipher itself (Kafka passes
 * object config values through), or the name it was {@linkplain #register registered} under, for configs that only
 * carry strings (Spring Boot's {@code spring.kafka.properties}, from which every producer, consumer and Streams app of
 * a service is configured). A name is looked up when a record is first written or read, so a cipher registered after
 * the serde was configured is still found; a name never registered fails the record instead of writing plaintext.
 */
public final class FieldCiphers {

    /** The serde config key: a {@link FieldCipher}, or the name of a registered one. Absent: no encryption. */
    public static final String CONFIG = "leadflow.field.cipher";

    private static final Map<String, FieldCipher> REGISTERED = new ConcurrentHashMap<>();

    private FieldCiphers() {
    }

    public static void register(String name, FieldCipher cipher) {
        REGISTERED.put(name, cipher);
    }

    public static void unregister(String name, FieldCipher cipher) {
        REGISTERED.remove(name, cipher);
    }

    public static void unregister(String name) {
        REGISTERED.remove(name);
    }

    /** What a serde holds between configure and use: nothing, a cipher, or a name to look up. */
    static final class Ref {
        static final Ref NONE = new Ref(null, null);
        private final String name;
        private volatile FieldCipher cipher;

        private Ref(String name, FieldCipher cipher) {
            this.name = name;
            this.cipher = cipher;
        }

        static Ref of(FieldCipher cipher) {
            return cipher == null ? NONE : new Ref(null, cipher);
        }

        static Ref from(Map<String, ?> configs) {
            Object value = configs.get(CONFIG);
            if (value == null || value instanceof String s && s.isBlank()) {
                return NONE;
            }
            if (value instanceof FieldCipher cipher) {
                return new Ref(null, cipher);
            }
            if (value instanceof String name) {
                return new Ref(name, null);
            }
            throw new ConfigException(CONFIG, value.getClass().getName(), "must be a FieldCipher or the name of a registered one");
        }

        /** The cipher, or null when none is configured; fails when a configured name is not registered. */
        FieldCipher get() {
            FieldCipher known = cipher;
            if (known != null || name == null) {
                return known;
            }
            FieldCipher found = REGISTERED.get(name);
            if (found == null) {
                throw new SerializationException("The field cipher " + name + " is configured but not registered");
            }
            cipher = found;
            return found;
        }
    }
}
