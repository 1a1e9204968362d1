package io.leadflow.notifier.channels;

import io.leadflow.avro.LeadRouted;
import io.leadflow.avro.Pipeline;
import io.leadflow.platform.kafka.CatchUpFollower;
import io.leadflow.schemas.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The hands-on leads as routing last decided them, read whole from {@code leads.routed} on every instance, for the
 * {@code trial-started} trigger: a trial's event names its lead only, and the instance that reads it may not be the one
 * that read the lead. It follows the topic only with that trigger.
 */
class RoutedLeads extends CatchUpFollower {

    private final Map<String, LeadRouted> latest = new ConcurrentHashMap<>();
    private final boolean wanted;

    RoutedLeads(KafkaProperties kafka, boolean wanted) {
        super("rep-notifier-routed-leads", kafka, List.of(Topics.LEADS_ROUTED.name()));
        this.wanted = wanted;
    }

    @Override
    public boolean isAutoStartup() {
        return wanted;
    }

    @Override
    protected void apply(ConsumerRecord<String, Object> record) {
        if (record.value() instanceof LeadRouted routed) {
            latest.merge(routed.getLeadId(), routed, (known, later) ->
                    later.getDecisionVersion() >= known.getDecisionVersion() ? later : known);
        }
    }

    /** The lead as last routed, when that was to the hands-on pipeline. */
    Optional<HandsOnLead> find(String leadId) {
        LeadRouted routed = latest.get(leadId);
        return routed == null || routed.getPipeline() != Pipeline.HANDS_ON ? Optional.empty() : Optional.of(HandsOnLead.of(routed));
    }
}
