package io.leadflow.schemas.serde;

import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Keys in memory, one per email; {@link #forget} plays an erasure. */
final class TestCipher implements FieldCipher {

    private final Map<String, DataKey> byEmail = new ConcurrentHashMap<>();
    private final Map<String, SecretKey> byId = new ConcurrentHashMap<>();
    private final AtomicInteger next = new AtomicInteger();

    @Override
    public DataKey keyFor(String email) {
        return byEmail.computeIfAbsent(email, e -> {
            DataKey key = new DataKey("k" + next.incrementAndGet(), aesKey());
            byId.put(key.keyId(), key.key());
            return key;
        });
    }

    @Override
    public SecretKey key(String keyId) {
        SecretKey key = byId.get(keyId);
        if (key == null) {
            throw new PersonErasedException(keyId);
        }
        return key;
    }

    void forget(String email) {
        DataKey key = byEmail.remove(email);
        if (key != null) {
            byId.remove(key.keyId());
        }
    }

    private static SecretKey aesKey() {
        try {
            KeyGenerator generator = KeyGenerator.getInstance("AES");
            generator.init(256);
            return generator.generateKey();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
