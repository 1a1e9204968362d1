package io.leadflow.routing.privacy;

import io.leadflow.avro.ErasureReport;
import io.leadflow.avro.ErasureRequested;
import io.leadflow.routing.topology.RoutingTopology;
import io.leadflow.schemas.Topics;
import io.leadflow.schemas.serde.AvroSerde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.Stores;

import java.time.Clock;
import java.util.Map;
import java.util.function.Function;

/**
 * The routing task's part of an erasure: {@code privacy.erasures} through a one-partition lane of its own
 * ({@code erasure-lane}) into the routing task, where {@link ErasureProcessor} deletes the person's entries from the task's
 * stores and reports {@code routing-service state} on {@code privacy.erasure-reports}; and the erased list
 * ({@link #ERASED_STORE}) the routing step drops old leads of an erased person by ({@link ErasedPeople}).
 */
public final class RoutingErasures {

    /** subject → {@code <erasureId>|<requestedAt millis>|pending or done}: the people erased, in the routing task. */
    public static final String ERASED_STORE = "routing-erased";
    /** The system the routing task reports as. */
    public static final String SYSTEM = "routing-service state";

    private RoutingErasures() {
    }

    /** Adds the erased list, the erasure lane and its reports to the routing topology. */
    public static void define(StreamsBuilder builder, Map<String, ?> serdeConfigs, ErasedPeople people, Clock clock,
                              Function<String, KeyValueBytesStoreSupplier> store) {
        AvroSerde<ErasureRequested> requests = AvroSerde.forValues(ErasureRequested.class, serdeConfigs);
        AvroSerde<ErasureReport> reports = AvroSerde.forValues(ErasureReport.class, serdeConfigs);
        builder.addStateStore(Stores.keyValueStoreBuilder(store.apply(ERASED_STORE), Serdes.String(), Serdes.String()));
        builder.stream(Topics.PRIVACY_ERASURES.name(), Consumed.with(Serdes.String(), requests).withName("privacy-erasures"))
                .filter((subject, request) -> request != null, Named.as("skip-erasure-tombstones"))
                .repartition(Repartitioned.with(Serdes.String(), requests).withName("erasure-lane").withNumberOfPartitions(1))
                .process(() -> new ErasureProcessor(people, clock), Named.as("erase"), RoutingTopology.DECISIONS_STORE,
                        RoutingTopology.SLA_STORE, RoutingTopology.SLA_DUE_STORE, RoutingTopology.CRM_LINKS_STORE, ERASED_STORE)
                .to(Topics.PRIVACY_ERASURE_REPORTS.name(), Produced.with(Serdes.String(), reports).withName("erasure-reports"));
    }
}
