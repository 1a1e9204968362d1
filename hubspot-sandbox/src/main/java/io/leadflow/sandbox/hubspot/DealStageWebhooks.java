package io.leadflow.sandbox.hubspot;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

import static io.leadflow.sandbox.hubspot.Answers.JSON;

/**
 * Delivers the sandbox's deal stage changes as a HubSpot app's webhook subscription would: a JSON array of one
 * {@code deal.propertyChange} event for {@code dealstage}, POSTed to {@code target}, signed with the app's client
 * secret as {@code X-HubSpot-Signature-v3} (unsigned when there is none). One at a time, off the caller's thread;
 * a delivery that fails is logged, not retried.
 * https://developers.hubspot.com/docs/apps/developer-platform/build-apps/authentication/request-validation
 */
public final class DealStageWebhooks implements Consumer<HubSpotSandbox.StageChange>, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DealStageWebhooks.class);

    private final URI target;
    private final String clientSecret;
    private final long portalId;
    private final Clock clock;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ExecutorService sender = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "hubspot-sandbox-webhooks");
        t.setDaemon(true);
        return t;
    });

    /** @param clientSecret the app's client secret; empty for unsigned deliveries */
    public DealStageWebhooks(URI target, String clientSecret, long portalId, Clock clock) {
        this.target = target;
        this.clientSecret = clientSecret == null ? "" : clientSecret;
        this.portalId = portalId;
        this.clock = clock;
    }

    @Override
    public void accept(HubSpotSandbox.StageChange change) {
        if (sender.isShutdown()) {
            return;
        }
        sender.submit(() -> {
            try {
                HttpResponse<String> response = deliver(change);
                if (response.statusCode() >= 300) {
                    log.warn("{} answered {} to the sandbox's deal-stage webhook: {}", target, response.statusCode(), response.body());
                }
            } catch (IOException | RuntimeException e) {
                log.warn("HubSpot sandbox could not deliver the deal-stage webhook for deal {}: {}", change.dealId(), e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    /** Posts one delivery now and returns the answer. */
    HttpResponse<String> deliver(HubSpotSandbox.StageChange change) throws IOException, InterruptedException {
        long eventId = clock.millis() * 10 + ThreadLocalRandom.current().nextInt(10);
        byte[] body = payload(eventId, portalId, change).getBytes(StandardCharsets.UTF_8);
        HttpRequest.Builder request = HttpRequest.newBuilder(target).timeout(Duration.ofSeconds(15))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (!clientSecret.isEmpty()) {
            String timestamp = Long.toString(clock.millis());
            request.header("X-HubSpot-Signature-v3", signatureV3(clientSecret, "POST", target.toString(), body, timestamp))
                    .header("X-HubSpot-Request-Timestamp", timestamp);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The webhook batch HubSpot sends for one change of a deal's {@code dealstage}. */
    public static String payload(long eventId, long portalId, HubSpotSandbox.StageChange change) {
        ArrayNode batch = JSON.createArrayNode();
        ObjectNode event = batch.addObject();
        event.put("eventId", eventId);
        event.put("subscriptionId", 2_400_001);
        event.put("portalId", portalId);
        event.put("appId", 1_600_001);
        event.put("occurredAt", change.occurredAt().toEpochMilli());
        event.put("subscriptionType", "deal.propertyChange");
        event.put("attemptNumber", 0);
        event.put("objectId", Long.parseLong(change.dealId()));
        event.put("propertyName", "dealstage");
        event.put("propertyValue", change.stageId());
        if (change.pipelineId() != null) {
            event.put("pipelineId", change.pipelineId());
        }
        event.put("changeSource", "CRM_UI");
        return batch.toString();
    }

    /** HubSpot's v3 signature: base64 of the HMAC-SHA256, keyed by the client secret, of method + URI + body + timestamp (ms). */
    public static String signatureV3(String secret, String method, String uri, byte[] body, String timestampMillis) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((method + uri).getBytes(StandardCharsets.UTF_8));
            mac.update(body);
            mac.update(timestampMillis.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(mac.doFinal());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    @Override
    public void close() {
        sender.shutdownNow();
    }
}
