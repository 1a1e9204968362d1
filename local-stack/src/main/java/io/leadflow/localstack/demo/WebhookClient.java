package io.leadflow.localstack.demo;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;

/**
 * Posts webhooks to lead-intake the way each provider sends them, signed as each provider signs when
 * the local stack has that source's secret: the website form and Calendly ({@code t=..,v1=<hex HMAC of
 * "t.body">}), Cal.com (hex HMAC of the body) and Mailgun (HMAC of timestamp + token in the form). HubSpot's
 * deal-stage webhooks come from the HubSpot sandbox itself ({@code DealStageWebhooks}).
 */
public final class WebhookClient {

    private final String baseUrl;
    private final WebhookSecrets secrets;
    private final Clock clock;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public WebhookClient(String intakeBaseUrl, WebhookSecrets secrets, Clock clock) {
        this.baseUrl = intakeBaseUrl.endsWith("/") ? intakeBaseUrl.substring(0, intakeBaseUrl.length() - 1) : intakeBaseUrl;
        this.secrets = secrets;
        this.clock = clock;
    }

    public String url(String path) {
        return baseUrl + path;
    }

    public HttpResponse<String> website(String json) {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        return secrets.website().isEmpty() ? post("/webhooks/website", "application/json", body)
                : post("/webhooks/website", "application/json", body, "X-Leadflow-Signature", timestamped(secrets.website(), body));
    }

    public HttpResponse<String> calendly(String json) {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        return secrets.calendly().isEmpty() ? post("/webhooks/calendly", "application/json", body)
                : post("/webhooks/calendly", "application/json", body, "Calendly-Webhook-Signature", timestamped(secrets.calendly(), body));
    }

    public HttpResponse<String> calcom(String json) {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        return secrets.calcom().isEmpty() ? post("/webhooks/calcom", "application/json", body)
                : post("/webhooks/calcom", "application/json", body, "X-Cal-Signature-256", HexFormat.of().formatHex(hmac(secrets.calcom(), body)));
    }

    /** Mailgun's route forward: form fields, plus {@code timestamp}, {@code token}, {@code signature} when signed. */
    public HttpResponse<String> mailgun(Map<String, String> fields) {
        StringBuilder form = new StringBuilder();
        fields.forEach((k, v) -> append(form, k, v));
        String timestamp = Long.toString(clock.instant().getEpochSecond());
        String token = UUID.randomUUID().toString().replace("-", "") + UUID.randomUUID().toString().replace("-", "").substring(0, 18);
        append(form, "timestamp", timestamp);
        append(form, "token", token);
        if (!secrets.mailgun().isEmpty()) {
            append(form, "signature", HexFormat.of().formatHex(hmac(secrets.mailgun(), (timestamp + token).getBytes(StandardCharsets.UTF_8))));
        }
        return post("/webhooks/email/mailgun", "application/x-www-form-urlencoded", form.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** {@code t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">}: the website form's and Calendly's header. */
    public String timestamped(String secret, byte[] body) {
        long t = clock.instant().getEpochSecond();
        byte[] prefix = (t + ".").getBytes(StandardCharsets.UTF_8);
        byte[] signed = new byte[prefix.length + body.length];
        System.arraycopy(prefix, 0, signed, 0, prefix.length);
        System.arraycopy(body, 0, signed, prefix.length, body.length);
        return "t=" + t + ",v1=" + HexFormat.of().formatHex(hmac(secret, signed));
    }

    public static byte[] hmac(String secret, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    private HttpResponse<String> post(String path, String contentType, byte[] body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url(path)))
                .timeout(Duration.ofSeconds(15))
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException("POST " + url(path) + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while posting to " + url(path), e);
        }
    }

    private static void append(StringBuilder form, String key, String value) {
        if (!form.isEmpty()) {
            form.append('&');
        }
        form.append(URLEncoder.encode(key, StandardCharsets.UTF_8)).append('=').append(URLEncoder.encode(value, StandardCharsets.UTF_8));
    }
}
