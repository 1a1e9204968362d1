package io.leadflow.platform.privacy;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Names a person without holding their personal data: the subject of an email is HMAC-SHA256 of the trimmed,
 * lower-cased address under a secret key ({@code LEADFLOW_PRIVACY_KEY}), in hex. Every service computes the same
 * subject for the same email, so an erasure request, the list of erased people and each service's records can be
 * matched without the address; without the key, nobody can test a guessed address against a subject.
 */
public final class Subjects {

    private static final String ALGORITHM = "HmacSHA256";
    /** A key shorter than the hash gives less than its strength (RFC 2104, section 3). */
    static final int MIN_KEY_BYTES = 32;

    private final SecretKeySpec key;
    /** A MAC per thread, keyed once ({@code doFinal} leaves it ready for the next address): keying it costs more than the hash. */
    private final ThreadLocal<Mac> macs = ThreadLocal.withInitial(this::newMac);

    public Subjects(String secret) {
        byte[] bytes = secret == null ? new byte[0] : secret.getBytes(StandardCharsets.UTF_8);
        if (bytes.length < MIN_KEY_BYTES) {
            throw new IllegalArgumentException("LEADFLOW_PRIVACY_KEY must be at least " + MIN_KEY_BYTES + " bytes");
        }
        this.key = new SecretKeySpec(bytes, ALGORITHM);
    }

    /** The subject of an email address; {@code null} for a missing or blank one. */
    public String of(String email) {
        if (email == null || email.isBlank()) {
            return null;
        }
        return HexFormat.of().formatHex(macs.get().doFinal(email.trim().toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8)));
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
    }

    @Override
    public String toString() {
        return "Subjects[key=***]";
    }
}
