package io.leadflow.crm.resilience;

import io.leadflow.crm.hubspot.HubSpotException;
import io.leadflow.crm.hubspot.HubSpotGateway;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.http.HttpMethod;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Makes HubSpot refusing our credentials (401: a wrong, revoked or expired token; 403: scopes the private app lacks)
 * loud instead of treating it as an outage. On the first refusal: one ERROR line saying what to fix, the listeners
 * paused (nothing is committed, so nothing is lost), {@code leadflow.crm.hubspot.auth.failing} set to 1 and the
 * {@code hubSpot} health DOWN with HubSpot's reason. Every refused call counts in
 * {@code leadflow.crm.hubspot.auth.failures}. Meanwhile the refused endpoint is probed every {@code probeEvery} with a
 * request that cannot change anything (the same GET; a search for one record; a batch with no inputs); once HubSpot
 * answers it with anything but 401/403, the listeners resume and the paused records are synced.
 */
public class HubSpotAuthGuard implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(HubSpotAuthGuard.class);

    /** What HubSpot refused, when, and what to do about it. */
    public record Refusal(int status, String category, String message, List<String> requiredScopes, String endpoint,
                          HttpMethod method, String path, Instant since, String fix) {

        static Refusal of(HubSpotException.AuthFailed e, Instant now) {
            return new Refusal(e.status(), e.category(), e.getMessage(), e.requiredScopes(), e.endpoint(), e.method(), e.path(),
                    now, e.whatToFix());
        }

        boolean sameCause(Refusal other) {
            return status == other.status && Objects.equals(category, other.category) && requiredScopes.equals(other.requiredScopes);
        }
    }

    private final HubSpotGateway gateway;
    private final ListenerPauser listeners;
    private final Duration probeEvery;
    private final Clock clock;
    private final Counter failures;
    private final ScheduledExecutorService scheduler;
    private volatile Refusal refusal;
    private ScheduledFuture<?> probe;
    private Refusal lastReported;

    HubSpotAuthGuard(HubSpotGateway gateway, ListenerPauser listeners, Duration probeEvery, Clock clock, MeterRegistry meters) {
        this.gateway = gateway;
        this.listeners = listeners;
        this.probeEvery = probeEvery;
        this.clock = clock;
        this.failures = Counter.builder("leadflow.crm.hubspot.auth.failures")
                .description("HubSpot calls refused with 401 or 403 (token or scopes)").register(meters);
        Gauge.builder("leadflow.crm.hubspot.auth.failing", this, guard -> guard.refusal == null ? 0 : 1)
                .description("1 while HubSpot refuses crm-sync's credentials and the listeners are paused, else 0")
                .register(meters);
        this.scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "hubspot-auth-probe");
            thread.setDaemon(true);
            return thread;
        });
        gateway.onAuthFailure(this::refused);
    }

    /** HubSpot refused a call: pause, and say once what to fix. */
    synchronized void refused(HubSpotException.AuthFailed e) {
        failures.increment();
        Refusal next = Refusal.of(e, clock.instant());
        Refusal previous = refusal;
        if (previous != null && previous.sameCause(next)) {
            log.debug("HubSpot still refuses our credentials on {} ({} {})", e.endpoint(), e.status(), e.category());
            return;
        }
        refusal = previous == null ? next : new Refusal(next.status(), next.category(), next.message(), next.requiredScopes(),
                next.endpoint(), next.method(), next.path(), previous.since(), next.fix());
        listeners.pause(ListenerPauser.Reason.CREDENTIALS_REFUSED);
        if (lastReported != null && lastReported.sameCause(next) && lastReported.since().plus(Duration.ofHours(1)).isAfter(next.since())) {
            // a probe was accepted but the work was refused again for the same reason: said already, within the hour
            log.warn("HubSpot refuses crm-sync's credentials again on {} ({} {}); listeners paused again", e.endpoint(), e.status(),
                    e.category());
        } else {
            lastReported = next;
            logError(e);
        }
        if (probe == null) {
            probe = scheduler.scheduleWithFixedDelay(this::probe, probeEvery.toMillis(), probeEvery.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void logError(HubSpotException.AuthFailed e) {
        log.error("HubSpot refused crm-sync's credentials on {} ({} {}: {}{}, correlationId {}). Listeners paused, nothing is lost. "
                        + "To fix: {}. Probing every {}.", e.endpoint(), e.status(), e.category(), hubSpotMessage(e),
                e.requiredScopes().isEmpty() ? "" : "; required scopes " + e.requiredScopes(), e.correlationId(), refusal.fix(),
                probeEvery.toString().substring(2).toLowerCase(java.util.Locale.ROOT));
    }

    private static String hubSpotMessage(HubSpotException.AuthFailed e) {
        String prefix = e.endpoint() + ": ";
        return e.getMessage().startsWith(prefix) ? e.getMessage().substring(prefix.length()) : e.getMessage();
    }

    /** One cheap call to the refused endpoint; HubSpot answering it with anything but 401/403 ends the refusal. */
    void probe() {
        Refusal current = refusal;
        if (current == null) {
            return;
        }
        try {
            gateway.call("auth.probe", current.method(), current.path(), probeBody(current));
            accepted();
        } catch (HubSpotException.AuthFailed stillRefused) {
            // counted by refused()
        } catch (HubSpotException.Rejected judged) {
            accepted(); // HubSpot took the credentials and judged the (empty) request itself
        } catch (RuntimeException unavailable) {
            log.debug("HubSpot auth probe inconclusive, trying again in {}: {}", probeEvery, unavailable.getMessage());
        }
    }

    private static Object probeBody(Refusal refused) {
        if (refused.method() != HttpMethod.POST) {
            return null;
        }
        if (refused.path().endsWith("/search")) {
            return Map.of("filterGroups", List.of(), "limit", 1);
        }
        return Map.of("inputs", List.of());
    }

    private synchronized void accepted() {
        if (refusal == null) {
            return;
        }
        log.info("HubSpot accepts crm-sync's credentials again (refused since {}); resuming the listeners", refusal.since());
        refusal = null;
        if (probe != null) {
            probe.cancel(false);
            probe = null;
        }
        listeners.resume(ListenerPauser.Reason.CREDENTIALS_REFUSED);
    }

    /** The current refusal, while HubSpot refuses our credentials. */
    public Optional<Refusal> refusal() {
        return Optional.ofNullable(refusal);
    }

    @Override
    public void destroy() {
        scheduler.shutdownNow();
    }
}
