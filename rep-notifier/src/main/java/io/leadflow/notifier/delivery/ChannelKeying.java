package io.leadflow.notifier.delivery;

import io.leadflow.avro.RepAlert;
import io.leadflow.schemas.Topics;
import io.leadflow.schemas.serde.AvroSerde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.processor.StreamPartitioner;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code rep.alerts} → {@code rep.alerts.by-channel}: every alert, unchanged and under its key (the repId), on the
 * partition of the Slack channel it goes to ({@link ChannelResolver}). Producers key alerts by rep, so the alerts of a
 * shared channel (a channel set for an alert kind, an SLA policy's escalation channel) arrive on every partition of
 * {@code rep.alerts}; after this step they are all on one partition of {@code rep.alerts.by-channel}, which one
 * instance owns, so that instance's lane paces the channel alone, as Slack counts it, however many instances run.
 * <p>
 * At least once: a record written twice after a crash is the same alert, which {@code rep.alerts.sent} posts once.
 * A record that cannot be read goes to {@code rep.alerts.dlt}.
 */
final class ChannelKeying {

    private ChannelKeying() {
    }

    static KStream<String, RepAlert> define(StreamsBuilder builder, ChannelResolver channels, Map<String, ?> serdeConfig) {
        AvroSerde<RepAlert> alerts = AvroSerde.forValues(RepAlert.class, serdeConfig);
        KStream<String, RepAlert> stream = builder
                .stream(Topics.REP_ALERTS.name(), Consumed.with(Serdes.String(), alerts).withName("rep-alerts"))
                .filter((repId, alert) -> alert != null, Named.as("skip-tombstones"));
        stream.to(Topics.REP_ALERTS_BY_CHANNEL.name(), Produced.with(Serdes.String(), alerts)
                .withStreamPartitioner(new ByChannel(channels)).withName("rep-alerts-by-channel"));
        return stream;
    }

    /** The partition of an alert's channel, as the default partitioner would place the channel as a key. */
    static final class ByChannel implements StreamPartitioner<String, RepAlert> {

        private final ChannelResolver channels;

        ByChannel(ChannelResolver channels) {
            this.channels = channels;
        }

        @Override
        public Optional<Set<Integer>> partitions(String topic, String repId, RepAlert alert, int numPartitions) {
            // An alert without a channel cannot be posted anywhere; it stays with its rep's other alerts.
            String lane = channels.channelFor(alert).orElse(repId == null ? "" : repId);
            return Optional.of(Set.of(partition(lane, numPartitions)));
        }

        static int partition(String channel, int numPartitions) {
            return Utils.toPositive(Utils.murmur2(channel.getBytes(StandardCharsets.UTF_8))) % numPartitions;
        }
    }
}
