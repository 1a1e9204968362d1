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
import java.util.Base64;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Checks each provider's signature over the raw request bytes, before anything is parsed. Every
 * source may hold several secrets (rotation): a request passes when any secret matches any of its
 * signatures. Comparison is constant-time ({@code MessageDigest.isEqual}) over decoded bytes.
 *
 * <p>Freshness: the website form, HubSpot and Slack sign every attempt afresh, so their timestamps must be within
 * {@code signature-max-age} (5 minutes, as HubSpot and Slack document). Calendly, Mailgun and SendGrid may resend a delivery
 * with its original signature while they retry, so their timestamps may be as old as that provider retries
 * ({@link IntakeProperties.RetryWindows}); a delivery already accepted is answered idempotently by the replay memory,
 * never published twice. Cal.com signs the body only, without a timestamp.
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
    public static final String AUTHORIZATION_HEADER = "Authorization";
    public static final String SLACK_SIGNATURE_HEADER = "X-Slack-Signature";
    public static final String SLACK_TIMESTAMP_HEADER = "X-Slack-Request-Timestamp";
    /** The only version of Slack's request signatures: {@code v0=<hex>} over {@code v0:<timestamp>:<body>}. */
    static final String SLACK_VERSION = "v0";

    private final IntakeProperties properties;
    private final Clock clock;
    private final List<PublicKey> sendGridKeys;
    private final OAuthTokens sendGridTokens;

    public SignatureVerifier(IntakeProperties properties, Clock clock, OAuthTokens sendGridTokens) {
        this.properties = properties;
        this.clock = clock;
        this.sendGridKeys = publicKeys(properties.secrets().of(WebhookSource.SENDGRID));
        this.sendGridTokens = sendGridTokens;
    }

    /**
     * Checks a request signed in its headers (every source but Mailgun, whose signature is in the body).
     *
     * @param header a request header by name, null when absent
     * @param method the HTTP method (HubSpot signs it)
     * @param uri    the URI HubSpot signed
     */
    public void verify(WebhookSource source, byte[] body, UnaryOperator<String> header, String method, String uri) {
        switch (source) {
            case WEBSITE -> verifyTimestamped(source, WEBSITE_HEADER, header.apply(WEBSITE_HEADER), body, properties.signatureMaxAge());
            case CALENDLY -> verifyTimestamped(source, CALENDLY_HEADER, header.apply(CALENDLY_HEADER), body,
                    properties.retryWindows().calendly());
            case CALCOM -> verifyBodyHex(source, CALCOM_HEADER, header.apply(CALCOM_HEADER), body);
            case SENDGRID -> verifySendGrid(header, body);
            case HUBSPOT -> verifyHubSpot(header.apply(HUBSPOT_SIGNATURE_HEADER), header.apply(HUBSPOT_TIMESTAMP_HEADER), method, uri, body);
            case SLACK -> verifySlack(header.apply(SLACK_SIGNATURE_HEADER), header.apply(SLACK_TIMESTAMP_HEADER), body);
            case MAILGUN -> throw new IllegalArgumentException("Mailgun signs fields of the body: use verifyMailgun");
        }
    }

    /** {@code t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">[,v1=...]}: the website form and Calendly. */
    private void verifyTimestamped(WebhookSource source, String headerName, String header, byte[] body, Duration window) {
        List<String> secrets = secretsOrSkip(source);
        if (secrets.isEmpty()) {
            return;
        }
        TimestampedHeader parsed = TimestampedHeader.parse(header, headerName);
        requireFresh(epochSeconds(parsed.timestamp(), headerName), headerName, window);
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
    private void verifyBodyHex(WebhookSource source, String headerName, String header, byte[] body) {
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
        requireFresh(epochSeconds(parseLong(timestamp.trim(), "timestamp"), "timestamp"), "timestamp", properties.retryWindows().mailgun());
        for (String secret : secrets) {
            if (Hmac.equal(Hmac.sha256(secret, Hmac.utf8(timestamp.trim()), Hmac.utf8(token.trim())), provided)) {
                return;
            }
        }
        throw RejectedRequest.unauthorized("signature", "signature does not match timestamp and token");
    }

    /**
     * SendGrid Inbound Parse, as its security policies document: with a signature policy, a base64 ECDSA (P-256,
     * SHA-256) signature of {@code timestamp + raw body}; with an OAuth policy, a bearer token SendGrid fetched from
     * {@link OAuthTokens}' token endpoint; with both, both. Without a policy attached SendGrid sends neither, which
     * the answer says in so many words.
     */
    private void verifySendGrid(UnaryOperator<String> header, byte[] body) {
        if (!properties.secrets().configured(WebhookSource.SENDGRID)) {
            secretsOrSkip(WebhookSource.SENDGRID);
            return;
        }
        if (properties.secrets().sendGridOAuthConfigured()) {
            sendGridTokens.verifyBearer(header.apply(AUTHORIZATION_HEADER));
        }
        if (sendGridKeys.isEmpty()) {
            return;
        }
        String signature = header.apply(SENDGRID_SIGNATURE_HEADER);
        if (signature == null || signature.isBlank()) {
            throw RejectedRequest.unauthorized(SENDGRID_SIGNATURE_HEADER, "is missing: SendGrid signs Inbound Parse requests only "
                    + "when a security policy with signature verification is attached to the parse setting");
        }
        byte[] provided = Hmac.fromBase64(signature);
        String ts = requireHeader(SENDGRID_TIMESTAMP_HEADER, header.apply(SENDGRID_TIMESTAMP_HEADER)).trim();
        requireFresh(epochSeconds(parseLong(ts, SENDGRID_TIMESTAMP_HEADER), SENDGRID_TIMESTAMP_HEADER), SENDGRID_TIMESTAMP_HEADER,
                properties.retryWindows().sendgrid());
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
    private void verifyHubSpot(String signature, String timestamp, String method, String uri, byte[] body) {
        List<String> secrets = secretsOrSkip(WebhookSource.HUBSPOT);
        if (secrets.isEmpty()) {
            return;
        }
        byte[] provided = Hmac.fromBase64(requireHeader(HUBSPOT_SIGNATURE_HEADER, signature));
        String ts = requireHeader(HUBSPOT_TIMESTAMP_HEADER, timestamp).trim();
        requireFresh(Instant.ofEpochMilli(parseLong(ts, HUBSPOT_TIMESTAMP_HEADER)), HUBSPOT_TIMESTAMP_HEADER, properties.signatureMaxAge());
        for (String secret : secrets) {
            byte[] expected = Hmac.sha256(secret, Hmac.utf8(method + uri), body, Hmac.utf8(ts));
            if (Hmac.equal(expected, provided)) {
                return;
            }
        }
        throw RejectedRequest.unauthorized(HUBSPOT_SIGNATURE_HEADER, "signature does not match method, URI, body and timestamp");
    }

    /**
     * Slack, as "Verifying requests from Slack" documents it
     * (https://docs.slack.dev/authentication/verifying-requests-from-slack): {@code X-Slack-Signature: v0=<hex>}, the
     * HMAC-SHA256 with the app's signing secret of {@code "v0:" + X-Slack-Request-Timestamp + ":" + raw body}; a
     * timestamp (unix seconds) more than five minutes from now may be a replay and is refused. Slack signs every request
     * afresh.
     */
    private void verifySlack(String signature, String timestamp, byte[] body) {
        List<String> secrets = secretsOrSkip(WebhookSource.SLACK);
        if (secrets.isEmpty()) {
            return;
        }
        String ts = requireHeader(SLACK_TIMESTAMP_HEADER, timestamp).trim();
        String provided = requireHeader(SLACK_SIGNATURE_HEADER, signature).trim();
        requireFresh(epochSeconds(parseLong(ts, SLACK_TIMESTAMP_HEADER), SLACK_TIMESTAMP_HEADER), SLACK_TIMESTAMP_HEADER,
                properties.signatureMaxAge());
        if (!provided.startsWith(SLACK_VERSION + "=")) {
            throw RejectedRequest.unauthorized(SLACK_SIGNATURE_HEADER, "must look like v0=<hex signature>");
        }
        byte[] hex = Hmac.fromHex(provided.substring(SLACK_VERSION.length() + 1));
        byte[] prefix = Hmac.utf8(SLACK_VERSION + ":" + ts + ":");
        for (String secret : secrets) {
            if (Hmac.equal(Hmac.sha256(secret, prefix, body), hex)) {
                return;
            }
        }
        throw RejectedRequest.unauthorized(SLACK_SIGNATURE_HEADER, "signature does not match timestamp and body");
    }

    /** True when requests from this source are checked. */
    public boolean isSigned(WebhookSource source) {
        return properties.secrets().configured(source);
    }

    private List<String> secretsOrSkip(WebhookSource source) {
        List<String> secrets = properties.secrets().of(source);
        if (!properties.secrets().configured(source) && !properties.allowUnsigned()) {
            throw RejectedRequest.notConfigured(source.tag(), source.secretEnv(), properties.retryAfter());
        }
        return secrets;
    }

    private void requireFresh(Instant signedAt, String field, Duration window) {
        Duration age = Duration.between(signedAt, clock.instant());
        if (age.compareTo(window) > 0 || age.negated().compareTo(properties.signatureMaxAge()) > 0) {
            throw RejectedRequest.unauthorized(field, "timestamp is outside the " + window.toSeconds() + "s window");
        }
    }

    private static Instant epochSeconds(long seconds, String field) {
        if (Math.abs(seconds) > Instant.MAX.getEpochSecond()) {
            throw RejectedRequest.unauthorized(field, "timestamp is out of range");
        }
        return Instant.ofEpochSecond(seconds);
    }

    private static String requireHeader(String name, String value) {
        if (value == null || value.isBlank()) {
            throw RejectedRequest.unauthorized(name, "is missing");
        }
        return value;
    }

    static long parseLong(String value, String field) {
        if (value.length() > 19) {
            throw RejectedRequest.unauthorized(field, "timestamp is not a number");
        }
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

    /** SendGrid hands out keys as base64 DER (SubjectPublicKeyInfo); a PEM wrapper around it is tolerated. */
    private static List<PublicKey> publicKeys(List<String> base64Keys) {
        List<PublicKey> keys = new ArrayList<>();
        for (String b64 : base64Keys) {
            StringBuilder der = new StringBuilder();
            for (String line : b64.split("\n")) {
                String trimmed = line.trim();
                if (!trimmed.startsWith("-----")) {
                    der.append(trimmed.replace(" ", ""));
                }
            }
            try {
                keys.add(KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(der.toString()))));
            } catch (GeneralSecurityException | IllegalArgumentException e) {
                throw new IllegalStateException(WebhookSource.SENDGRID.secretEnv()
                        + " must hold base64 (X.509 SubjectPublicKeyInfo) ECDSA public keys, comma-separated", e);
            }
        }
        return List.copyOf(keys);
    }

    /** The parsed {@code t=...,v1=...} header. */
    record TimestampedHeader(long timestamp, List<String> signatures) {

        /** More signatures than any rotation needs are not read. */
        private static final int MAX_SIGNATURES = 8;

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
                } else if (key.equals("v1") && v1.size() < MAX_SIGNATURES) {
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
