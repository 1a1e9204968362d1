package io.leadflow.sandbox.slack;

import tools.jackson.databind.node.ObjectNode;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
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

/**
 * Sends a click to the app's interactivity request URL as Slack does
 * (https://docs.slack.dev/interactivity/handling-user-interaction): an HTTP POST,
 * {@code application/x-www-form-urlencoded}, whose one field {@code payload} is the interaction's JSON, signed with
 * the app's signing secret (https://api.slack.com/authentication/verifying-requests-from-slack):
 * {@code X-Slack-Request-Timestamp} is the time in seconds and {@code X-Slack-Signature} is {@code v0=} followed by
 * the hex HMAC-SHA256 of {@code v0:<timestamp>:<raw body>}. Slack waits 3 seconds for the answer.
 */
public final class SlackInteractions {

    /** How long Slack waits for the app to acknowledge an interaction. */
    static final Duration SLACK_TIMEOUT = Duration.ofSeconds(3);

    private final HttpClient http;
    private final URI requestUrl;
    private final String responseUrlBase;
    private final String signingSecret;
    private final Clock clock;

    /**
     * @param requestUrl      the app's interactivity request URL (lead-intake's {@code /webhooks/slack/interactions})
     * @param responseUrlBase where the sandbox takes the {@code response_url} calls of the clicks it sends
     * @param signingSecret   the app's signing secret; never logged
     */
    public SlackInteractions(URI requestUrl, String responseUrlBase, String signingSecret, Clock clock) {
        if (signingSecret == null || signingSecret.isBlank()) {
            throw new IllegalArgumentException("A Slack signing secret must not be empty");
        }
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        this.requestUrl = requestUrl;
        this.responseUrlBase = responseUrlBase;
        this.signingSecret = signingSecret;
        this.clock = clock;
    }

    /** What the app answered. */
    public record Delivery(int status, String body) {
    }

    /** Posts the interaction payload, signed, and returns the app's answer. */
    public Delivery send(ObjectNode payload) {
        String body = "payload=" + URLEncoder.encode(payload.toString(), StandardCharsets.UTF_8);
        String timestamp = Long.toString(clock.instant().getEpochSecond());
        HttpRequest request = HttpRequest.newBuilder(requestUrl)
                .timeout(SLACK_TIMEOUT)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("User-Agent", "Slackbot 1.0 (+https://api.slack.com/robots)")
                .header("X-Slack-Request-Timestamp", timestamp)
                .header("X-Slack-Signature", signature(timestamp, body))
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                .build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Delivery(response.statusCode(), response.body());
        } catch (IOException e) {
            throw new IllegalStateException("The app did not answer the click at " + requestUrl + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while sending the click to " + requestUrl, e);
        }
    }

    public URI requestUrl() {
        return requestUrl;
    }

    public String responseUrlBase() {
        return responseUrlBase;
    }

    /** The {@code X-Slack-Signature} of a request body sent at {@code timestamp} (seconds), with this app's signing secret. */
    public String signature(String timestamp, String body) {
        return signature(signingSecret, timestamp, body);
    }

    /** Slack's v0 request signature: {@code v0=} + hex HMAC-SHA256 of {@code v0:<timestamp>:<body>} keyed by the secret. */
    static String signature(String secret, String timestamp, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] digest = mac.doFinal(("v0:" + timestamp + ":" + body).getBytes(StandardCharsets.UTF_8));
            return "v0=" + HexFormat.of().formatHex(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
        }
    }

    @Override
    public String toString() {
        return "SlackInteractions[" + requestUrl + ", signingSecret=***]";
    }
}
