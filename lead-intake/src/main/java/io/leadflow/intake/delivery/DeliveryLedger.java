package io.leadflow.intake.delivery;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.leadflow.avro.BookingLink;
import io.leadflow.avro.DeliveryState;
import io.leadflow.avro.IntakeDelivery;
import io.leadflow.intake.system.IntakeProperties;
import io.leadflow.intake.system.RejectedRequest;
import io.leadflow.schemas.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * lead-intake's replay memory, shared by every instance and kept across restarts: the compacted topics
 * {@code intake.deliveries} (what became of each webhook delivery) and {@code intake.bookings} (which lead
 * each calendar booking belongs to). Every instance reads both topics whole into a view ({@link LedgerView});
 * the log's order decides every race, so all instances agree.
 *
 * <ul>
 *   <li>A delivery whose body is signed (website, Calendly, Cal.com, SendGrid, HubSpot) is identified by the hash of
 *       its body: once accepted, a repeat is answered idempotently with the first answer and nothing is published.</li>
 *   <li>A Mailgun delivery is identified by its signed token, which does not cover the body. The token is bound to the
 *       body it is first seen with, and handled by one request at a time: a request claims it by appending a claim and
 *       reading the log up to that claim; the first claim in the log wins, the others get 409. A claim released after a
 *       failure lets a genuine retry (same token, same body) through; a different body is a replay (401).</li>
 * </ul>
 *
 * <p>Why not a library: Kafka offers no compare-and-set, and this is the small amount of code that turns the log's
 * total order per key into one, without adding a second datastore.
 */
@Component
public class DeliveryLedger {

    private static final Logger log = LoggerFactory.getLogger(DeliveryLedger.class);

    private final KafkaTemplate<String, Object> template;
    private final IntakeProperties properties;
    private final Clock clock;
    private final LedgerView view;
    private final String instance = UUID.randomUUID().toString();
    private final AtomicLong requests = new AtomicLong();

    /**
     * Where follow-up writes are sent from. They are triggered by the acknowledgement of a lead, which runs on the
     * producer's network thread; a send from that thread that needs fresh metadata would block the very thread that
     * fetches it.
     */
    private final ExecutorService followUps = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "intake-ledger-writes");
        thread.setDaemon(true);
        return thread;
    });

    public DeliveryLedger(KafkaTemplate<String, Object> template, IntakeProperties properties, Clock clock, LedgerView view) {
        this.template = template;
        this.properties = properties;
        this.clock = clock;
        this.view = view;
    }

    @PreDestroy
    void shutdown() {
        followUps.shutdown();
    }

    /** What the memory holds about one delivery. */
    public record Entry(DeliveryState state, String owner, String bodySha256, String leadId, String outcome, long at) {
    }

    /** A delivery this request may handle; {@code owner} is null for deliveries that need no claim. */
    public record Claim(String key, String bodySha256, String owner) {
    }

    /**
     * For a delivery whose body is signed: throws {@link Duplicate} when it was already accepted, else returns the
     * handle to record its outcome with. Concurrent first attempts may both proceed; they publish the same key.
     */
    public Claim check(String key, String bodySha256) {
        view.awaitLoadedOr503(properties.retryAfter());
        Entry entry = view.delivery(key);
        if (entry != null && entry.state() == DeliveryState.ACCEPTED && entry.bodySha256().equals(bodySha256)) {
            throw new Duplicate(entry);
        }
        return new Claim(key, bodySha256, null);
    }

    /** For a Mailgun token: the claim this request won, or {@link Duplicate} / 409 / 401 as the log decides. */
    public Claim claim(String key, String bodySha256, String field) {
        view.awaitLoadedOr503(properties.retryAfter());
        decideAgainst(view.delivery(key), bodySha256, field, null);
        String owner = instance + ":" + requests.incrementAndGet();
        IntakeDelivery claim = record(DeliveryState.CLAIMED, owner, bodySha256, null, null);
        var metadata = await(template.send(Topics.INTAKE_DELIVERIES.name(), key, claim), "claim");
        view.awaitAppliedOr503(metadata.getRecordMetadata().topic(), metadata.getRecordMetadata().partition(),
                metadata.getRecordMetadata().offset(), properties.publishTimeout());
        Entry entry = view.delivery(key);
        if (entry != null && entry.state() == DeliveryState.CLAIMED && owner.equals(entry.owner())) {
            return new Claim(key, bodySha256, owner);
        }
        decideAgainst(entry, bodySha256, field, owner);
        throw RejectedRequest.inProgress(field, Duration.ofSeconds(5));
    }

    private void decideAgainst(Entry entry, String bodySha256, String field, String owner) {
        if (entry == null) {
            return;
        }
        if (!entry.bodySha256().equals(bodySha256)) {
            throw RejectedRequest.replay(field);
        }
        if (entry.state() == DeliveryState.ACCEPTED) {
            throw new Duplicate(entry);
        }
        boolean heldByOther = entry.state() == DeliveryState.CLAIMED && !entry.owner().equals(owner)
                && clock.millis() - entry.at() <= properties.claimLease().toMillis();
        if (heldByOther) {
            throw RejectedRequest.inProgress(field, Duration.ofSeconds(5));
        }
    }

    /** Records that the delivery was answered 2xx with this lead id (or key) and outcome. */
    public CompletableFuture<Void> accepted(Claim claim, String leadId, String outcome) {
        String owner = claim.owner() != null ? claim.owner() : instance;
        IntakeDelivery accepted = record(DeliveryState.ACCEPTED, owner, claim.bodySha256(), leadId, outcome);
        // This instance knows at once (a repeat right after the answer is a duplicate here); the others when the
        // record reaches them, a few milliseconds later. Applying it again from the log changes nothing.
        view.applyLocally(claim.key(), accepted);
        return CompletableFuture.supplyAsync(() -> template.send(Topics.INTAKE_DELIVERIES.name(), claim.key(), accepted), followUps)
                .thenCompose(sent -> sent)
                .handle((result, failure) -> {
                    if (failure != null) {
                        log.warn("Could not record delivery {} as accepted ({}); a replay of it would be answered again",
                                claim.key(), failure.toString());
                    }
                    return null;
                });
    }

    /** Gives a claimed delivery up after a failure, so the provider's retry can claim it again. */
    public void released(Claim claim) {
        if (claim.owner() == null) {
            return;
        }
        IntakeDelivery released = record(DeliveryState.RELEASED, claim.owner(), claim.bodySha256(), null, null);
        CompletableFuture.supplyAsync(() -> template.send(Topics.INTAKE_DELIVERIES.name(), claim.key(), released), followUps)
                .thenCompose(sent -> sent)
                .whenComplete((result, failure) -> {
                    if (failure != null) {
                        log.warn("Could not release delivery {} ({}); its claim lapses after {}", claim.key(), failure.toString(),
                                properties.claimLease());
                    }
                });
    }

    /** The lead a calendar booking belongs to, when one was recorded. */
    public Optional<BookingLink> booking(String provider, String bookingId) {
        view.awaitLoadedOr503(properties.retryAfter());
        return Optional.ofNullable(view.booking(bookingKey(provider, bookingId)));
    }

    /** Records which lead a booking belongs to; completes when Kafka acknowledged it. */
    public CompletableFuture<Void> link(String provider, String bookingId, String leadId, String sourceEventId) {
        BookingLink link = BookingLink.newBuilder()
                .setProvider(provider)
                .setBookingId(bookingId)
                .setLeadId(leadId)
                .setSourceEventId(sourceEventId)
                .setAt(clock.instant())
                .build();
        String key = bookingKey(provider, bookingId);
        return template.send(Topics.INTAKE_BOOKINGS.name(), key, link).thenApply(sent -> {
            view.linkLocally(key, link);
            return null;
        });
    }

    static String bookingKey(String provider, String bookingId) {
        return provider + ":" + bookingId;
    }

    private IntakeDelivery record(DeliveryState state, String owner, String bodySha256, String leadId, String outcome) {
        return IntakeDelivery.newBuilder()
                .setState(state)
                .setOwner(owner)
                .setBodySha256(bodySha256)
                .setLeadId(leadId)
                .setOutcome(outcome)
                .setAt(Instant.ofEpochMilli(clock.millis()))
                .build();
    }

    private <T> T await(CompletableFuture<T> future, String what) {
        try {
            return future.get(properties.publishTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw RejectedRequest.unavailable("interrupted while recording the delivery's " + what, properties.retryAfter());
        } catch (ExecutionException | TimeoutException e) {
            throw RejectedRequest.unavailable("Kafka did not acknowledge the delivery's " + what + "; retry later", properties.retryAfter());
        }
    }

    /** A delivery that was already accepted: answered again with its first answer, nothing published. */
    public static final class Duplicate extends RuntimeException {

        private final transient Entry entry;

        Duplicate(Entry entry) {
            super("already accepted", null, false, false);
            this.entry = entry;
        }

        public String leadId() {
            return entry.leadId();
        }

        public String outcome() {
            return entry.outcome();
        }
    }

    /** Applies one record of either topic to the view; the rules every instance applies in log order. */
    static void apply(Map<String, Entry> deliveries, ConsumerRecord<String, Object> record, Duration lease) {
        if (record.value() instanceof IntakeDelivery value) {
            apply(deliveries, record.key(), value, record.timestamp(), lease);
        }
    }

    static synchronized void apply(Map<String, Entry> deliveries, String key, IntakeDelivery value, long at, Duration lease) {
        Entry current = deliveries.get(key);
        Entry next = new Entry(value.getState(), value.getOwner(), value.getBodySha256(), value.getLeadId(), value.getOutcome(), at);
        switch (value.getState()) {
            case CLAIMED -> {
                boolean free = current == null
                        || (current.bodySha256().equals(next.bodySha256())
                        && (current.state() == DeliveryState.RELEASED
                        || (current.state() == DeliveryState.CLAIMED
                        && (current.owner().equals(next.owner()) || at - current.at() > lease.toMillis()))));
                if (free) {
                    deliveries.put(key, next);
                }
            }
            case ACCEPTED -> {
                if (current == null || current.bodySha256().equals(next.bodySha256())) {
                    deliveries.put(key, next);
                }
            }
            case RELEASED -> {
                if (current != null && current.state() == DeliveryState.CLAIMED && current.owner().equals(next.owner())) {
                    deliveries.put(key, new Entry(DeliveryState.RELEASED, next.owner(), current.bodySha256(), null, null, at));
                }
            }
            default -> {
                // a state this version does not know: leave the entry as it is
            }
        }
    }

    static Cache<String, Entry> newDeliveryCache(long maximumSize, Duration retention) {
        return Caffeine.newBuilder().maximumSize(maximumSize).expireAfterWrite(retention).build();
    }

    static Map<String, BookingLink> newBookingMap() {
        return new ConcurrentHashMap<>();
    }
}
