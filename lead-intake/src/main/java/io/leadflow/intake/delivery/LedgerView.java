package io.leadflow.intake.delivery;

import com.github.benmanes.caffeine.cache.Cache;
import io.leadflow.avro.BookingLink;
import io.leadflow.intake.system.IntakeProperties;
import io.leadflow.intake.system.RejectedRequest;
import io.leadflow.platform.kafka.CatchUpFollower;
import io.leadflow.schemas.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Every instance's copy of the replay memory: one consumer, on a thread of its own, reads {@code intake.deliveries}
 * and {@code intake.bookings} from the beginning and keeps applying what is appended. Requests wait until it has
 * caught up once after start-up, and a claim waits until the view has applied the claim's own offset.
 */
@Component
class LedgerView extends CatchUpFollower {

    private static final Logger log = LoggerFactory.getLogger(LedgerView.class);
    private static final List<String> TOPICS = List.of(Topics.INTAKE_DELIVERIES.name(), Topics.INTAKE_BOOKINGS.name());

    private final IntakeProperties properties;
    private final Cache<String, DeliveryLedger.Entry> deliveries;
    private final Map<String, BookingLink> bookings = DeliveryLedger.newBookingMap();

    LedgerView(KafkaProperties kafka, IntakeProperties properties) {
        super("lead-intake-ledger", kafka, TOPICS);
        this.properties = properties;
        this.deliveries = DeliveryLedger.newDeliveryCache(properties.replayCacheSize(), Duration.ofDays(4));
    }

    DeliveryLedger.Entry delivery(String key) {
        return deliveries.getIfPresent(key);
    }

    /** Applies a record this instance is about to append, before it comes back from the log. */
    void applyLocally(String key, io.leadflow.avro.IntakeDelivery value) {
        DeliveryLedger.apply(deliveries.asMap(), key, value, value.getAt().toEpochMilli(), properties.claimLease());
    }

    /** Records a link this instance's write of it was acknowledged for, before it comes back from the log. */
    void linkLocally(String key, BookingLink link) {
        bookings.put(key, link);
    }

    BookingLink booking(String key) {
        return bookings.get(key);
    }

    /** The keys of the bookings linked to these leads. */
    List<String> bookingsOf(java.util.Set<String> leadIds) {
        return bookings.entrySet().stream().filter(e -> leadIds.contains(e.getValue().getLeadId())).map(Map.Entry::getKey).toList();
    }

    /** Forgets a link this instance's tombstone for was acknowledged, before it comes back from the log. */
    void unlinkLocally(String key) {
        bookings.remove(key);
    }

    /** Waits until the view has read both topics to their end once; 503 when Kafka cannot be read in time. */
    void awaitLoadedOr503(Duration retryAfter) {
        if (!loaded() && !awaitLoaded(properties.publishTimeout())) {
            throw RejectedRequest.unavailable("the replay memory could not be read from Kafka yet; retry later", retryAfter);
        }
    }

    /** Waits until the record at this offset has been applied; 503 when it is not in time. */
    void awaitAppliedOr503(String topic, int partition, long offset, Duration timeout) {
        if (!awaitApplied(topic, partition, offset, timeout)) {
            throw RejectedRequest.unavailable("the replay memory did not catch up with Kafka in time; retry later",
                    properties.retryAfter());
        }
    }

    @Override
    protected void loadedNow() {
        log.info("Replay memory loaded: {} deliveries, {} bookings", deliveries.estimatedSize(), bookings.size());
    }

    @Override
    protected void apply(ConsumerRecord<String, Object> record) {
        if (record.key() == null) {
            return;
        }
        if (record.value() instanceof BookingLink link) {
            bookings.put(record.key(), link);
        } else if (record.value() == null && record.topic().equals(Topics.INTAKE_BOOKINGS.name())) {
            bookings.remove(record.key());
        } else {
            DeliveryLedger.apply(deliveries.asMap(), record, properties.claimLease());
        }
    }
}
