package io.leadflow.sandbox;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The one token a sandbox accepts once it is reachable from other machines: the one the local stack gave its
 * services. Compared as SHA-256 digests in constant time, so neither content nor length leaks.
 */
public final class SandboxToken {

    private final byte[] digest;

    public SandboxToken(String token) {
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException("A sandbox token must not be empty");
        }
        this.digest = sha256(token);
    }

    public boolean matches(String given) {
        return given != null && MessageDigest.isEqual(sha256(given), digest);
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    @Override
    public String toString() {
        return "SandboxToken[***]";
    }
}
