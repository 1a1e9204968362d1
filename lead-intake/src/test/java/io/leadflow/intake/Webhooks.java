package io.leadflow.intake;

import io.leadflow.intake.signature.Hmac;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Posts webhooks to the running service, signed the way each provider signs them. */
public final class Webhooks {

    public static final String WEBSITE_SECRET = "whsec_test_website_2026";
    public static final String WEBSITE_OLD_SECRET = "whsec_test_website_2025";
    public static final String CALENDLY_KEY = "calendly_test_signing_key";
    public static final String CALCOM_SECRET = "calcom_test_secret";
    public static final String MAILGUN_KEY = "key-mailgun-test-signing";
    public static final String HUBSPOT_SECRET = "hubspot-test-client-secret";

    private static final KeyPair SENDGRID_KEYS = ecKeyPair();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final int port;

    public Webhooks(int port) {
        this.port = port;
    }

    public static String sendGridPublicKey() {
        return Base64.getEncoder().encodeToString(SENDGRID_KEYS.getPublic().getEncoded());
    }

    public String url(String path) {
        return "http://localhost:" + port + path;
    }

    // --- signatures ---------------------------------------------------------------------------

    public static String timestamped(String secret, long unixSeconds, byte[] body) {
        byte[] prefix = (unixSeconds + ".").getBytes(StandardCharsets.UTF_8);
        return "t=" + unixSeconds + ",v1=" + Hmac.sha256Hex(secret, prefix, body);
    }

    public static String now() {
        return Long.toString(Instant.now().getEpochSecond());
    }

    public static String sendGridSignature(String timestamp, byte[] body) {
        try {
            Signature ecdsa = Signature.getInstance("SHA256withECDSA");
            ecdsa.initSign(SENDGRID_KEYS.getPrivate());
            ecdsa.update(timestamp.getBytes(StandardCharsets.UTF_8));
            ecdsa.update(body);
            return Base64.getEncoder().encodeToString(ecdsa.sign());
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public String hubSpotSignature(String secret, String path, byte[] body, String timestampMillis) {
        return Hmac.sha256Base64(secret, ("POST" + url(path)).getBytes(StandardCharsets.UTF_8), body,
                timestampMillis.getBytes(StandardCharsets.UTF_8));
    }

    /** Mailgun's signature fields for a fresh token. */
    public static Map<String, String> mailgunSignature(String key, long unixSeconds, String token) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("timestamp", Long.toString(unixSeconds));
        fields.put("token", token);
        fields.put("signature", Hmac.sha256Hex(key, Long.toString(unixSeconds).getBytes(StandardCharsets.UTF_8),
                token.getBytes(StandardCharsets.UTF_8)));
        return fields;
    }

    public static String newToken() {
        return UUID.randomUUID().toString().replace("-", "") + UUID.randomUUID().toString().replace("-", "").substring(0, 18);
    }

    // --- requests -----------------------------------------------------------------------------

    public HttpResponse<String> post(String path, String contentType, byte[] body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url(path)))
                .timeout(Duration.ofSeconds(20))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return send(request);
    }

    /** Sends the request and reads its answer as text; an I/O failure is unchecked. */
    public static HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public HttpResponse<String> postJson(String path, String json, String... headers) {
        return post(path, "application/json", json.getBytes(StandardCharsets.UTF_8), headers);
    }

    /** The website form, signed with the current secret. */
    public HttpResponse<String> website(String json) {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        return post("/webhooks/website", "application/json", body,
                "X-Leadflow-Signature", timestamped(WEBSITE_SECRET, Instant.now().getEpochSecond(), body));
    }

    /** A {@code multipart/form-data} body: text fields, then files. */
    public static final class Multipart {

        private final String boundary = "----leadflow" + UUID.randomUUID().toString().replace("-", "");
        private final List<String[]> fields = new ArrayList<>();
        private final List<Object[]> files = new ArrayList<>();

        public Multipart field(String name, String value) {
            fields.add(new String[] {name, value});
            return this;
        }

        public Multipart fields(Map<String, String> values) {
            values.forEach(this::field);
            return this;
        }

        public Multipart file(String name, String filename, byte[] content) {
            files.add(new Object[] {name, filename, content});
            return this;
        }

        public String contentType() {
            return "multipart/form-data; boundary=" + boundary;
        }

        public byte[] body() {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (String[] field : fields) {
                write(out, "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + field[0] + "\"\r\n"
                        + "Content-Type: text/plain; charset=UTF-8\r\n\r\n" + field[1] + "\r\n");
            }
            for (Object[] file : files) {
                write(out, "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + file[0] + "\"; filename=\""
                        + file[1] + "\"\r\nContent-Type: application/octet-stream\r\n\r\n");
                out.writeBytes((byte[]) file[2]);
                write(out, "\r\n");
            }
            write(out, "--" + boundary + "--\r\n");
            return out.toByteArray();
        }

        private static void write(ByteArrayOutputStream out, String s) {
            out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
        }
    }

    /** An {@code application/x-www-form-urlencoded} body. */
    public static byte[] urlEncoded(Map<String, String> fields) {
        StringBuilder sb = new StringBuilder();
        fields.forEach((k, v) -> {
            if (!sb.isEmpty()) {
                sb.append('&');
            }
            sb.append(java.net.URLEncoder.encode(k, StandardCharsets.UTF_8)).append('=')
                    .append(java.net.URLEncoder.encode(v, StandardCharsets.UTF_8));
        });
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static KeyPair ecKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
