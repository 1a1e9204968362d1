package io.leadflow.crm.sync;

import io.leadflow.avro.CrmSynced;
import io.leadflow.avro.LeadActivity;
import io.leadflow.avro.LeadRouted;
import io.leadflow.avro.Pipeline;
import io.leadflow.avro.TrialReminder;
import io.leadflow.crm.hubspot.HubSpotGateway;
import io.leadflow.crm.hubspot.Rejection;
import io.leadflow.crm.privacy.ErasedPeople;
import io.leadflow.platform.kafka.DeadLetters;
import io.leadflow.schemas.Topics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.support.SendResult;
import org.springframework.kafka.support.serializer.DeserializationException;
import org.springframework.kafka.support.serializer.SerializationUtils;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The two batch listeners. A listener call returns only after HubSpot confirmed every item of the batch (or refused
 * it for good, and it is in the dead-letter topic) and every {@code crm.synced} record was acknowledged, so the
 * container commits the batch's offsets only then. When HubSpot is unavailable the exception reaches
 * {@link SyncErrorHandler}, which rewinds the batch: nothing is skipped and nothing is dead-lettered for an outage.
 */
class SyncListeners {

    static final String LEADS_LISTENER = "crm-sync-leads";
    static final String REMINDERS_LISTENER = "crm-sync-reminders";
    static final String ACTIVITY_LISTENER = "crm-sync-activity";
    static final String SHARED_CHANNELS_LISTENER = "crm-sync-shared-channels";
    /** How long a shared channel waits for its lead's deal before it is dead-lettered. */
    static final java.time.Duration WAIT_FOR_DEAL = java.time.Duration.ofMinutes(15);

    private static final Logger log = LoggerFactory.getLogger(SyncListeners.class);

    private final LeadSync leads;
    private final ReminderSync reminders;
    private final ActivitySync activities;
    private final SyncLedger ledger;
    private final ErasedPeople erased;
    private final KafkaTemplate<Object, Object> kafka;
    private final DeadLetterPublishingRecoverer deadLetters;
    private final MeterRegistry meters;
    private final DistributionSummary callsPerLead;
    private final IntroEmailSender intros;
    private final SharedChannelSync channels;
    private final java.time.Clock clock;

    SyncListeners(LeadSync leads, ReminderSync reminders, ActivitySync activities, SyncLedger ledger, ErasedPeople erased,
                  KafkaTemplate<Object, Object> kafka, DeadLetterPublishingRecoverer deadLetters, MeterRegistry meters,
                  IntroEmailSender intros, SharedChannelSync channels, java.time.Clock clock) {
        this.intros = intros;
        this.channels = channels;
        this.clock = clock;
        this.leads = leads;
        this.reminders = reminders;
        this.activities = activities;
        this.ledger = ledger;
        this.erased = erased;
        this.kafka = kafka;
        this.deadLetters = deadLetters;
        this.meters = meters;
        this.callsPerLead = DistributionSummary.builder("leadflow.crm.sync.calls-per-lead")
                .description("HubSpot calls per lead, per listener batch").register(meters);
    }

    @KafkaListener(id = LEADS_LISTENER, topics = "#{T(io.leadflow.schemas.Topics).LEADS_ROUTED.name()}",
            containerFactory = SyncConfiguration.BATCH_FACTORY, batch = "true")
    void onLeadsRouted(List<ConsumerRecord<String, LeadRouted>> records) {
        HubSpotGateway.resetCallsOnThisThread();
        Map<String, LeadRouted> latest = new LinkedHashMap<>();
        List<ConsumerRecord<String, LeadRouted>> accepted = new ArrayList<>();
        for (ConsumerRecord<String, LeadRouted> record : records) {
            if (deadLetterIfUnreadable(record)) {
                continue;
            }
            LeadRouted lead = record.value();
            if (lead == null || erased.skips(lead)) {
                continue;
            }
            if (lead.getPipeline() == Pipeline.UNKNOWN) {
                deadLetter(record, new DeadLetters.PermanentFailure("pipeline UNKNOWN: no HubSpot pipeline to put the deal in"));
                continue;
            }
            latest.put(lead.getLeadId(), lead);
            accepted.add(record);
        }
        if (latest.isEmpty()) {
            return;
        }
        ledger.ensureLoaded(accepted.stream().map(ConsumerRecord::partition).toList());
        Set<String> syncedBefore = intros.sending() ? Set.copyOf(ledger.known(latest.keySet()).keySet()) : Set.of();
        LeadSync.Result result = leads.sync(latest.values());
        // introduction emails to send are recorded on crm.synced first, and sent only once Kafka has that record
        List<LeadRouted> introductions = intros.claim(latest.values(), result.synced(), syncedBefore);
        for (ConsumerRecord<String, LeadRouted> record : accepted) {
            Rejection rejection = result.rejected().get(record.value().getLeadId());
            if (rejection != null) {
                log.warn("HubSpot refused lead {}: {} (correlationId {})", record.value().getLeadId(), rejection.describe(),
                        rejection.correlationId());
                deadLetter(record, new HubSpotRejectedRecord(rejection));
            }
        }
        List<CompletableFuture<SendResult<Object, Object>>> sends = new ArrayList<>();
        for (CrmSynced synced : result.synced().values()) {
            sends.add(kafka.send(Topics.CRM_SYNCED.name(), synced.getLeadId(), synced));
        }
        awaitAll(sends);
        intros.send(introductions, result.synced());
        long calls = HubSpotGateway.callsOnThisThread();
        callsPerLead.record((double) calls / latest.size());
        Counter.builder("leadflow.crm.sync.leads").tag("outcome", "synced").register(meters).increment(result.synced().size());
        Counter.builder("leadflow.crm.sync.leads").tag("outcome", "rejected").register(meters).increment(result.rejected().size());
        log.info("Synced {} leads to HubSpot ({} refused) with {} calls", result.synced().size(), result.rejected().size(), calls);
    }

    @KafkaListener(id = REMINDERS_LISTENER, topics = "#{T(io.leadflow.schemas.Topics).TRIALS_REMINDERS.name()}",
            containerFactory = SyncConfiguration.BATCH_FACTORY, batch = "true")
    void onTrialReminders(List<ConsumerRecord<String, TrialReminder>> records) {
        Map<String, TrialReminder> latest = new LinkedHashMap<>();
        List<ConsumerRecord<String, TrialReminder>> accepted = new ArrayList<>();
        for (ConsumerRecord<String, TrialReminder> record : records) {
            if (deadLetterIfUnreadable(record) || record.value() == null || erased.skips(record.value())) {
                continue;
            }
            latest.put(record.value().getReminderId(), record.value());
            accepted.add(record);
        }
        if (latest.isEmpty()) {
            return;
        }
        Map<String, Rejection> rejected = reminders.sync(latest.values());
        for (ConsumerRecord<String, TrialReminder> record : accepted) {
            Rejection rejection = rejected.get(record.value().getReminderId());
            if (rejection != null) {
                deadLetter(record, new HubSpotRejectedRecord(rejection));
            }
        }
        Counter.builder("leadflow.crm.sync.reminders").tag("outcome", "synced").register(meters)
                .increment(latest.size() - rejected.size());
    }

    /**
     * Demo cancellations and no-shows of synced leads become HubSpot notes; every other activity is routing-service's.
     * HubSpot's refusals go to {@code leads.activity.dlt}.
     */
    @KafkaListener(id = ACTIVITY_LISTENER, topics = "#{T(io.leadflow.schemas.Topics).LEADS_ACTIVITY.name()}",
            containerFactory = SyncConfiguration.BATCH_FACTORY, batch = "true")
    void onLeadActivity(List<ConsumerRecord<String, LeadActivity>> records) {
        Map<String, LeadActivity> byId = new LinkedHashMap<>();
        List<ConsumerRecord<String, LeadActivity>> accepted = new ArrayList<>();
        for (ConsumerRecord<String, LeadActivity> record : records) {
            if (deadLetterIfUnreadable(record) || record.value() == null || !ActivitySync.wanted(record.value())
                    || erased.skipsLead(record.value().getLeadId(), record.value().getOccurredAt(), "lead-activity")) {
                continue;
            }
            byId.put(record.value().getActivityId(), record.value());
            accepted.add(record);
        }
        if (byId.isEmpty()) {
            return;
        }
        ledger.ensureLoaded(accepted.stream().map(ConsumerRecord::partition).toList());
        ActivitySync.Result result = activities.sync(byId.values());
        for (ConsumerRecord<String, LeadActivity> record : accepted) {
            Rejection rejection = result.rejected().get(record.value().getActivityId());
            if (rejection != null) {
                deadLetter(record, new HubSpotRejectedRecord(rejection));
            }
        }
        if (result.skipped() > 0) {
            log.info("{} cancellations or no-shows are of leads crm-sync has not synced: no HubSpot note", result.skipped());
        }
        Counter.builder("leadflow.crm.sync.activities").tag("outcome", "noted").register(meters)
                .increment(result.noted() - result.rejected().size());
        Counter.builder("leadflow.crm.sync.activities").tag("outcome", "skipped").register(meters).increment(result.skipped());
    }

    /**
     * rep-notifier's shared Slack channels: the channel id onto the lead's deal; for one Slack refused, a note and a task to
     * set it up by hand. A channel whose lead has no deal yet (crm-sync syncs it from {@code leads.routed} meanwhile)
     * rewinds the batch and comes back; after {@link #WAIT_FOR_DEAL} it goes to {@code slack.shared-channels.dlt}.
     */
    @KafkaListener(id = SHARED_CHANNELS_LISTENER, topics = "#{T(io.leadflow.schemas.Topics).SLACK_SHARED_CHANNELS.name()}",
            containerFactory = SyncConfiguration.BATCH_FACTORY, batch = "true")
    void onSharedChannels(List<ConsumerRecord<String, io.leadflow.avro.SharedChannel>> records) {
        Map<String, io.leadflow.avro.SharedChannel> latest = new LinkedHashMap<>();
        Map<String, ConsumerRecord<String, io.leadflow.avro.SharedChannel>> recordByLead = new LinkedHashMap<>();
        for (ConsumerRecord<String, io.leadflow.avro.SharedChannel> record : records) {
            if (deadLetterIfUnreadable(record) || record.value() == null
                    // rep-notifier also files a channel under its company (account:…) and each invited person (invited:…);
                    // those repeat a lead's own record
                    || !record.value().getLeadId().equals(record.key())
                    || erased.skipsLead(record.value().getLeadId(), record.value().getAt(), "slack-channel")) {
                continue;
            }
            latest.put(record.value().getLeadId(), record.value());
            recordByLead.put(record.value().getLeadId(), record);
        }
        if (latest.isEmpty()) {
            return;
        }
        ledger.ensureLoaded(recordByLead.values().stream().map(ConsumerRecord::partition).toList());
        SharedChannelSync.Result result = channels.sync(latest.values(), ledger.known(latest.keySet()));
        result.rejected().forEach((leadId, rejection) -> deadLetter(recordByLead.get(leadId), new HubSpotRejectedRecord(rejection)));
        List<String> waiting = new ArrayList<>();
        for (String leadId : result.withoutDeal()) {
            if (latest.get(leadId).getAt().plus(WAIT_FOR_DEAL).isBefore(clock.instant())) {
                deadLetter(recordByLead.get(leadId), new DeadLetters.PermanentFailure(
                        "no HubSpot deal for lead " + leadId + " within " + WAIT_FOR_DEAL + " of its shared channel"));
            } else {
                waiting.add(leadId);
            }
        }
        if (!waiting.isEmpty()) {
            // what was written is written again on the way back, to the same effect
            throw new DealNotYetSynced("no HubSpot deal yet for leads " + waiting + "; their shared channels wait for it");
        }
        Counter.builder("leadflow.crm.sync.shared-channels").register(meters).increment(latest.size());
    }

    /** A shared channel whose lead's deal crm-sync has not created yet: the batch is rewound and comes back. */
    static class DealNotYetSynced extends RuntimeException {
        DealNotYetSynced(String message) {
            super(message);
        }
    }

    private boolean deadLetterIfUnreadable(ConsumerRecord<?, ?> record) {
        if (record.value() != null || record.headers().lastHeader(SerializationUtils.VALUE_DESERIALIZER_EXCEPTION_HEADER) == null) {
            return false;
        }
        deadLetter(record, new DeserializationException("value could not be deserialized", null, false, null));
        return true;
    }

    /** Publishes one record to {@code <topic>.dlt} and waits for the broker (the recoverer throws if it cannot). */
    private void deadLetter(ConsumerRecord<?, ?> record, Exception reason) {
        deadLetters.accept(record, null, reason);
        Counter.builder("leadflow.crm.sync.dead-letters").tag("topic", record.topic()).register(meters).increment();
    }

    private static void awaitAll(List<CompletableFuture<SendResult<Object, Object>>> sends) {
        try {
            CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while publishing crm.synced", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new KafkaPublishFailed("crm.synced was not acknowledged; the batch will be replayed", e);
        }
    }

    /** The batch reached HubSpot but its crm.synced records did not reach Kafka; replaying it is safe. */
    static class KafkaPublishFailed extends RuntimeException {
        KafkaPublishFailed(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
