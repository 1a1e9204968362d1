package io.leadflow.routing.api;

import io.leadflow.avro.LeadRouted;
import io.leadflow.avro.RulesVersion;
import io.leadflow.routing.decide.RoutingState;
import io.leadflow.routing.topology.RoutingTopology;
import io.leadflow.routing.topology.SlaState;
import io.leadflow.routing.topology.StoreRoutingState;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;
import org.springframework.stereotype.Component;

import java.net.URI;
import java.util.Optional;

/**
 * Interactive queries over the routing task's stores. All of them live with the task of the single
 * routing lane, so they are either all on this instance or all on the one {@link #remoteOwner()} names.
 */
@Component
class RoutingStores {

    private final StreamsBuilderFactoryBean streams;

    RoutingStores(StreamsBuilderFactoryBean streams) {
        this.streams = streams;
    }

    Optional<ReadOnlyKeyValueStore<String, LeadRouted>> decisions() {
        return store(RoutingTopology.DECISIONS_STORE);
    }

    Optional<ReadOnlyKeyValueStore<String, SlaState>> clocks() {
        return store(RoutingTopology.SLA_STORE);
    }

    /** The published rules version the routing task decides with; empty before one reached it, or elsewhere. */
    Optional<RulesVersion> liveRules() {
        return this.<RulesVersion>store(RoutingTopology.RULES_STORE).map(store -> store.get(RoutingTopology.LIVE_RULES));
    }

    /** The live routing state, read-only; empty when the stores are not on this instance (or not ready). */
    Optional<RoutingState> state() {
        Optional<ReadOnlyKeyValueStore<String, String>> accounts = store(RoutingTopology.ACCOUNTS_STORE);
        Optional<ReadOnlyKeyValueStore<String, Long>> counters = store(RoutingTopology.COUNTERS_STORE);
        if (accounts.isEmpty() || counters.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(StoreRoutingState.readOnly(accounts.get(), counters.get()));
    }

    /** The base URL of the instance that runs the routing task, when it is another one and known. */
    Optional<URI> remoteOwner() {
        KafkaStreams kafkaStreams = streams.getKafkaStreams();
        if (kafkaStreams == null) {
            return Optional.empty();
        }
        try {
            KeyQueryMetadata metadata = kafkaStreams.queryMetadataForKey(RoutingTopology.DECISIONS_STORE, "", Serdes.String().serializer());
            HostInfo active = metadata.activeHost();
            if (active == null || active.equals(HostInfo.unavailable()) || active.host().isEmpty() || active.equals(self())) {
                return Optional.empty();
            }
            return Optional.of(URI.create("http://" + active.host() + ":" + active.port()));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private HostInfo self() {
        Object server = streams.getStreamsConfiguration() == null ? null
                : streams.getStreamsConfiguration().get(StreamsConfig.APPLICATION_SERVER_CONFIG);
        return server == null || server.toString().isBlank() ? null : HostInfo.buildFromEndpoint(server.toString());
    }

    private <V> Optional<ReadOnlyKeyValueStore<String, V>> store(String name) {
        KafkaStreams kafkaStreams = streams.getKafkaStreams();
        if (kafkaStreams == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(kafkaStreams.store(StoreQueryParameters.fromNameAndType(name, QueryableStoreTypes.<String, V>keyValueStore())));
        } catch (InvalidStateStoreException e) {
            return Optional.empty();
        }
    }
}
