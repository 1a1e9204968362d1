package io.leadflow.testing;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;

/**
 * Slack's request signature as a receiver computes it, written for tests without any product code, so a test that
 * checks a signer or a verifier compares it with an independent implementation:
 * {@code v0=} + hex HMAC-SHA256 of {@code v0:<timestamp>:<body>} keyed with the signing secret
 * (https://api.slack.com/authentication/verifying-requests-from-slack).
 */
public final class SlackSignatures {

    private SlackSignatures() {
    }

    /** The {@code X-Slack-Signature} value for a request body sent at {@code timestamp} (epoch seconds). */
    public static String v0(String secret, String timestamp, String body) {
        return "v0=" + hmacSha256Hex(secret, "v0:" + timestamp + ":" + body);
    }

    /** Hex HMAC-SHA256 of {@code message} keyed with {@code secret}, both UTF-8. */
    private static String hmacSha256Hex(String secret, String message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
