package io.leadflow.trials.topology;

import io.leadflow.platform.privacy.ErasureReports;
import io.leadflow.avro.ErasureReport;
import io.leadflow.avro.ErasureRequested;
import io.leadflow.avro.ErasureStatus;
import io.leadflow.avro.LeadRouted;
import io.leadflow.platform.privacy.Subjects;
import io.micrometer.core.instrument.Metrics;
import org.apache.kafka.streams.processor.StreamPartitioner;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * trial-tracker's part of an erasure ({@value #SYSTEM}). {@code privacy.erasures} is fanned out to every partition of
 * the internal topic {@code erasure-fanout} (as many partitions as {@code leads.routed}); each task's
 * {@link Eraser} deletes the person's leads from its part of the {@code leads} table by sending tombstones into the
 * table, so the changelog gets tombstones and the joins downstream ({@code lead-context}, {@code trial-context}) update,
 * and sends "partition p done, n leads" to the one-partition {@code erasure-progress} topic, where {@link Collector}
 * reports DONE once every partition has answered. Each task also keeps the erased people (subject → requested at) in
 * {@value #ERASED_STORE}, by which {@link Guard} drops an old {@code LeadRouted} of an erased person.
 */
final class TrialErasures {

    static final String SYSTEM = "trial-tracker state";
    /** subject → requestedAt millis, in every task of the leads table (each gets every erasure). */
    static final String ERASED_STORE = "trial-erased";
    /** erasureId → {@code <partitions done, comma-separated>|<leads deleted>}, in the one collector task. */
    static final String PROGRESS_STORE = "trial-erasure-progress";

    private static final Logger log = LoggerFactory.getLogger(TrialErasures.class);

    private TrialErasures() {
    }

    /** Sends each erasure to every partition. */
    static <K, V> StreamPartitioner<K, V> everyPartition() {
        return (topic, key, value, partitions) ->
                Optional.of(IntStream.range(0, partitions).boxed().collect(Collectors.toSet()));
    }

    /** Drops a routed lead received before its person's erasure. */
    static final class Guard implements Processor<String, LeadRouted, String, LeadRouted> {

        private final Subjects subjects;
        private ProcessorContext<String, LeadRouted> context;
        private KeyValueStore<String, Long> erased;

        Guard(Subjects subjects) {
            this.subjects = subjects;
        }

        @Override
        public void init(ProcessorContext<String, LeadRouted> context) {
            this.context = context;
            this.erased = context.getStateStore(ERASED_STORE);
        }

        @Override
        public void process(Record<String, LeadRouted> record) {
            LeadRouted routed = record.value();
            if (routed != null && subjects != null && routed.getLead() != null && routed.getLead().getContact() != null
                    && routed.getLead().getReceivedAt() != null) {
                String subject = subjects.of(routed.getLead().getContact().getEmail());
                Long requestedAt = subject == null ? null : erased.get(subject);
                if (requestedAt != null && routed.getLead().getReceivedAt().toEpochMilli() < requestedAt) {
                    log.info("Dropped lead {} from leads.routed: its person was erased", record.key());
                    Metrics.counter("leadflow.privacy.skipped", "service", "trial-tracker", "topic", "leads.routed").increment();
                    return;
                }
            }
            context.forward(record);
        }
    }

    /** In each task of the leads table: remembers the erased person and tombstones their leads. */
    static final class Eraser implements Processor<String, ErasureRequested, String, Object> {

        private final Subjects subjects;
        private ProcessorContext<String, Object> context;
        private KeyValueStore<String, Long> erased;
        private KeyValueStore<String, ValueAndTimestamp<LeadRouted>> leads;

        Eraser(Subjects subjects) {
            this.subjects = subjects;
        }

        @Override
        public void init(ProcessorContext<String, Object> context) {
            this.context = context;
            this.erased = context.getStateStore(ERASED_STORE);
            this.leads = context.getStateStore(TrialTopology.LEADS_STORE);
        }

        @Override
        public void process(Record<String, ErasureRequested> record) {
            ErasureRequested request = record.value();
            if (request == null || request.getSubject() == null || request.getRequestedAt() == null) {
                return;
            }
            erased.put(request.getSubject(), request.getRequestedAt().toEpochMilli());
            if (request.getEmail() == null) {
                return; // complete: nothing left to do but remember the person
            }
            int partition = context.recordMetadata().map(m -> m.partition()).orElse(0);
            if (subjects == null) {
                context.forward(record.withKey(request.getErasureId()).withValue(progress(partition, -1)));
                return;
            }
            List<String> leadIds = new ArrayList<>();
            try (KeyValueIterator<String, ValueAndTimestamp<LeadRouted>> all = leads.all()) {
                all.forEachRemaining(entry -> {
                    LeadRouted routed = entry.value == null ? null : entry.value.value();
                    if (routed != null && routed.getLead() != null && routed.getLead().getContact() != null
                            && request.getSubject().equals(subjects.of(routed.getLead().getContact().getEmail()))) {
                        leadIds.add(entry.key);
                    }
                });
            }
            for (String leadId : leadIds) {
                // into the leads table: deletes the entry, writes its changelog tombstone, updates the joins
                context.forward(new Record<>(leadId, null, record.timestamp()));
            }
            context.forward(record.withKey(request.getErasureId()).withValue(progress(partition, leadIds.size())));
        }
    }

    static String progress(int partition, int leads) {
        return partition + "|" + leads;
    }

    /** In the one collector task: reports DONE once every partition of the leads table has erased its part. */
    static final class Collector implements Processor<String, String, String, ErasureReport> {

        private final int partitions;
        private final Clock clock;
        private ProcessorContext<String, ErasureReport> context;
        private KeyValueStore<String, String> progress;

        Collector(int partitions, Clock clock) {
            this.partitions = partitions;
            this.clock = clock;
        }

        @Override
        public void init(ProcessorContext<String, ErasureReport> context) {
            this.context = context;
            this.progress = context.getStateStore(PROGRESS_STORE);
        }

        @Override
        public void process(Record<String, String> record) {
            String erasureId = record.key();
            String[] report = record.value().split("\\|");
            int partition = Integer.parseInt(report[0]);
            int leads = Integer.parseInt(report[1]);
            if (leads < 0) {
                report(erasureId, ErasureStatus.FAILED, "LEADFLOW_PRIVACY_KEY is not set in trial-tracker");
                return;
            }
            String known = progress.get(erasureId);
            Set<Integer> done = new TreeSet<>();
            int total = 0;
            if (known != null) {
                String[] parts = known.split("\\|");
                for (String p : parts[0].split(",")) {
                    if (!p.isEmpty()) {
                        done.add(Integer.parseInt(p));
                    }
                }
                total = Integer.parseInt(parts[1]);
            }
            if (done.add(partition)) {
                total += leads;
            }
            progress.put(erasureId, done.stream().map(String::valueOf).collect(Collectors.joining(",")) + "|" + total);
            if (done.size() >= partitions) {
                report(erasureId, ErasureStatus.DONE, total + " routed leads deleted from the leads table (" + partitions
                        + " partitions), their contexts with them");
            } else if (done.size() == 1) {
                report(erasureId, ErasureStatus.PENDING, done.size() + " of " + partitions + " partitions erased");
            }
        }

        private void report(String erasureId, ErasureStatus status, String detail) {
            ErasureReport report = ErasureReports.of(erasureId, SYSTEM, status, detail, 1, clock.instant());
            if (status == ErasureStatus.DONE) {
                log.info("Erasure {}: trial-tracker state erased ({})", erasureId, detail);
            }
            context.forward(new Record<>(ErasureReports.key(erasureId, SYSTEM), report, clock.millis()));
        }
    }
}
