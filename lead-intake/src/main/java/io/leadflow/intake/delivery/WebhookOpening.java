package io.leadflow.intake.delivery;

import io.leadflow.intake.signature.SignatureVerifier;
import io.leadflow.intake.system.IntakeMetrics;
import io.leadflow.intake.system.IntakeProperties;
import io.leadflow.intake.system.RawBody;
import io.leadflow.intake.system.WebhookSource;
import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;
import org.springframework.util.unit.DataSize;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The one way into lead-intake, shared by every webhook: read the raw body (bounded in size and time), verify the
 * provider's signature over those exact bytes, consult the replay memory, and only then let the controller parse.
 * When the controller's answer is known (after Kafka acknowledged what it published), the delivery is recorded as
 * accepted; when it fails, a claim is released so the provider's retry can go through. A delivery already accepted
 * is answered again with its first answer, and nothing is published.
 */
@Component
public class WebhookOpening {

    private static final Logger log = LoggerFactory.getLogger(WebhookOpening.class);

    /** Body credentials a provider signs inside the body (Mailgun), with the parsed body they came from. */
    public record BodySigned<T>(String timestamp, String token, String signature, T parsed) {
    }

    private final SignatureVerifier signatures;
    private final DeliveryLedger ledger;
    private final IntakeProperties properties;
    private final IntakeMetrics metrics;

    public WebhookOpening(SignatureVerifier signatures, DeliveryLedger ledger, IntakeProperties properties, IntakeMetrics metrics) {
        this.signatures = signatures;
        this.ledger = ledger;
        this.properties = properties;
        this.metrics = metrics;
    }

    /** A source that signs in its headers: read, verify, check for a repeat, then {@code handler}. */
    public CompletableFuture<ResponseEntity<Map<String, Object>>> receive(HttpServletRequest request, WebhookSource source,
                                                                          Function<Delivery, CompletableFuture<Answer>> handler) {
        long arrived = System.nanoTime();
        byte[] body = RawBody.read(request, limit(source), properties.bodyReadTimeout());
        signatures.verify(source, body, request::getHeader, request.getMethod(), signedUri(request));
        String sha = sha256(body);
        // HubSpot regroups retried events into new batches, so its events are remembered one by one instead
        DeliveryLedger.Claim claim;
        try {
            claim = source == WebhookSource.HUBSPOT ? null : ledger.check(source.tag() + ":" + sha, sha);
        } catch (DeliveryLedger.Duplicate duplicate) {
            return repeated(request, source, duplicate);
        }
        return finish(new Delivery(source, body, request.getContentType(), headers(request), arrived, claim), handler);
    }

    /**
     * Mailgun: its signature covers a timestamp and a token in the body, not the body itself. The body is read and
     * parsed (linear, bounded), the token verified, then claimed for this body in the replay memory.
     */
    public <T> CompletableFuture<ResponseEntity<Map<String, Object>>> receiveBodySigned(
            HttpServletRequest request, WebhookSource source, Function<byte[], BodySigned<T>> reader,
            BiFunction<Delivery, T, CompletableFuture<Answer>> handler) {
        long arrived = System.nanoTime();
        byte[] body = RawBody.read(request, limit(source), properties.bodyReadTimeout());
        BodySigned<T> signed = reader.apply(body);
        signatures.verifyMailgun(signed.timestamp(), signed.token(), signed.signature());
        String sha = sha256(body);
        String token = signed.token() == null || signed.token().isBlank() ? sha : signed.token().trim();
        DeliveryLedger.Claim claim;
        try {
            claim = ledger.claim(source.tag() + ":token:" + token, sha, "token");
        } catch (DeliveryLedger.Duplicate duplicate) {
            return repeated(request, source, duplicate);
        }
        return finish(new Delivery(source, body, request.getContentType(), headers(request), arrived, claim),
                delivery -> handler.apply(delivery, signed.parsed()));
    }

    private CompletableFuture<ResponseEntity<Map<String, Object>>> finish(Delivery delivery,
                                                                        Function<Delivery, CompletableFuture<Answer>> handler) {
        CompletableFuture<Answer> answer;
        try {
            answer = handler.apply(delivery);
        } catch (RuntimeException e) {
            if (delivery.claim() != null) {
                ledger.released(delivery.claim());
            }
            throw e;
        }
        return answer.whenComplete((done, failure) -> {
            if (failure == null) {
                if (delivery.claim() != null) {
                    ledger.accepted(delivery.claim(), done.leadId(), done.outcome());
                }
                metrics.received(delivery.source(), done.outcome());
            } else if (delivery.claim() != null) {
                ledger.released(delivery.claim());
            }
        }).thenApply(done -> done.toResponse(delivery.source()));
    }

    /** A repeat of a delivery already accepted: its first answer again (Slack: an empty 200, its acknowledgement). */
    private CompletableFuture<ResponseEntity<Map<String, Object>>> repeated(HttpServletRequest request, WebhookSource source,
                                                                          DeliveryLedger.Duplicate duplicate) {
        metrics.received(source, "duplicate");
        log.info("{} repeated a delivery already accepted as {}; answered again, nothing published", request.getRequestURI(),
                duplicate.leadId() == null ? duplicate.outcome() : duplicate.leadId());
        return CompletableFuture.completedFuture(new Answer(duplicate.leadId(), "duplicate").toResponse(source));
    }

    private DataSize limit(WebhookSource source) {
        return source == WebhookSource.MAILGUN || source == WebhookSource.SENDGRID ? properties.maxEmailBody() : properties.maxJsonBody();
    }

    /** The URI HubSpot signed: the configured public URL, else this request's URL with its query. */
    private String signedUri(HttpServletRequest request) {
        String configured = properties.hubspotWebhookUrl();
        if (configured != null && !configured.isBlank()) {
            return configured.trim();
        }
        String query = request.getQueryString();
        return request.getRequestURL() + (query == null ? "" : "?" + query);
    }

    private static Map<String, String> headers(HttpServletRequest request) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (String name : Collections.list(request.getHeaderNames())) {
            headers.putIfAbsent(name.toLowerCase(Locale.ROOT), request.getHeader(name));
        }
        headers.remove(HttpHeaders.AUTHORIZATION.toLowerCase(Locale.ROOT));
        return Collections.unmodifiableMap(headers);
    }

    static String sha256(byte[] body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
