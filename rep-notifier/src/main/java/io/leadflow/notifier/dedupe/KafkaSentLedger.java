package io.leadflow.notifier.dedupe;

import io.leadflow.avro.SentAlert;
import io.leadflow.schemas.Topics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.core.KafkaOperations;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The ledger kept in the compacted topic {@code rep.alerts.sent}, which only this service writes. A reader thread
 * reads the whole topic from the beginning on start-up and then follows it, so every instance knows what every other
 * instance posted; {@link #awaitCaughtUp} lets the alert consumer wait until everything written before it was
 * assigned partitions has been read. Writes wait for the broker's acknowledgement ({@code acks=all}).
 */
public class KafkaSentLedger implements SentLedger, SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(KafkaSentLedger.class);

    private final Map<String, Object> consumerConfig;
    private final KafkaOperations<Object, Object> template;
    private final Duration writeTimeout;
    private final Map<String, SentAlert> alerts = new ConcurrentHashMap<>();
    /** Lead id → the subject a marker tied it to; kept when the marker is deleted, as it was read (see {@link #subjectOfLead}). */
    private final Map<String, String> leadSubjects = new ConcurrentHashMap<>();
    private final Queue<CompletableFuture<Void>> catchUpRequests = new ConcurrentLinkedQueue<>();
    private final Map<CompletableFuture<Void>, Map<TopicPartition, Long>> catchUpTargets = new HashMap<>();
    private static final Duration RETRY = Duration.ofSeconds(2);

    private volatile boolean running;
    private volatile boolean healthy;
    private volatile boolean ready;
    private volatile String lastError;
    private volatile KafkaConsumer<String, SentAlert> consumer;
    private Thread reader;

    public KafkaSentLedger(Map<String, Object> consumerConfig, KafkaOperations<Object, Object> template, Duration writeTimeout) {
        Map<String, Object> config = new HashMap<>(consumerConfig);
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "rep-notifier-sent-ledger-" + Integer.toHexString(System.identityHashCode(this)));
        this.consumerConfig = config;
        this.template = template;
        this.writeTimeout = writeTimeout;
    }

    @Override
    public Optional<SentAlert> find(String alertId) {
        return Optional.ofNullable(alerts.get(alertId));
    }

    @Override
    public void record(SentAlert marker) {
        try {
            template.send(Topics.REP_ALERTS_SENT.name(), marker.getAlertId(), marker).get(writeTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while recording " + marker.getStatus() + " for " + marker.getAlertId(), e);
        } catch (ExecutionException | TimeoutException e) {
            throw new LedgerUnavailableException("Could not record " + marker.getStatus() + " for alert " + marker.getAlertId(), e);
        }
        merge(marker);
    }

    /** Sends every marker at once (they share the producer's batches) and waits for all the acknowledgements. */
    @Override
    public void recordAll(List<SentAlert> markers) {
        awaitAll(markers.stream().map(m -> template.send(Topics.REP_ALERTS_SENT.name(), m.getAlertId(), m)).toList(),
                "recording", "record", markers.size());
        markers.forEach(this::merge);
    }

    @Override
    public List<SentAlert> all() {
        return List.copyOf(alerts.values());
    }

    @Override
    public boolean postedInDigest(String alertId) {
        return find(alertId).map(marker -> SentLedger.sharesMessage(marker, alerts.values())).orElse(false); // no copy of every marker
    }

    @Override
    public void forget(java.util.Collection<String> alertIds) {
        awaitAll(alertIds.stream().map(id -> template.send(Topics.REP_ALERTS_SENT.name(), id, null)).toList(),
                "deleting", "delete", alertIds.size());
        alertIds.forEach(alerts::remove);
    }

    /** Waits for every send's acknowledgement, all within the write timeout (they were sent at once, sharing batches). */
    private void awaitAll(List<? extends CompletableFuture<?>> sends, String doing, String verb, int count) {
        long deadline = System.nanoTime() + writeTimeout.toNanos();
        try {
            for (CompletableFuture<?> send : sends) {
                send.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while " + doing + " " + count + " markers", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new LedgerUnavailableException("Could not " + verb + " " + count + " markers", e);
        }
    }

    /** Waits until the ledger has read every marker written before this call. */
    public void awaitCaughtUp(Duration timeout) {
        CompletableFuture<Void> request = new CompletableFuture<>();
        catchUpRequests.add(request);
        try {
            request.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while reading " + Topics.REP_ALERTS_SENT.name(), e);
        } catch (ExecutionException | TimeoutException e) {
            throw new LedgerUnavailableException("Could not read " + Topics.REP_ALERTS_SENT.name() + " to its end within " + timeout, e);
        }
    }

    /**
     * Also after an erasure deleted the lead's markers: in this process, and after a restart as long as the deleted
     * markers are still in the topic before their tombstones, or from the marker the erasure leaves for the lead.
     */
    @Override
    public Optional<String> subjectOfLead(String leadId) {
        return Optional.ofNullable(leadSubjects.get(leadId));
    }

    public int size() {
        return alerts.size();
    }

    private void merge(SentAlert marker) {
        if (marker.getLeadId() != null && marker.getSubject() != null) {
            leadSubjects.put(marker.getLeadId(), marker.getSubject());
        }
        alerts.merge(marker.getAlertId(), marker, (existing, incoming) -> SentLedger.replaces(incoming, existing) ? incoming : existing);
    }

    private void readLoop() {
        while (running) {
            try (KafkaConsumer<String, SentAlert> kafka = new KafkaConsumer<>(consumerConfig)) {
                consumer = kafka;
                List<TopicPartition> partitions = partitions(kafka);
                kafka.assign(partitions);
                kafka.seekToBeginning(partitions);
                CompletableFuture<Void> initial = new CompletableFuture<>();
                initial.thenRun(() -> {
                    ready = true;
                    log.info("Read {} to its end: {} alerts known", Topics.REP_ALERTS_SENT.name(), alerts.size());
                });
                catchUpRequests.add(initial);
                while (running) {
                    for (ConsumerRecord<String, SentAlert> record : kafka.poll(Duration.ofMillis(200))) {
                        if (record.value() != null) {
                            merge(record.value());
                        } else if (record.key() != null) {
                            alerts.remove(record.key()); // an erasure deleted it
                        }
                    }
                    answerCatchUpRequests(kafka, partitions);
                    healthy = true;
                }
            } catch (WakeupException e) {
                // stop() woke the reader up
            } catch (RuntimeException e) {
                healthy = false;
                lastError = e.toString();
                log.error("Reading {} failed; alerts wait until it can be read again (retrying in {})",
                        Topics.REP_ALERTS_SENT.name(), RETRY, e);
                ready = false;
                pause();
            } finally {
                consumer = null;
            }
        }
    }

    private void pause() {
        try {
            Thread.sleep(RETRY.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    /** Whether everything in the topic when the reader (re)started has been read. */
    @Override
    public boolean isReady() {
        return ready;
    }

    /** Whether the reader is following the topic; with the last error when it is not. */
    public boolean isHealthy() {
        return running && healthy;
    }

    public String lastError() {
        return lastError;
    }

    private static List<TopicPartition> partitions(KafkaConsumer<String, SentAlert> kafka) {
        List<PartitionInfo> infos = kafka.partitionsFor(Topics.REP_ALERTS_SENT.name(), Duration.ofSeconds(30));
        if (infos == null || infos.isEmpty()) {
            throw new IllegalStateException("Topic " + Topics.REP_ALERTS_SENT.name() + " does not exist");
        }
        return infos.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
    }

    private void answerCatchUpRequests(KafkaConsumer<String, SentAlert> kafka, List<TopicPartition> partitions) {
        CompletableFuture<Void> request;
        while ((request = catchUpRequests.poll()) != null) {
            catchUpTargets.put(request, kafka.endOffsets(partitions));
        }
        catchUpTargets.entrySet().removeIf(entry -> {
            boolean done = entry.getValue().entrySet().stream().allMatch(t -> kafka.position(t.getKey()) >= t.getValue());
            if (done) {
                entry.getKey().complete(null);
            }
            return done;
        });
    }

    @Override
    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        reader = new Thread(this::readLoop, "sent-ledger-reader");
        reader.setDaemon(true);
        reader.start();
    }

    @Override
    public synchronized void stop() {
        running = false;
        KafkaConsumer<String, SentAlert> current = consumer;
        if (current != null) {
            current.wakeup();
        }
        if (reader != null) {
            try {
                reader.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Starts before the listener containers (which start in the default phase) and stops after them. */
    @Override
    public int getPhase() {
        return Integer.MIN_VALUE + 1000;
    }

    /** The ledger topic could not be written or read in time; the alert is retried later, never posted blind. */
    public static class LedgerUnavailableException extends RuntimeException {
        public LedgerUnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
