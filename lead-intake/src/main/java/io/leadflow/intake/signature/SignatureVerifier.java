package io.leadflow.intake.signature;

import io.leadflow.intake.system.IntakeProperties;
import io.leadflow.intake.system.RejectedRequest;
import io.leadflow.intake.system.WebhookSource;
import org.springframework.stereotype.Component;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks each provider's signature over the raw request bytes, before anything is parsed. Every
 * source may hold several secrets (rotation): a request passes when any secret matches any of its
 * signatures. Comparison is constant-time ({@code MessageDigest.isEqual}) over decoded bytes.
 *
 * <p>A source without a secret answers 503 "source not configured", unless
 * {@code leadflow.intake.allow-unsigned} is set (local stack only), in which case its requests are
 * accepted unchecked. A source with a secret is always checked.
 */
@Component
public class SignatureVerifier {

    public static final String WEBSITE_HEADER = "X-Leadflow-Signature";
    public static final String CALENDLY_HEADER = "Calendly-Webhook-Signature";
    public static final String CALCOM_HEADER = "X-Cal-Signature-256";
    public static final String SENDGRID_SIGNATURE_HEADER = "X-Twilio-Email-Event-Webhook-Signature";
    public static final String SENDGRID_TIMESTAMP_HEADER = "X-Twilio-Email-Event-Webhook-Timestamp";
    public static final String HUBSPOT_SIGNATURE_HEADER = "X-HubSpot-Signature-v3";
    public static final String HUBSPOT_TIMESTAMP_HEADER = "X-HubSpot-Request-Timestamp";

    private final IntakeProperties properties;
    private final Clock clock;
    private final List<PublicKey> sendGridKeys;

    public SignatureVerifier(IntakeProperties properties, Clock clock) {
        this.properties = properties;
        this.clock = clock;
        this.sendGridKeys = publicKeys(properties.secrets().of(WebhookSource.SENDGRID));
    }

    /** {@code t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">[,v1=...]}: the website form and Calendly. */
    public void verifyTimestamped(WebhookSource source, String headerName, String header, byte[] body) {
        List<String> secrets = secretsOrSkip(source);
        if (secrets.isEmpty()) {
            return;
        }
        TimestampedHeader parsed = TimestampedHeader.parse(header, headerName);
        requireFresh(Instant.ofEpochSecond(parsed.timestamp()), headerName);
        byte[] signed = concat(Hmac.utf8(parsed.timestamp() + "."), body);
        for (String secret : secrets) {
            byte[] expected = Hmac.sha256(secret, signed);
            for (String v1 : parsed.signatures()) {
                if (Hmac.equal(expected, Hmac.fromHex(v1))) {
                    return;
                }
            }
        }
        throw RejectedRequest.unauthorized(headerName, "signature does not match the body");
    }

    /** A hex HMAC-SHA256 of the raw body in one header: Cal.com. */
    public void verifyBodyHex(WebhookSource source, String headerName, String header, byte[] body) {
        List<String> secrets = secretsOrSkip(source);
        if (secrets.isEmpty()) {
            return;
        }
        byte[] provided = Hmac.fromHex(requireHeader(headerName, header).trim());
        for (String secret : secrets) {
            if (Hmac.equal(Hmac.sha256(secret, body), provided)) {
                return;
            }
        }
        throw RejectedRequest.unauthorized(headerName, "signature does not match the body");
    }

    /** Mailgun: hex HMAC-SHA256 of {@code timestamp + token} with the webhook signing key. */
    public void verifyMailgun(String timestamp, String token, String signature) {
        List<String> secrets = secretsOrSkip(WebhookSource.MAILGUN);
        if (secrets.isEmpty()) {
            return;
        }
        requireHeader("timestamp", timestamp);
        requireHeader("token", token);
        byte[] provided = Hmac.fromHex(requireHeader("signature", signature).trim());
        requireFresh(Instant.ofEpochSecond(parseLong(timestamp.trim(), "timestamp")), "timestamp");
        for (String secret : secrets) {
            if (Hmac.equal(Hmac.sha256(secret, Hmac.utf8(timestamp.trim()), Hmac.utf8(token.trim())), provided)) {
                return;
            }
        }
        throw RejectedRequest.unauthorized("signature", "signature does not match timestamp and token");
    }

    /** SendGrid signed webhooks: base64 ECDSA (P-256, SHA-256) signature of {@code timestamp + body}. */
    public void verifySendGrid(String signature, String timestamp, byte[] body) {
        if (secretsOrSkip(WebhookSource.SENDGRID).isEmpty()) {
            return;
        }
        byte[] provided = Hmac.fromBase64(requireHeader(SENDGRID_SIGNATURE_HEADER, signature));
        String ts = requireHeader(SENDGRID_TIMESTAMP_HEADER, timestamp).trim();
        requireFresh(Instant.ofEpochSecond(parseLong(ts, SENDGRID_TIMESTAMP_HEADER)), SENDGRID_TIMESTAMP_HEADER);
        if (provided != null) {
            for (PublicKey key : sendGridKeys) {
                try {
                    Signature ecdsa = Signature.getInstance("SHA256withECDSA");
                    ecdsa.initVerify(key);
                    ecdsa.update(Hmac.utf8(ts));
                    ecdsa.update(body);
                    if (ecdsa.verify(provided)) {
                        return;
                    }
                } catch (GeneralSecurityException e) {
                    // a malformed signature is simply not a match
                }
            }
        }
        throw RejectedRequest.unauthorized(SENDGRID_SIGNATURE_HEADER, "signature does not match the body");
    }

    /**
     * HubSpot v3: base64 HMAC-SHA256 of {@code method + uri + body + timestamp} with the app's client
     * secret; the timestamp header is in milliseconds and must be within the window.
     */
    public void verifyHubSpot(String signature, String timestamp, String method, String uri, byte[] body) {
        List<String> secrets = secretsOrSkip(WebhookSource.HUBSPOT);
        if (secrets.isEmpty()) {
            return;
        }
        byte[] provided = Hmac.fromBase64(requireHeader(HUBSPOT_SIGNATURE_HEADER, signature));
        String ts = requireHeader(HUBSPOT_TIMESTAMP_HEADER, timestamp).trim();
        requireFresh(Instant.ofEpochMilli(parseLong(ts, HUBSPOT_TIMESTAMP_HEADER)), HUBSPOT_TIMESTAMP_HEADER);
        for (String secret : secrets) {
            byte[] expected = Hmac.sha256(secret, Hmac.utf8(method + uri), body, Hmac.utf8(ts));
            if (Hmac.equal(expected, provided)) {
                return;
            }
        }
        throw RejectedRequest.unauthorized(HUBSPOT_SIGNATURE_HEADER, "signature does not match method, URI, body and timestamp");
    }

    /** True when requests from this source are checked (a secret is set). */
    public boolean isSigned(WebhookSource source) {
        return !properties.secrets().of(source).isEmpty();
    }

    private List<String> secretsOrSkip(WebhookSource source) {
        List<String> secrets = properties.secrets().of(source);
        if (secrets.isEmpty() && !properties.allowUnsigned()) {
            throw RejectedRequest.notConfigured(source.tag(), source.secretEnv(), properties.retryAfter());
        }
        return secrets;
    }

    private void requireFresh(Instant signedAt, String field) {
        Duration age = Duration.between(signedAt, clock.instant()).abs();
        if (age.compareTo(properties.signatureMaxAge()) > 0) {
            throw RejectedRequest.unauthorized(field,
                    "timestamp is outside the " + properties.signatureMaxAge().toSeconds() + "s window");
        }
    }

    private static String requireHeader(String name, String value) {
        if (value == null || value.isBlank()) {
            throw RejectedRequest.unauthorized(name, "is missing");
        }
        return value;
    }

    static long parseLong(String value, String field) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw RejectedRequest.unauthorized(field, "timestamp is not a number");
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static List<PublicKey> publicKeys(List<String> base64Keys) {
        List<PublicKey> keys = new ArrayList<>();
        for (String b64 : base64Keys) {
            String body = b64.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
            try {
                keys.add(KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(java.util.Base64.getDecoder().decode(body))));
            } catch (GeneralSecurityException | IllegalArgumentException e) {
                throw new IllegalStateException(WebhookSource.SENDGRID.secretEnv()
                        + " must hold base64 (X.509 SubjectPublicKeyInfo) ECDSA public keys, comma-separated", e);
            }
        }
        return List.copyOf(keys);
    }

    /** The parsed {@code t=...,v1=...} header. */
    record TimestampedHeader(long timestamp, List<String> signatures) {

        static TimestampedHeader parse(String header, String headerName) {
            requireHeader(headerName, header);
            Long t = null;
            List<String> v1 = new ArrayList<>();
            for (String element : header.split(",")) {
                int eq = element.indexOf('=');
                if (eq <= 0) {
                    continue;
                }
                String key = element.substring(0, eq).trim();
                String value = element.substring(eq + 1).trim();
                if (key.equals("t")) {
                    t = parseLong(value, headerName);
                } else if (key.equals("v1")) {
                    v1.add(value);
                }
            }
            if (t == null || v1.isEmpty()) {
                throw RejectedRequest.unauthorized(headerName, "must look like t=<unix seconds>,v1=<hex signature>");
            }
            return new TimestampedHeader(t, v1);
        }
    }
}
