package io.leadflow.intake.signature;

import io.leadflow.intake.system.IntakeProperties;
import io.leadflow.intake.system.RejectedRequest;
import org.springframework.stereotype.Component;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The OAuth 2.0 client-credentials grant (RFC 6749 section 4.4) SendGrid's Inbound Parse security policies use: the
 * policy names a token URL, a client id and a client secret; SendGrid fetches a token there and sends it as
 * {@code Authorization: Bearer} with every parse request. lead-intake is that token server itself, so no third party
 * is needed: a token is {@code v1.<client id hex>.<expiry>.<nonce>.<HMAC of those with the client secret>}, which any
 * instance can check without shared state, and which stops working when the secret is rotated out.
 */
@Component
public class OAuthTokens {

    /** How long an access token is valid; SendGrid fetches a new one when told {@code invalid_token}. */
    public static final Duration LIFETIME = Duration.ofHours(1);

    private static final Base64.Encoder URL = Base64.getUrlEncoder().withoutPadding();
    private static final int MAX_TOKEN = 512;

    private final IntakeProperties properties;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    public OAuthTokens(IntakeProperties properties, Clock clock) {
        this.properties = properties;
        this.clock = clock;
    }

    /** Whether this instance issues and requires tokens (both the client id and secret are set). */
    public boolean enabled() {
        return properties.secrets().sendGridOAuthConfigured();
    }

    /** A new access token for a client that authenticated with these credentials; 401 {@code invalid_client} otherwise. */
    public String issue(String clientId, String clientSecret) {
        if (!enabled()) {
            throw RejectedRequest.oauth(404, "client_id", "invalid_client", "no OAuth client is configured for SendGrid");
        }
        String expected = properties.secrets().sendgridOauthClientId().trim();
        boolean idMatches = clientId != null && Hmac.equal(expected.getBytes(StandardCharsets.UTF_8), clientId.getBytes(StandardCharsets.UTF_8));
        String secret = secrets().stream()
                .filter(s -> clientSecret != null && Hmac.equal(s.getBytes(StandardCharsets.UTF_8), clientSecret.getBytes(StandardCharsets.UTF_8)))
                .findFirst().orElse(null);
        if (!idMatches || secret == null) {
            throw RejectedRequest.oauth(401, "client_secret", "invalid_client", "client authentication failed");
        }
        byte[] nonce = new byte[12];
        random.nextBytes(nonce);
        String payload = "v1." + HexFormat.of().formatHex(clientId.getBytes(StandardCharsets.UTF_8)) + "."
                + clock.instant().plus(LIFETIME).getEpochSecond() + "." + URL.encodeToString(nonce);
        return payload + "." + URL.encodeToString(Hmac.sha256(secret, payload.getBytes(StandardCharsets.UTF_8)));
    }

    /** Checks {@code Authorization: Bearer <token>}; 401 whose body says {@code invalid_token} otherwise (RFC 6750). */
    public void verifyBearer(String authorization) {
        if (authorization == null || authorization.isBlank()) {
            throw RejectedRequest.oauth(401, SignatureVerifier.AUTHORIZATION_HEADER, "invalid_token",
                    "a bearer token is required: SendGrid sends one when the OAuth security policy is attached to the parse setting");
        }
        String value = authorization.trim();
        if (!value.regionMatches(true, 0, "Bearer ", 0, 7) || value.length() > MAX_TOKEN) {
            throw RejectedRequest.oauth(401, SignatureVerifier.AUTHORIZATION_HEADER, "invalid_token", "is not a bearer token");
        }
        String token = value.substring(7).trim();
        int lastDot = token.lastIndexOf('.');
        String[] parts = token.split("\\.", -1);
        if (parts.length != 5 || !parts[0].equals("v1") || lastDot < 0) {
            throw RejectedRequest.oauth(401, SignatureVerifier.AUTHORIZATION_HEADER, "invalid_token", "the token is malformed");
        }
        String payload = token.substring(0, lastDot);
        byte[] mac = decode(parts[4]);
        boolean signed = secrets().stream().anyMatch(s -> Hmac.equal(Hmac.sha256(s, payload.getBytes(StandardCharsets.UTF_8)), mac));
        long expiry;
        try {
            expiry = Long.parseLong(parts[2]);
        } catch (NumberFormatException e) {
            expiry = 0;
        }
        if (!signed || expiry < clock.instant().getEpochSecond()) {
            throw RejectedRequest.oauth(401, SignatureVerifier.AUTHORIZATION_HEADER, "invalid_token", "the token is not valid or has expired");
        }
    }

    private java.util.List<String> secrets() {
        return java.util.Arrays.stream(properties.secrets().sendgridOauthClientSecret().split(","))
                .map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    private static byte[] decode(String base64Url) {
        try {
            return Base64.getUrlDecoder().decode(base64Url);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
