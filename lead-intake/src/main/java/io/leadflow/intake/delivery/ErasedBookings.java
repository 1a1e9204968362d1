package io.leadflow.intake.delivery;

import io.leadflow.intake.privacy.PersonalMemory;
import io.leadflow.intake.system.IntakeProperties;
import io.leadflow.schemas.Topics;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * An erased person's calendar bookings: each link from a booking to one of their leads is deleted from the compacted
 * {@code intake.bookings} with a tombstone (and compaction then drops the link itself). A later cancellation or no-show
 * of such a booking is answered as one intake never saw; a reschedule is a new lead.
 *
 * <p>{@code intake.deliveries} is left as it is: it holds a hash of each delivery's body and the lead id it was answered
 * with, nothing a person can be found by, and deletes every entry after four days. It is what answers a provider's
 * retry of an old delivery idempotently instead of taking the erased person in again as a new lead.
 */
@Component
class ErasedBookings implements PersonalMemory {

    private final LedgerView view;
    private final KafkaTemplate<String, Object> template;
    private final IntakeProperties properties;

    ErasedBookings(LedgerView view, KafkaTemplate<String, Object> template, IntakeProperties properties) {
        this.view = view;
        this.template = template;
        this.properties = properties;
    }

    @Override
    public String what() {
        return "booking links";
    }

    @Override
    public int forget(Set<String> leadIds) {
        if (!view.loaded()) {
            throw new IllegalStateException("the booking links are not loaded yet");
        }
        List<String> keys = view.bookingsOf(leadIds);
        for (String key : keys) {
            try {
                template.send(Topics.INTAKE_BOOKINGS.name(), key, null).get(properties.publishTimeout().toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while deleting a booking link", e);
            } catch (ExecutionException | TimeoutException e) {
                throw new IllegalStateException("Kafka did not acknowledge a booking link's tombstone", e);
            }
            view.unlinkLocally(key);
        }
        return keys.size();
    }
}
