package io.leadflow.notifier.channels;

import io.leadflow.avro.LeadRouted;
import io.leadflow.avro.Pipeline;
import io.leadflow.avro.TrialEvent;
import io.leadflow.avro.TrialStarted;
import io.leadflow.notifier.privacy.ErasedPeople;
import io.leadflow.notifier.system.NotifierProperties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;

import java.time.Duration;

/**
 * Sets up a hands-on lead's shared channel when routing puts it in the hands-on pipeline ({@code leads.routed}, trigger
 * {@code routed}) or when its evaluation starts ({@code TrialStarted} on {@code trials.events}, trigger
 * {@code trial-started}, with the lead as {@link RoutedLeads} last saw it routed). Both read in a consumer group of their
 * own, so each lead is handled by one instance; a record that keeps failing goes to the topic's dead-letter twin. A lead
 * whose person was erased after it came (a replay) gets no channel.
 */
class SharedChannelListener {

    private static final Logger log = LoggerFactory.getLogger(SharedChannelListener.class);

    private final SharedChannelSetup setup;
    private final SharedChannelLedger ledger;
    private final RoutedLeads routedLeads;
    private final NotifierProperties.Trigger trigger;
    private final Duration catchUpTimeout;
    private final ErasedPeople erased;

    SharedChannelListener(SharedChannelSetup setup, SharedChannelLedger ledger, RoutedLeads routedLeads, NotifierProperties properties,
                          ErasedPeople erased) {
        this.erased = erased;
        this.setup = setup;
        this.ledger = ledger;
        this.routedLeads = routedLeads;
        this.trigger = properties.sharedChannels().trigger();
        this.catchUpTimeout = properties.recovery().catchUpTimeout();
    }

    @KafkaListener(id = "rep-notifier-shared-channels", groupId = "${spring.kafka.consumer.group-id}-shared-channels",
            topics = {"#{T(io.leadflow.schemas.Topics).LEADS_ROUTED.name()}", "#{T(io.leadflow.schemas.Topics).TRIALS_EVENTS.name()}"})
    void on(ConsumerRecord<String, Object> record) {
        HandsOnLead lead = null;
        if (record.value() instanceof LeadRouted routed && trigger == NotifierProperties.Trigger.ROUTED
                && routed.getPipeline() == Pipeline.HANDS_ON) {
            lead = HandsOnLead.of(routed);
        } else if (record.value() instanceof TrialEvent event && trigger == NotifierProperties.Trigger.TRIAL_STARTED
                && event.getPayload() instanceof TrialStarted started) {
            lead = routedLead(started);
        }
        if (lead == null || erased.skipsLead(lead.leadId(), lead.customerEmail(), lead.received())) {
            return;
        }
        if (!ledger.awaitLoaded(catchUpTimeout)) {
            throw new IllegalStateException("slack.shared-channels was not read to its end within " + catchUpTimeout);
        }
        setup.setUp(lead);
    }

    private HandsOnLead routedLead(TrialStarted started) {
        if (started.getLeadId() == null) {
            log.info("A trial of deal {} started without a lead; no shared channel is set up for it", started.getDealId());
            return null;
        }
        if (!routedLeads.awaitLoaded(catchUpTimeout)) {
            throw new IllegalStateException("leads.routed was not read to its end within " + catchUpTimeout);
        }
        return routedLeads.find(started.getLeadId()).orElseGet(() -> {
            log.warn("The trial of lead {} started, but the lead was never routed to the hands-on pipeline here; no shared channel",
                    started.getLeadId());
            return null;
        });
    }
}
