package io.leadflow.intake.email;

import io.leadflow.intake.signature.OAuthTokens;
import io.leadflow.intake.system.IntakeProperties;
import io.leadflow.intake.system.RawBody;
import io.leadflow.intake.system.RejectedRequest;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.util.unit.DataSize;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code POST /webhooks/email/sendgrid/oauth/token}: the token URL of a SendGrid Inbound Parse OAuth security policy.
 * SendGrid asks it for an access token with the client-credentials grant (RFC 6749 section 4.4), the client id and
 * secret in HTTP Basic authentication or in the form, and sends the token with each parse request. Errors follow RFC
 * 6749 section 5.2 ({@code error} in the body) inside problem details.
 */
@RestController
class SendGridTokenController {

    private static final DataSize MAX_BODY = DataSize.ofKilobytes(8);

    private final OAuthTokens tokens;
    private final IntakeProperties properties;

    SendGridTokenController(OAuthTokens tokens, IntakeProperties properties) {
        this.tokens = tokens;
        this.properties = properties;
    }

    @PostMapping(path = "/webhooks/email/sendgrid/oauth/token", consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Map<String, Object>> token(HttpServletRequest request) {
        Map<String, String> form = form(RawBody.read(request, MAX_BODY, properties.bodyReadTimeout()));
        String grant = form.get("grant_type");
        if (grant == null || grant.isBlank()) {
            throw RejectedRequest.oauth(400, "grant_type", "invalid_request", "grant_type is required");
        }
        if (!grant.equals("client_credentials")) {
            throw RejectedRequest.oauth(400, "grant_type", "unsupported_grant_type", "only client_credentials is supported");
        }
        String clientId = form.get("client_id");
        String clientSecret = form.get("client_secret");
        String basic = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (basic != null && basic.regionMatches(true, 0, "Basic ", 0, 6)) {
            String decoded = decodeBasic(basic.substring(6).trim());
            int colon = decoded.indexOf(':');
            if (colon < 0) {
                throw RejectedRequest.oauth(401, HttpHeaders.AUTHORIZATION, "invalid_client", "Basic credentials must be id:secret");
            }
            clientId = URLDecoder.decode(decoded.substring(0, colon), StandardCharsets.UTF_8);
            clientSecret = URLDecoder.decode(decoded.substring(colon + 1), StandardCharsets.UTF_8);
        }
        String token = tokens.issue(clientId, clientSecret);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("access_token", token);
        body.put("token_type", "Bearer");
        body.put("expires_in", OAuthTokens.LIFETIME.toSeconds());
        if (form.get("scope") != null) {
            body.put("scope", form.get("scope"));
        }
        return ResponseEntity.ok().cacheControl(CacheControl.noStore()).header("Pragma", "no-cache").body(body);
    }

    private static String decodeBasic(String value) {
        try {
            return new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw RejectedRequest.oauth(401, HttpHeaders.AUTHORIZATION, "invalid_client", "Basic credentials are not base64");
        }
    }

    private static Map<String, String> form(byte[] body) {
        Map<String, String> form = new LinkedHashMap<>();
        for (String pair : new String(body, StandardCharsets.ISO_8859_1).split("&")) {
            int eq = pair.indexOf('=');
            if (pair.isEmpty()) {
                continue;
            }
            try {
                String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                if (form.putIfAbsent(name, value) != null) {
                    throw RejectedRequest.oauth(400, name, "invalid_request", name + " is repeated");
                }
            } catch (IllegalArgumentException e) {
                throw RejectedRequest.oauth(400, "body", "invalid_request", "the body is not valid form encoding");
            }
        }
        return form;
    }
}
