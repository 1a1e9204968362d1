package io.leadflow.intake.nextstep;

import io.leadflow.intake.system.IntakeProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The unguessable next-step tokens. A token is {@code base64url(expiry || leadKey || tag)}: the expiry in epoch seconds (8
 * bytes), the lead's key {@code HMAC-SHA256(secret, "lead:" + leadId)} cut to 128 bits, and a 128-bit tag
 * {@code HMAC-SHA256(secret, "next:" + expiry + leadKey)}. Every instance with the same secret can check a token and find
 * the lead's decision without any shared memory of issued tokens, the leadId never appears in it, and nobody without the
 * secret can make one or learn a lead's key.
 */
@Component
class NextStepTokens {

    private static final Logger log = LoggerFactory.getLogger(NextStepTokens.class);
    private static final int KEY_BYTES = 16;
    private static final int TAG_BYTES = 16;
    private static final int TOKEN_BYTES = Long.BYTES + KEY_BYTES + TAG_BYTES;
    /** Base64url without padding of {@link #TOKEN_BYTES} bytes. */
    static final int TOKEN_CHARS = (TOKEN_BYTES * 4 + 2) / 3;

    private final SecretKeySpec key;
    private final Duration ttl;

    @Autowired
    NextStepTokens(IntakeProperties properties) {
        this(secret(properties.nextStep().secret()), properties.nextStep().ttl());
    }

    NextStepTokens(byte[] secret, Duration ttl) {
        this.key = new SecretKeySpec(secret, "HmacSHA256");
        this.ttl = ttl;
    }

    /** A checked token: the lead it is for (as its key) and whether it has expired. */
    record Verified(String leadKey, boolean expired) {
    }

    /** The token for a lead received {@code at}: it answers until {@code at + ttl}. */
    String issue(String leadId, Instant at) {
        byte[] leadKey = leadKeyBytes(leadId);
        long expiry = at.plus(ttl).getEpochSecond();
        byte[] token = ByteBuffer.allocate(TOKEN_BYTES).putLong(expiry).put(leadKey).put(tag(expiry, leadKey)).array();
        return Base64.getUrlEncoder().withoutPadding().encodeToString(token);
    }

    /** The lead's key, which the decisions read from {@code leads.routed} are remembered under. */
    String leadKey(String leadId) {
        return HexFormat.of().formatHex(leadKeyBytes(leadId));
    }

    /** The token's lead and expiry, or empty when it is no token of ours (malformed, or its tag does not hold). */
    Optional<Verified> verify(String token, Instant now) {
        if (token == null || token.length() != TOKEN_CHARS) {
            return Optional.empty();
        }
        byte[] bytes;
        try {
            bytes = Base64.getUrlDecoder().decode(token);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (bytes.length != TOKEN_BYTES) {
            return Optional.empty();
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        long expiry = buffer.getLong();
        byte[] leadKey = new byte[KEY_BYTES];
        buffer.get(leadKey);
        byte[] tag = new byte[TAG_BYTES];
        buffer.get(tag);
        if (!MessageDigest.isEqual(tag, tag(expiry, leadKey))) {
            return Optional.empty();
        }
        return Optional.of(new Verified(HexFormat.of().formatHex(leadKey), now.getEpochSecond() >= expiry));
    }

    private byte[] leadKeyBytes(String leadId) {
        return Arrays.copyOf(hmac("lead:".getBytes(StandardCharsets.UTF_8), leadId.getBytes(StandardCharsets.UTF_8)), KEY_BYTES);
    }

    private byte[] tag(long expiry, byte[] leadKey) {
        byte[] signed = ByteBuffer.allocate(Long.BYTES + KEY_BYTES).putLong(expiry).put(leadKey).array();
        return Arrays.copyOf(hmac("next:".getBytes(StandardCharsets.UTF_8), signed), TAG_BYTES);
    }

    private byte[] hmac(byte[] purpose, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            mac.update(purpose);
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable", e);
        }
    }

    private static byte[] secret(String configured) {
        if (configured != null && !configured.isBlank()) {
            return configured.trim().getBytes(StandardCharsets.UTF_8);
        }
        log.warn("LEADFLOW_INTAKE_NEXT_STEP_SECRET is not set: next-step links are signed with a key made up for this process, "
                + "so they answer only on this instance and until it restarts. Set the same secret on every instance.");
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        return random;
    }
}
