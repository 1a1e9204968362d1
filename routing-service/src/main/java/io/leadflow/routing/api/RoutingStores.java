package io.leadflow.routing.api;

import io.leadflow.avro.LeadRouted;
import io.leadflow.platform.streams.InstanceQueries;
import io.leadflow.platform.web.HttpProblem;
import io.leadflow.avro.RulesVersion;
import io.leadflow.routing.decide.RoutingState;
import io.leadflow.routing.topology.RoutingTopology;
import io.leadflow.routing.topology.SlaState;
import io.leadflow.routing.topology.StoreRoutingState;
import jakarta.servlet.http.HttpServletRequest;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;
import org.springframework.stereotype.Component;

import java.net.URI;
import java.util.Optional;

/**
 * Interactive queries over the routing task's stores. All of them live with the task of the single
 * routing lane, so they are either all on this instance or all on the one {@link #elsewhere} names; a request for
 * them is then forwarded there ({@link InstanceQueries}).
 */
@Component
class RoutingStores {

    /**
     * Any key of the routing lane: its repartition topics have one partition, so every key names the one task.
     */
    private static final String LANE_KEY = "";

    private final StreamsBuilderFactoryBean streams;
    private final InstanceQueries instances;

    RoutingStores(StreamsBuilderFactoryBean streams, InstanceQueries instances) {
        this.streams = streams;
        this.instances = instances;
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

    /**
     * The base URL of the instance that runs the routing task when it is another one; empty when it is this one.
     * 503 while that is not known (starting, rebalancing), or when a request forwarded here would be forwarded again.
     */
    Optional<URI> elsewhere(HttpServletRequest request) {
        try {
            return instances.ownerOf(RoutingTopology.DECISIONS_STORE, LANE_KEY, request);
        } catch (InstanceQueries.NotReady e) {
            throw unavailable(e);
        }
    }

    /** As {@link #elsewhere}, but empty (answer here, without the live state) while that is not known. */
    Optional<URI> elsewhereIfKnown(HttpServletRequest request) {
        try {
            return instances.ownerOf(RoutingTopology.DECISIONS_STORE, LANE_KEY, request);
        } catch (InstanceQueries.NotReady e) {
            return Optional.empty();
        }
    }

    /** This request as the instance that runs the routing task answers it (the admin token and hop marker added). */
    ResponseEntity<byte[]> forward(URI owner, HttpServletRequest request, byte[] body) {
        try {
            return instances.forward(owner, request, body);
        } catch (InstanceQueries.NotReady e) {
            throw unavailable(e);
        }
    }

    private static HttpProblem unavailable(InstanceQueries.NotReady e) {
        return HttpProblem.unavailable("The routing state is not available: " + e.getMessage() + "; retry shortly.", RoutingProblems.RETRY);
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
