package io.leadflow.notifier.delivery;

import io.leadflow.avro.RepAlert;
import io.leadflow.notifier.deals.DealLinks;
import io.leadflow.notifier.dedupe.SentLedger;
import io.leadflow.notifier.privacy.AlertSubjects;
import io.leadflow.notifier.privacy.ErasedPeople;
import io.leadflow.notifier.slack.SlackClient;
import io.leadflow.notifier.system.NotifierProperties;
import io.leadflow.notifier.templates.Templates;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.listener.ConsumerRecordRecoverer;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * Accepts rep alerts and delivers each exactly once, on its channel's lane: new messages as {@link AlertJob}s (new
 * leads without buttons that wait for the same channel are posted together as one digest message), updates and
 * ephemeral alerts as {@link ChangeJob}s, each on its own. An alert updating another one that is still on its way joins
 * that one's lane, so the update never overtakes the post.
 * {@link #submit} returns at once; {@code onDone} runs when the alert is finished for good (posted, found already
 * posted, skipped as a duplicate, or dead-lettered).
 */
class AlertDelivery {

    /** The lane of alerts that have nowhere to go; they are dead-lettered there. */
    static final String NO_CHANNEL = "(no channel)";

    private final AlertJob.Collaborators collaborators;
    private final ChannelResolver channels;
    private final ChannelLanes lanes;
    /** The lane of every alert submitted and not finished yet, by alert id. */
    private final Map<String, String> lanesInFlight = new ConcurrentHashMap<>();
    private final AtomicLong sequence = new AtomicLong();
    private final ErasedPeople erased;

    public AlertDelivery(SlackClient slack, Templates templates, DealLinks deals, SentLedger ledger, ChannelResolver channels,
                         ChannelLanes lanes, ConsumerRecordRecoverer deadLetters, NotifierProperties properties,
                         DeliveryMetrics metrics, Clock clock, AlertSubjects subjects, ErasedPeople erased) {
        this.erased = erased;
        this.collaborators = new AlertJob.Collaborators(slack, templates, deals, ledger, deadLetters, properties.delivery(),
                properties.recovery(), properties.digest(), metrics, clock, subjects, erased);
        this.channels = channels;
        this.lanes = lanes;
    }

    /**
     * @param stillOwned false once the record's partition was revoked: the job is then dropped before it posts, the
     *                   partition's new owner delivers it
     */
    public void submit(ConsumerRecord<String, RepAlert> record, BooleanSupplier stillOwned, Runnable onDone) {
        RepAlert alert = record.value();
        if (alert == null) {
            onDone.run(); // a tombstone: nothing to say to anyone
            return;
        }
        if (erased.ready() && erased.skips(alert)) { // until it is ready, the job waits and asks again
            onDone.run(); // about a person erased since: never posted again
            return;
        }
        String channel = channels.channelFor(alert).orElse(null);
        String lane = channel == null ? NO_CHANNEL : channel;
        DeliveryMode mode = DeliveryMode.of(alert);
        if (mode == DeliveryMode.UPDATE) {
            // Behind the alert it updates while that one is still on its way, whichever channel each would go to.
            lane = lanesInFlight.getOrDefault(alert.getUpdatesAlertId(), lane);
        }
        String alertId = alert.getAlertId();
        String chosen = lane;
        lanesInFlight.put(alertId, chosen);
        Runnable done = () -> {
            lanesInFlight.remove(alertId, chosen);
            onDone.run();
        };
        LaneJob job = mode == DeliveryMode.POST
                ? new AlertJob(collaborators, record, channel, stillOwned, done, sequence.incrementAndGet())
                : new ChangeJob(collaborators, record, channel, stillOwned, done);
        lanes.submit(chosen, job);
    }
}
