package io.leadflow.intake.delivery;

import io.leadflow.intake.system.WebhookSource;

import java.util.Locale;
import java.util.Map;

/**
 * One webhook request after the shared opening: its raw body (the exact bytes the provider signed), its headers, when
 * it arrived, and its entry in the replay memory. Controllers only parse it.
 *
 * @param source       the endpoint it came to
 * @param body         the raw body
 * @param contentType  its Content-Type header, or null
 * @param headers      request headers by lower-cased name (first value)
 * @param arrivedNanos {@link System#nanoTime()} when it arrived
 * @param claim        its handle in the replay memory; null where the controller remembers parts of it (HubSpot events)
 */
public record Delivery(WebhookSource source, byte[] body, String contentType, Map<String, String> headers, long arrivedNanos,
                       DeliveryLedger.Claim claim) {

    public String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }
}
