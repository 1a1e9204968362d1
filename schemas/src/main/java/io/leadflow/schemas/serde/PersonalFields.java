package io.leadflow.schemas.serde;

import org.apache.avro.Schema;
import org.apache.avro.generic.IndexedRecord;
import org.apache.kafka.common.errors.SerializationException;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The personal fields of a record and their encryption. A field is personal when the schema tags it as Confluent's data
 * contracts do, {@code "confluent:tags": ["PII"]}; a top-level schema names the person its personal fields belong to
 * with {@code "leadflow.subject": "<dotted path to their email>"}. An encrypted value is the string
 * {@code lfx1:<keyId>:<base64url(iv | ciphertext | tag)>}: AES-256-GCM, a random 12-byte IV, a 128-bit tag and the
 * prefix with the key id as associated data. It is still a string of the same schema, so Confluent's wire format and
 * any Avro reader keep working; they see the token instead of the value.
 *
 * <p>Every string a reader meets here is parsed in one pass with bounded lengths; nothing backtracks.
 */
public final class PersonalFields {

    public static final String TAGS = "confluent:tags";
    public static final String PII = "PII";
    public static final String SUBJECT = "leadflow.subject";
    public static final String PREFIX = "lfx1:";
    static final int MAX_KEY_ID = 64;
    /** Larger than any record the broker takes (1 MiB by default) once in base64: a longer token is refused unread. */
    static final int MAX_TOKEN = 1_500_000;
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final String TRANSFORMATION = "AES/GCM/NoPadding";
    /**
     * A cipher per thread, initialised afresh (key and random IV) for every field: {@code Cipher.getInstance} looks the
     * provider up each time, which cost as much as the encryption itself for the short values of a record.
     */
    private static final ThreadLocal<Cipher> CIPHER = ThreadLocal.withInitial(() -> {
        try {
            return Cipher.getInstance(TRANSFORMATION);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is part of every Java runtime", e);
        }
    });
    private static final SecureRandom RANDOM = new SecureRandom();

    private PersonalFields() {
    }

    /** Whether the field is tagged personal. */
    public static boolean tagged(Schema.Field field) {
        return field.getObjectProp(TAGS) instanceof List<?> tags && tags.contains(PII);
    }

    /** The schema's subject path, or null when it names none. */
    public static String subjectPath(Schema schema) {
        return schema.getType() == Schema.Type.RECORD && schema.getObjectProp(SUBJECT) instanceof String path && !path.isBlank() ? path : null;
    }

    static boolean validKeyId(String keyId) {
        if (keyId == null || keyId.isEmpty() || keyId.length() > MAX_KEY_ID) {
            return false;
        }
        for (int i = 0; i < keyId.length(); i++) {
            char c = keyId.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_')) {
                return false;
            }
        }
        return true;
    }

    /**
     * The email a record's personal fields belong to, following the schema's subject path: field names separated by
     * dots; {@code name[label=Contact]} picks the first record of an array whose field {@code label} equals
     * {@code Contact}. A value {@code Name <address>} gives the address. Null when the path meets a null or a missing
     * field, or a value that is no address (then the record is written as it is: there is no person to key it under).
     */
    public static String email(IndexedRecord record, String path) {
        Object at = record;
        for (String step : path.split("\\.", -1)) {
            if (!(at instanceof IndexedRecord current)) {
                return null;
            }
            String name = step;
            String matchField = null;
            String matchValue = null;
            int open = step.indexOf('[');
            if (open > 0 && step.endsWith("]")) {
                name = step.substring(0, open);
                String selector = step.substring(open + 1, step.length() - 1);
                int eq = selector.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException("Subject path step " + step + " is not name[field=value]");
                }
                matchField = selector.substring(0, eq);
                matchValue = selector.substring(eq + 1);
            }
            Schema.Field field = current.getSchema().getField(name);
            if (field == null) {
                return null;
            }
            at = current.get(field.pos());
            if (matchField != null) {
                at = select(at, matchField, matchValue);
            }
        }
        if (!(at instanceof CharSequence text)) {
            return null;
        }
        String value = text.toString().trim();
        int lt = value.lastIndexOf('<');
        if (lt >= 0 && value.endsWith(">")) {
            value = value.substring(lt + 1, value.length() - 1).trim();
        }
        int sign = value.indexOf('@');
        return sign > 0 && sign < value.length() - 1 ? value : null;
    }

    private static Object select(Object list, String field, String value) {
        if (!(list instanceof List<?> items)) {
            return null;
        }
        for (Object item : items) {
            if (item instanceof IndexedRecord r && r.getSchema().getField(field) != null) {
                Object v = r.get(r.getSchema().getField(field).pos());
                if (v != null && value.equals(v.toString())) {
                    return r;
                }
            }
        }
        return null;
    }

    /**
     * Applies {@code change} to every string of every tagged field of the record, in place (also inside arrays, maps,
     * unions and records of a tagged field). The caller owns the record: the serializer passes a copy.
     */
    static void transform(IndexedRecord record, UnaryOperator<String> change) {
        walk(record, false, change);
    }

    private static Object walk(Object value, boolean tagged, UnaryOperator<String> change) {
        if (value instanceof IndexedRecord record) {
            for (Schema.Field field : record.getSchema().getFields()) {
                Object before = record.get(field.pos());
                Object after = walk(before, tagged || tagged(field), change);
                if (after != before) {
                    record.put(field.pos(), after);
                }
            }
            return record;
        }
        if (value instanceof List<?> list) {
            List<Object> changed = null;
            for (int i = 0; i < list.size(); i++) {
                Object before = list.get(i);
                Object after = walk(before, tagged, change);
                if (after != before && changed == null) {
                    changed = new ArrayList<>(list.subList(0, i));
                }
                if (changed != null) {
                    changed.add(after);
                }
            }
            return changed == null ? list : changed;
        }
        if (value instanceof Map<?, ?> map) {
            Map<Object, Object> changed = null;
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                Object after = walk(entry.getValue(), tagged, change);
                if (after != entry.getValue() && changed == null) {
                    changed = new LinkedHashMap<>(map);
                }
                if (changed != null) {
                    changed.put(entry.getKey(), after);
                }
            }
            return changed == null ? map : changed;
        }
        if (tagged && value instanceof CharSequence text) {
            return change.apply(text.toString());
        }
        return value;
    }

    /** Encrypts one value under the key. */
    public static String encrypt(FieldCipher.DataKey key, String plaintext) {
        byte[] iv = new byte[IV_BYTES];
        RANDOM.nextBytes(iv);
        try {
            Cipher cipher = CIPHER.get();
            cipher.init(Cipher.ENCRYPT_MODE, key.key(), new GCMParameterSpec(TAG_BITS, iv));
            cipher.updateAAD(aad(key.keyId()));
            byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            byte[] out = new byte[IV_BYTES + sealed.length];
            System.arraycopy(iv, 0, out, 0, IV_BYTES);
            System.arraycopy(sealed, 0, out, IV_BYTES, sealed.length);
            return PREFIX + key.keyId() + ":" + Base64.getUrlEncoder().withoutPadding().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new SerializationException("AES-GCM is part of every Java runtime, yet encrypting failed: " + e.getClass().getName());
        }
    }

    /**
     * A value as a person may read it: a token decrypted with the cipher, any other value as it is; null when the token's
     * key was deleted (the person was erased) or there is no cipher to open it.
     */
    public static String readable(String value, FieldCipher keys) {
        if (!encrypted(value)) {
            return value;
        }
        if (keys == null) {
            return null;
        }
        try {
            return decrypt(value, keys);
        } catch (PersonErasedException e) {
            return null;
        }
    }

    /** Whether the value is an encrypted token (starts with {@value #PREFIX}). */
    public static boolean encrypted(String value) {
        return value != null && value.startsWith(PREFIX);
    }

    /** The key id of a token, checked; a {@link SerializationException} naming what is wrong otherwise. */
    static String keyIdOf(String token) {
        if (token.length() > MAX_TOKEN) {
            throw new SerializationException("An encrypted field of " + token.length() + " characters is longer than any record can be");
        }
        int colon = token.indexOf(':', PREFIX.length());
        if (colon < 0) {
            throw new SerializationException("An encrypted field has no key id");
        }
        String keyId = token.substring(PREFIX.length(), colon);
        if (!validKeyId(keyId)) {
            throw new SerializationException("An encrypted field names a malformed key id");
        }
        return keyId;
    }

    /** Decrypts one token with the key it names; a {@link SerializationException} for anything malformed or forged. */
    static String decrypt(String token, FieldCipher keys) {
        String keyId = keyIdOf(token);
        byte[] sealed;
        try {
            sealed = Base64.getUrlDecoder().decode(token.substring(PREFIX.length() + keyId.length() + 1));
        } catch (IllegalArgumentException e) {
            throw new SerializationException("An encrypted field under key " + keyId + " is not base64url");
        }
        if (sealed.length < IV_BYTES + TAG_BITS / 8) {
            throw new SerializationException("An encrypted field under key " + keyId + " is shorter than an IV and a tag");
        }
        SecretKey key = keys.key(keyId);
        try {
            Cipher cipher = CIPHER.get();
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed, 0, IV_BYTES));
            cipher.updateAAD(aad(keyId));
            return new String(cipher.doFinal(sealed, IV_BYTES, sealed.length - IV_BYTES), StandardCharsets.UTF_8);
        } catch (AEADBadTagException e) {
            throw new SerializationException("An encrypted field under key " + keyId + " does not authenticate (altered, or another key)");
        } catch (GeneralSecurityException e) {
            throw new SerializationException("Cannot decrypt a field under key " + keyId + ": " + e.getClass().getName());
        }
    }

    private static byte[] aad(String keyId) {
        return (PREFIX + keyId).getBytes(StandardCharsets.UTF_8);
    }
}
