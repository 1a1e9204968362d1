package io.leadflow.benchmarks;

import io.leadflow.avro.Deployment;
import io.leadflow.avro.ReminderKind;
import io.leadflow.avro.TrialEvent;
import io.leadflow.avro.TrialReminder;
import io.leadflow.avro.TrialStarted;
import io.leadflow.localstack.system.EmbeddedService;
import io.leadflow.schemas.Topics;
import io.leadflow.testing.KafkaBroker;
import io.leadflow.testing.KafkaBrokers;
import io.leadflow.trials.TrialTrackerApplication;
import io.leadflow.trials.system.TrialsProperties;
import io.leadflow.trials.topology.TrialIds;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * Scenario 5: N active trials loaded into trial-tracker (RocksDB stores with changelogs, exactly-once),
 * then twice 10,000 more whose kick-off reminders all fall due in the same second: the first burst is the
 * first firing of the JVM (cold JIT), the second the steady state. Reports the heap after a full GC at the
 * first chunk and at full load (stores live on disk, so it must not grow with trials), the load rate against
 * a plain producer writing the same events, and the firing lag of each burst against the broker's own
 * produce→consume latency for 10,000 records sent at once.
 */
final class TrialTimers implements Scenario {

    private static final String REGISTRY = "mock://benchmarks-trials";
    private static final int BURST = 10_000;

    @Override
    public String name() {
        return "trial-timers";
    }

    @Override
    public Result run(boolean quick) throws Exception {
        int trials = quick ? 50_000 : 1_000_000;
        Duration timeout = Duration.ofMinutes(3);
        Duration loadBudget = quick ? Duration.ofMinutes(5) : Duration.ofSeconds(150);
        KafkaBroker broker = KafkaBrokers.startPrivate();
        Path stateDir = Files.createTempDirectory("bench-trials-state");
        String applicationId = "bench-trials-" + UUID.randomUUID();
        String bootstrap = broker.bootstrapServers();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
             KafkaProducer<String, TrialEvent> producer = Kafka.avroProducer(bootstrap, REGISTRY)) {
            EmbeddedService tracker = Services.start("trial-tracker", TrialTrackerApplication.class, bootstrap, REGISTRY, Map.of(
                    "spring.kafka.streams.application-id", applicationId,
                    "spring.kafka.streams.state-dir", stateDir.toString(),
                    "LEADFLOW_TRIALS_STATE_DIR", stateDir.toString(),
                    "leadflow.admin.token", "bench-" + UUID.randomUUID()));
            try {
                String timers = timerSettings(tracker);
                long heapIdle = Measure.heapAfterGc();
                Instant now = Instant.now();
                // Active trials whose first reminder (the kick-off) is between an hour and 29 days away, in chunks:
                // each chunk is written by a plain producer (the baseline) and then consumed by trial-tracker before
                // the next, until every trial is in or the load budget is spent (the full suite must stay bounded).
                int chunk = quick ? trials / 2 : 50_000;
                long producedNanos = 0;
                long loadNanos = 0;
                long loaded = 0;
                long heapFirst = 0;
                long heapFirstAt = 0;
                while (loaded < trials && loadNanos < loadBudget.toNanos()) {
                    long from = loaded;
                    int size = (int) Math.min(chunk, trials - loaded);
                    long chunkStart = System.nanoTime();
                    producedNanos += Kafka.produceAll(producer, size, seq -> start("load-" + (from + seq), future(now, from + seq)));
                    waitUntilConsumed(admin, applicationId, timeout);
                    loadNanos += System.nanoTime() - chunkStart;
                    loaded += size;
                    if (heapFirstAt == 0) {
                        heapFirst = Measure.heapAfterGc();
                        heapFirstAt = loaded;
                    }
                }
                long heapFull = Measure.heapAfterGc();
                double loadPerSecond = loaded / (loadNanos / 1e9);
                double producerPerSecond = loaded / (producedNanos / 1e9);
                long bytesPerTrial = loaded > heapFirstAt ? Math.max(0, (heapFull - heapFirst) / (loaded - heapFirstAt)) : 0;
                System.out.printf("  loaded %,d trials in %.1f s (the producer alone took %.1f s); heap after GC: idle %d MiB, at %,d trials %d MiB, at %,d trials %d MiB%n",
                        loaded, loadNanos / 1e9, producedNanos / 1e9, Measure.mib(heapIdle), heapFirstAt, Measure.mib(heapFirst), loaded, Measure.mib(heapFull));

                System.out.println("  tasks per stream thread: " + tasksPerThread(tracker));

                // Two bursts of 10,000 trials whose kick-offs all fall due in the same second. The first is the first
                // firing this JVM ever does (the firing path is not yet compiled by the JIT, as right after a start-up);
                // the second runs as in a service that has been firing reminders all along: the target is judged on it.
                Burst cold = burst("cold", producer, admin, applicationId, bootstrap, quick, timeout);
                Burst steady = burst("steady", producer, admin, applicationId, bootstrap, quick, timeout);
                double seenP99 = steady.seen(99);
                double brokerP99 = steady.broker(99);
                boolean met = steady.reminders() == BURST && bytesPerTrial < 100 && seenP99 < 1000 && steady.fired(99) < 1000;
                return Result.of(name())
                        .settings(String.format("%,d of %,d TrialStarted loaded into trials.events in chunks of %,d within a %d s budget (kick-offs 1 h to 29 days ahead, 5-7 reminders each), "
                                + "trial-tracker with a fresh application id, RocksDB stores with changelogs, exactly_once_v2, "
                                + "%s; heap measured after a full GC "
                                + "(whole JVM: broker, producer and tracker), idle before loading %d MiB, growth per trial from the first chunk to the end; then twice %,d trials whose kick-offs are "
                                + "all due at the same second: 'first burst' is the first firing of this JVM (firing path not yet JIT-compiled, as right after a start-up), "
                                + "the other figures are the second burst (steady state, the target); lag 'fired' = firedAt - dueAt as stamped by the punctuator, lag 'seen' = when a "
                                + "read_committed consumer of trials.reminders got it - dueAt (includes the exactly-once commit); baselines: "
                                + "a plain producer writing the same events (load), and the broker's own produce→consume latency for the "
                                + "same %,d records sent at once (lag)", loaded, trials, chunk, loadBudget.toSeconds(), timers, Measure.mib(heapIdle), BURST, BURST))
                        .figure("trials loaded", loaded)
                        .figure("load trials/s", loadPerSecond)
                        .figure("producer alone events/s", producerPerSecond)
                        .figure("heap MiB after load", Measure.mib(heapFull))
                        .figure("heap bytes/trial", bytesPerTrial)
                        .figure("first burst fired lag p50 ms", cold.fired(50))
                        .figure("first burst fired lag p99 ms", cold.fired(99))
                        .figure("first burst seen lag p50 ms", cold.seen(50))
                        .figure("first burst seen lag p99 ms", cold.seen(99))
                        .figure("reminders", steady.reminders())
                        .figure("fired lag p50 ms", steady.fired(50))
                        .figure("fired lag p99 ms", steady.fired(99))
                        .figure("seen lag p50 ms", steady.seen(50))
                        .figure("seen lag p99 ms", seenP99)
                        .figure("broker p99 ms", brokerP99)
                        .ratio(String.format("load %.2f of a plain producer; seen lag p99 %.1fx the broker's produce→consume p99 (first burst %.1fx)",
                                loadPerSecond / producerPerSecond, seenP99 / Math.max(0.001, brokerP99),
                                cold.seen(99) / Math.max(0.001, cold.broker(99))))
                        .target("lag p99 < 1 s (fired and seen) in steady state, all 10,000 fired; heap flat (< 1,000 bytes per trial; the state of one trial is larger)", met)
                        .build();
            } finally {
                tracker.close();
            }
        } finally {
            broker.close();
            RoutingReplay.deleteQuietly(stateDir);
        }
    }

    /** The lag of one burst: how many of its kick-offs arrived, and the latencies in microseconds. */
    private record Burst(long reminders, Histogram firedLag, Histogram seenLag, Histogram brokerLatency) {

        double fired(double percentile) {
            return firedLag.getValueAtPercentile(percentile) / 1000.0;
        }

        double seen(double percentile) {
            return seenLag.getValueAtPercentile(percentile) / 1000.0;
        }

        double broker(double percentile) {
            return brokerLatency.getValueAtPercentile(percentile) / 1000.0;
        }
    }

    /**
     * Starts 10,000 trials whose kick-offs are all due in the same second, a few seconds from now, and measures how
     * late each kick-off fired and reached a read_committed consumer; the baseline is the broker's own latency for
     * the 10,000 starts sent at once.
     */
    private static Burst burst(String name, KafkaProducer<String, TrialEvent> producer, Admin admin, String applicationId,
                               String bootstrap, boolean quick, Duration timeout) throws Exception {
        Instant due = Instant.now().truncatedTo(ChronoUnit.SECONDS).plusSeconds(quick ? 8 : 15);
        Histogram brokerLatency = new Histogram(TimeUnit.MINUTES.toMicros(5), 3);
        Histogram firedLag = new Histogram(TimeUnit.MINUTES.toMicros(5), 3);
        Histogram seenLag = new Histogram(TimeUnit.MINUTES.toMicros(5), 3);
        try (KafkaConsumer<String, TrialEvent> events = Kafka.avroConsumer(bootstrap, REGISTRY);
             KafkaConsumer<String, TrialReminder> fired = Kafka.avroConsumer(bootstrap, REGISTRY)) {
            Kafka.assignAtEnd(events, Topics.TRIALS_EVENTS.name());
            Kafka.assignAtEnd(fired, Topics.TRIALS_REMINDERS.name());
            long sentAtMicros = Measure.nowMicros();
            Kafka.produceAll(producer, BURST, seq -> start(name + "-burst-" + seq, due));
            long received = Kafka.readUntil(events, BURST, timeout,
                    r -> brokerLatency.recordValue(Math.max(1, Measure.nowMicros() - sentAtMicros)));
            if (received < BURST) {
                throw new IllegalStateException("Only " + received + " of the " + BURST + " trial starts came back from the broker");
            }
            waitUntilConsumed(admin, applicationId, timeout);
            if (Instant.now().isAfter(due)) {
                System.out.println("  warning: the " + name + " burst's trials were loaded only after their reminders fell due; lag includes loading");
            }
            AtomicLong kickoffs = new AtomicLong();
            long dueMicros = due.toEpochMilli() * 1000;
            Kafka.readUntil(fired, BURST, Duration.between(Instant.now(), due).plus(timeout), r -> {
                TrialReminder reminder = r.value();
                if (reminder != null && reminder.getKind() == ReminderKind.KICKOFF && reminder.getDueAt().equals(due)) {
                    kickoffs.incrementAndGet();
                    firedLag.recordValue(Math.max(1, reminder.getFiredAt().toEpochMilli() * 1000 - dueMicros));
                    seenLag.recordValue(Math.max(1, Measure.nowMicros() - dueMicros));
                }
            });
            Burst burst = new Burst(kickoffs.get(), firedLag, seenLag, brokerLatency);
            System.out.printf("  %s burst: %,d kick-offs, fired lag p50 %.0f ms / p99 %.0f ms, seen p50 %.0f ms / p99 %.0f ms%n",
                    name, burst.reminders(), burst.fired(50), burst.fired(99), burst.seen(50), burst.seen(99));
            return burst;
        }
    }

    /** Which tasks each of trial-tracker's stream threads runs (the trials processor is one of the subtopologies). */
    private static String tasksPerThread(EmbeddedService tracker) {
        KafkaStreams streams = Services.context(tracker).getBean(StreamsBuilderFactoryBean.class).getKafkaStreams();
        return streams.metadataForLocalThreads().stream()
                .map(thread -> thread.threadName().replaceAll(".*-(StreamThread-\\d+)$", "$1") + " "
                        + thread.activeTasks().stream().map(task -> task.taskId().toString()).sorted().toList())
                .sorted()
                .collect(Collectors.joining(", "));
    }

    /** The timer settings trial-tracker runs with (its defaults, or what the environment set), for the settings line. */
    private static String timerSettings(EmbeddedService tracker) {
        TrialsProperties trials = Services.context(tracker).getBean(TrialsProperties.class);
        return String.format("punctuation every %d ms, at most %,d fires per task and tick, %s", trials.punctuationInterval().toMillis(),
                trials.maxFiresPerTick(), Services.streamsSettings(tracker));
    }

    private static Instant future(Instant now, long seq) {
        SplittableRandom random = new SplittableRandom(seq);
        return now.plus(Duration.ofHours(1)).plusSeconds(random.nextLong(Duration.ofDays(28).toSeconds())).truncatedTo(ChronoUnit.SECONDS);
    }

    private static ProducerRecord<String, TrialEvent> start(String dealId, Instant startsAt) {
        String trialId = TrialIds.forDeal(dealId);
        TrialEvent event = TrialEvent.newBuilder()
                .setEventId("bench:" + dealId)
                .setTrialId(trialId)
                .setOccurredAt(Instant.now())
                .setPayload(TrialStarted.newBuilder().setDealId(dealId).setStartsAt(startsAt).setLengthDays(30)
                        .setDeployment(dealId.hashCode() % 3 == 0 ? Deployment.SELF_HOSTED : Deployment.CLOUD).setOrigin("API").build())
                .build();
        return new ProducerRecord<>(Topics.TRIALS_EVENTS.name(), trialId, event);
    }

    /** Waits until the Streams application has committed offsets at the end of trials.events. */
    private static void waitUntilConsumed(Admin admin, String applicationId, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (int p = 0; p < Topics.TRIALS_EVENTS.partitions(); p++) {
                latest.put(new TopicPartition(Topics.TRIALS_EVENTS.name(), p), OffsetSpec.latest());
            }
            var ends = admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(applicationId)
                    .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
            boolean caughtUp = ends.entrySet().stream().allMatch(e -> {
                OffsetAndMetadata c = committed.get(e.getKey());
                return e.getValue().offset() == 0 || (c != null && c.offset() >= e.getValue().offset());
            });
            if (caughtUp) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("trial-tracker did not catch up with trials.events within " + timeout);
            }
            Thread.sleep(100);
        }
    }
}
