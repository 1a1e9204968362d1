package io.leadflow.intake.signature;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;

/** HMAC-SHA256 over byte parts and constant-time comparison of signatures as bytes. */
public final class Hmac {

    private Hmac() {
    }

    public static byte[] sha256(String secret, byte[]... parts) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            for (byte[] part : parts) {
                mac.update(part);
            }
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    public static String sha256Hex(String secret, byte[]... parts) {
        return HexFormat.of().formatHex(sha256(secret, parts));
    }

    public static String sha256Base64(String secret, byte[]... parts) {
        return Base64.getEncoder().encodeToString(sha256(secret, parts));
    }

    /** Decodes hex (either case); null when it is not hex. */
    static byte[] fromHex(String hex) {
        if (hex == null || hex.isEmpty() || hex.length() % 2 != 0) {
            return null;
        }
        try {
            return HexFormat.of().parseHex(hex);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Decodes base64; null when it is not base64. */
    static byte[] fromBase64(String b64) {
        if (b64 == null || b64.isEmpty()) {
            return null;
        }
        try {
            return Base64.getDecoder().decode(b64.trim());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Constant-time equality; a null on either side is never equal. */
    static boolean equal(byte[] expected, byte[] actual) {
        return expected != null && actual != null && MessageDigest.isEqual(expected, actual);
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
