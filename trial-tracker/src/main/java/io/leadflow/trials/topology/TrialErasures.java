package io.leadflow.trials.topology;

import io.leadflow.platform.privacy.ErasureReports;
import io.leadflow.avro.ErasureReport;
import io.leadflow.avro.ErasureRequested;
import io.leadflow.avro.ErasureStatus;
import io.leadflow.avro.LeadRouted;
import io.leadflow.platform.privacy.Subjects;
import io.micrometer.core.instrument.Metrics;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
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
import java.time.Duration;
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
 *
 * <p>A task whose part fails (its store not readable yet, say) keeps the erasure in {@value #RETRY_STORE} and tries
 * again on a wall-clock timer, {@link #FIRST_BACKOFF} doubling up to {@link #MAX_BACKOFF}, at most {@link #MAX_ATTEMPTS}
 * times; the report is PENDING with the reason while it retries and FAILED with the reason when it gives up. Without
 * {@code LEADFLOW_PRIVACY_KEY} nothing is tried again: the key comes with a restart, and the request met again then.
 */
final class TrialErasures {

    static final String SYSTEM = "trial-tracker state";
    /** subject → requestedAt millis, in every task of the leads table (each gets every erasure). */
    static final String ERASED_STORE = "trial-erased";
    /** erasureId → {@code <partitions done, comma-separated>|<leads deleted>}, in the one collector task. */
    static final String PROGRESS_STORE = "trial-erasure-progress";
    /**
     * erasureId → {@code <subject>|<attempts so far>|<next attempt, epoch millis>}: an erasure of this task's part that
     * failed and waits for its next attempt (no email: the leads are found by subject).
     */
    static final String RETRY_STORE = "trial-erasure-retries";
    /** Attempts at a task's part of an erasure before it is reported FAILED (met again, it starts over). */
    static final int MAX_ATTEMPTS = 6;
    /** The wait after the first failed attempt, doubled after each next one up to {@link #MAX_BACKOFF}. */
    static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
    /** How often a task looks for erasures due for another attempt (wall-clock time). */
    static final Duration RETRY_TICK = Duration.ofSeconds(1);
    private static final String RETRYING = "retry";
    private static final String GAVE_UP = "failed";

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

    /** In each task of the leads table: remembers the erased person and tombstones their leads, retrying a failure. */
    static final class Eraser implements Processor<String, ErasureRequested, String, Object> {

        private final Subjects subjects;
        private ProcessorContext<String, Object> context;
        private KeyValueStore<String, Long> erased;
        private KeyValueStore<String, ValueAndTimestamp<LeadRouted>> leads;
        private KeyValueStore<String, String> retries;

        Eraser(Subjects subjects) {
            this.subjects = subjects;
        }

        @Override
        public void init(ProcessorContext<String, Object> context) {
            this.context = context;
            this.erased = context.getStateStore(ERASED_STORE);
            this.leads = context.getStateStore(TrialTopology.LEADS_STORE);
            this.retries = context.getStateStore(RETRY_STORE);
            context.schedule(RETRY_TICK, PunctuationType.WALL_CLOCK_TIME, this::retryDue);
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
            if (subjects == null) {
                context.forward(record.withKey(request.getErasureId()).withValue(progress(partition(), -1)));
                return;
            }
            erase(request.getErasureId(), request.getSubject(), 1, record.timestamp());
        }

        /** Tries the erasures whose next attempt is due. */
        private void retryDue(long now) {
            List<KeyValue<String, String>> due = new ArrayList<>();
            try (KeyValueIterator<String, String> all = retries.all()) {
                all.forEachRemaining(entry -> {
                    if (entry.value != null && Long.parseLong(entry.value.split("\\|")[2]) <= now) {
                        due.add(KeyValue.pair(entry.key, entry.value));
                    }
                });
            }
            for (KeyValue<String, String> entry : due) {
                String[] retry = entry.value.split("\\|");
                erase(entry.key, retry[0], Integer.parseInt(retry[1]) + 1, now);
            }
        }

        private void erase(String erasureId, String subject, int attempt, long timestamp) {
            List<String> leadIds = new ArrayList<>();
            try {
                try (KeyValueIterator<String, ValueAndTimestamp<LeadRouted>> all = leads.all()) {
                    all.forEachRemaining(entry -> {
                        LeadRouted routed = entry.value == null ? null : entry.value.value();
                        if (routed != null && routed.getLead() != null && routed.getLead().getContact() != null
                                && subject.equals(subjects.of(routed.getLead().getContact().getEmail()))) {
                            leadIds.add(entry.key);
                        }
                    });
                }
            } catch (RuntimeException e) {
                failed(erasureId, subject, attempt, timestamp, e);
                return;
            }
            retries.delete(erasureId);
            for (String leadId : leadIds) {
                // into the leads table: deletes the entry, writes its changelog tombstone, updates the joins
                context.forward(new Record<>(leadId, null, timestamp));
            }
            context.forward(new Record<>(erasureId, progress(partition(), leadIds.size()), timestamp));
        }

        private void failed(String erasureId, String subject, int attempt, long timestamp, RuntimeException e) {
            String reason = e.getClass().getSimpleName(); // never the message: it could name what it failed on
            if (attempt >= MAX_ATTEMPTS) {
                log.warn("Erasure {}: partition {} gave up after {} attempts ({})", erasureId, partition(), attempt, reason);
                retries.delete(erasureId);
                context.forward(new Record<>(erasureId, partition() + "|" + GAVE_UP + "|" + attempt + "|" + reason, timestamp));
                return;
            }
            Duration wait = backoff(attempt);
            log.warn("Erasure {}: partition {} failed (attempt {}, {}); trying again in {}", erasureId, partition(), attempt, reason, wait);
            retries.put(erasureId, subject + "|" + attempt + "|" + (context.currentSystemTimeMs() + wait.toMillis()));
            context.forward(new Record<>(erasureId, partition() + "|" + RETRYING + "|" + attempt + "|" + reason, timestamp));
        }

        private int partition() {
            return context.taskId().partition();
        }
    }

    /** The wait after failed attempt {@code attempt} (1-based). */
    static Duration backoff(int attempt) {
        Duration wait = FIRST_BACKOFF.multipliedBy(1L << Math.min(attempt - 1, 20));
        return wait.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : wait;
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
            if (report[1].equals(RETRYING) || report[1].equals(GAVE_UP)) {
                int attempts = Integer.parseInt(report[2]);
                if (report[1].equals(RETRYING)) {
                    report(erasureId, ErasureStatus.PENDING, "partition " + partition + " failed (" + report[3] + "), attempt "
                            + attempts + " of " + MAX_ATTEMPTS + "; trying again", attempts);
                } else {
                    report(erasureId, ErasureStatus.FAILED, "partition " + partition + " gave up after " + attempts + " attempts ("
                            + report[3] + "); tried again when the request is met again", attempts);
                }
                return;
            }
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
            report(erasureId, status, detail, 1);
        }

        private void report(String erasureId, ErasureStatus status, String detail, int attempts) {
            ErasureReport report = ErasureReports.of(erasureId, SYSTEM, status, detail, attempts, clock.instant());
            if (status == ErasureStatus.DONE) {
                log.info("Erasure {}: trial-tracker state erased ({})", erasureId, detail);
            }
            context.forward(new Record<>(ErasureReports.key(erasureId, SYSTEM), report, clock.millis()));
        }
    }
}
