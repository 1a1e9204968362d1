package io.leadflow.schemas.serde;

import javax.crypto.SecretKey;

/**
 * Where the serde gets the keys it encrypts personal fields with: one or more AES-256 keys per person, named by a key id
 * that travels in every encrypted value ({@code lfx1:<keyId>:…}). The serde does the encryption itself
 * ({@link PersonalFields}); an implementation only keeps the keys, and deleting a person's keys makes every copy of their
 * fields unreadable (crypto-shredding).
 */
public interface FieldCipher {

    /**
     * A key for the person with this email, durable before it is returned (a record written under it can always be read
     * while the person is not erased); created when the person has none yet.
     */
    DataKey keyFor(String email);

    /**
     * The key with this id.
     *
     * @throws PersonErasedException when the key is not known after catching up with every key written so far: its
     *                               person was erased
     * @throws org.apache.kafka.common.errors.SerializationException when the keys cannot be read now
     */
    SecretKey key(String keyId);

    /** An AES-256 key and its id: 1 to 64 characters of {@code [A-Za-z0-9_-]}. */
    record DataKey(String keyId, SecretKey key) {
        public DataKey {
            if (!PersonalFields.validKeyId(keyId)) {
                throw new IllegalArgumentException("a key id is 1 to " + PersonalFields.MAX_KEY_ID + " characters of [A-Za-z0-9_-]");
            }
        }

        @Override
        public String toString() {
            return "DataKey[" + keyId + "]";
        }
    }
}
