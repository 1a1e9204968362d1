package io.leadflow.routing.simulate;

import io.leadflow.avro.LeadReceived;
import io.leadflow.schemas.Topics;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * Feeds a {@link Simulation} from the topics, read-only: {@code leads.received} and {@code leads.routed} through one
 * plain consumer with no group (assign and seek, nothing committed, no group or Streams state touched), from the first
 * records stamped a little before the window up to the end offsets captured at the start (records that arrive while
 * it runs are left out).
 * <p>
 * A reader thread owns the consumer: it fetches and decodes, and hands each partition's records over in batches. The
 * calling thread merges and simulates: each partition in its own order, partitions merged by the lead's
 * {@code receivedAt}, then offset, then partition. It waits until every partition not yet read to its end has a
 * record ready before taking the next, so the order depends on the topics' contents alone, not on what the fetches
 * returned when. Decisions are merged in by the receipt of their lead, so each mostly turns up next to its lead. A
 * partition whose decoded records pile up is paused until the merge catches up, which bounds memory.
 */
final class TopicReplay {

    /** Records stamped this long before {@code from} are read too, in case a clock stamped them early. */
    static final Duration LOOKBACK = Duration.ofHours(1);

    private static final Duration POLL = Duration.ofMillis(100);
    private static final int PAUSE_AT = 20_000;
    private static final int RESUME_AT = 5_000;
    private static final Object UNREADABLE = new Object();

    private final Consumer<byte[], byte[]> consumer;
    private final RecordReaders readers;
    private final Duration timeout;

    /** A decoded record: a {@link LeadReceived}, a {@link PastDecision} or {@link #UNREADABLE}. */
    private record Item(long receivedAt, long offset, Object value) {
    }

    /** What the reader hands over for one partition: records in offset order, and whether the partition is done. */
    private record Batch(int lane, List<Item> items, boolean exhausted, RuntimeException failure) {
    }

    /** One partition of either topic, as the merge sees it. */
    private static final class Lane {
        final int index;
        final TopicPartition partition;
        final boolean decisions;
        final long end;
        final ArrayDeque<Item> items = new ArrayDeque<>();
        boolean exhausted;

        Lane(int index, TopicPartition partition, boolean decisions, long end) {
            this.index = index;
            this.partition = partition;
            this.decisions = decisions;
            this.end = end;
        }

        /** Whether this head goes before the other's: receipt, then leads.routed first, then offset, then partition. */
        boolean before(Lane other) {
            Item mine = items.peek();
            Item theirs = other.items.peek();
            if (mine.receivedAt() != theirs.receivedAt()) {
                return mine.receivedAt() < theirs.receivedAt();
            }
            if (decisions != other.decisions) {
                return decisions;
            }
            if (mine.offset() != theirs.offset()) {
                return mine.offset() < theirs.offset();
            }
            return partition.partition() < other.partition.partition();
        }
    }

    TopicReplay(Consumer<byte[], byte[]> consumer, RecordReaders readers, Duration timeout) {
        this.consumer = consumer;
        this.readers = readers;
        this.timeout = timeout;
    }

    void replay(SimulationWindow window, Simulation simulation) throws TimeoutException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<TopicPartition> partitions = new ArrayList<>();
        partitions.addAll(partitions(Topics.LEADS_RECEIVED.name()));
        partitions.addAll(partitions(Topics.LEADS_ROUTED.name()));
        consumer.assign(partitions);
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, timeout);
        Map<TopicPartition, Long> starts = starts(partitions, window.from(), ends);
        List<Lane> lanes = new ArrayList<>();
        for (TopicPartition partition : partitions) {
            Lane lane = new Lane(lanes.size(), partition, partition.topic().equals(Topics.LEADS_ROUTED.name()), ends.get(partition));
            lane.exhausted = starts.get(partition) >= lane.end;
            if (lane.exhausted) {
                consumer.pause(List.of(partition));
            } else {
                consumer.seek(partition, starts.get(partition));
            }
            lanes.add(lane);
        }
        if (lanes.stream().allMatch(lane -> lane.exhausted)) {
            return;
        }

        BlockingQueue<Batch> batches = new ArrayBlockingQueue<>(256);
        AtomicIntegerArray waiting = new AtomicIntegerArray(lanes.size());
        Reader reader = new Reader(lanes.stream().map(lane -> new ReaderLane(lane.partition, lane.decisions, lane.end, lane.exhausted)).toList(),
                batches, waiting);
        Thread thread = new Thread(reader, "routing-simulation-reader");
        thread.setDaemon(true);
        thread.start();
        try {
            merge(lanes, batches, waiting, simulation, deadline);
        } finally {
            reader.stopped = true;
            consumer.wakeup();
            batches.clear();
            try {
                thread.join(TimeUnit.NANOSECONDS.toMillis(Math.max(deadline - System.nanoTime(), 0)) + 5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void merge(List<Lane> lanes, BlockingQueue<Batch> batches, AtomicIntegerArray waiting, Simulation simulation, long deadline)
            throws TimeoutException {
        for (long dispatched = 0; ; ) {
            Lane starved = null;
            for (Lane lane : lanes) {
                if (lane.items.isEmpty() && !lane.exhausted) {
                    starved = lane;
                    break;
                }
            }
            if (starved != null) {
                Batch batch;
                try {
                    batch = batches.poll(Math.max(deadline - System.nanoTime(), 0), TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new TimeoutException("interrupted");
                }
                if (batch == null) {
                    throw new TimeoutException("the replay did not finish within " + timeout);
                }
                for (; batch != null; batch = batches.poll()) {
                    if (batch.failure() != null) {
                        throw batch.failure();
                    }
                    Lane lane = lanes.get(batch.lane());
                    lane.items.addAll(batch.items());
                    lane.exhausted |= batch.exhausted();
                }
                continue;
            }
            Lane next = null;
            for (Lane lane : lanes) {
                if (!lane.items.isEmpty() && (next == null || lane.before(next))) {
                    next = lane;
                }
            }
            if (next == null) {
                return;
            }
            Item item = next.items.poll();
            waiting.decrementAndGet(next.index);
            if (item.value() == UNREADABLE) {
                simulation.unreadable();
            } else if (next.decisions) {
                simulation.past((PastDecision) item.value());
            } else {
                simulation.lead((LeadReceived) item.value());
            }
            if ((++dispatched & 0xfff) == 0 && System.nanoTime() > deadline) {
                throw new TimeoutException("the replay did not finish within " + timeout);
            }
        }
    }

    /** The reader's view of a partition. */
    private static final class ReaderLane {
        final TopicPartition partition;
        final boolean decisions;
        final long end;
        boolean exhausted;
        boolean paused;

        ReaderLane(TopicPartition partition, boolean decisions, long end, boolean exhausted) {
            this.partition = partition;
            this.decisions = decisions;
            this.end = end;
            this.exhausted = exhausted;
        }
    }

    /** Owns the consumer once started: fetches, decodes, hands over, pauses and resumes, until every partition is read. */
    private final class Reader implements Runnable {

        private final List<ReaderLane> lanes;
        private final Map<TopicPartition, Integer> index = new HashMap<>();
        private final BlockingQueue<Batch> batches;
        private final AtomicIntegerArray waiting;
        volatile boolean stopped;

        Reader(List<ReaderLane> lanes, BlockingQueue<Batch> batches, AtomicIntegerArray waiting) {
            this.lanes = lanes;
            this.batches = batches;
            this.waiting = waiting;
            for (int i = 0; i < lanes.size(); i++) {
                index.put(lanes.get(i).partition, i);
            }
        }

        @Override
        public void run() {
            try {
                while (!stopped && lanes.stream().anyMatch(lane -> !lane.exhausted)) {
                    ConsumerRecords<byte[], byte[]> records = consumer.poll(POLL);
                    for (TopicPartition partition : records.partitions()) {
                        int i = index.get(partition);
                        ReaderLane lane = lanes.get(i);
                        if (!lane.exhausted) {
                            hand(i, decode(lane, records.records(partition)));
                        }
                    }
                    for (int i = 0; i < lanes.size(); i++) {
                        ReaderLane lane = lanes.get(i);
                        if (!lane.exhausted && !lane.paused && consumer.position(lane.partition) >= lane.end) {
                            lane.exhausted = true; // e.g. only transaction markers were left
                            consumer.pause(List.of(lane.partition));
                            hand(i, List.of());
                        } else if (lane.paused && waiting.get(i) < RESUME_AT) {
                            consumer.resume(List.of(lane.partition));
                            lane.paused = false;
                        }
                    }
                }
            } catch (WakeupException | InterruptedException e) {
                // stopped by the merge
            } catch (RuntimeException e) {
                batches.offer(new Batch(0, List.of(), false, e instanceof KafkaException ? e : new KafkaException(e)));
            }
        }

        private List<Item> decode(ReaderLane lane, List<ConsumerRecord<byte[], byte[]>> records) {
            List<Item> items = new ArrayList<>(records.size());
            for (ConsumerRecord<byte[], byte[]> record : records) {
                if (record.offset() >= lane.end) {
                    break;
                }
                if (record.offset() == lane.end - 1) {
                    lane.exhausted = true;
                }
                if (record.value() == null) {
                    continue; // a tombstone: nothing to replay
                }
                try {
                    if (lane.decisions) {
                        PastDecision decision = readers.decision(record.value());
                        items.add(new Item(decision.receivedAtMillis(), record.offset(), decision));
                    } else {
                        LeadReceived lead = readers.lead(record.value(), null);
                        items.add(new Item(lead.getReceivedAt().toEpochMilli(), record.offset(), lead));
                    }
                } catch (IOException | RuntimeException e) {
                    items.add(new Item(Long.MIN_VALUE, record.offset(), UNREADABLE));
                }
            }
            if (!records.isEmpty() && records.get(records.size() - 1).offset() >= lane.end - 1) {
                lane.exhausted = true;
            }
            return items;
        }

        /** Hands a partition's decoded records over, pausing the partition when the merge has too many of its records waiting. */
        private void hand(int i, List<Item> items) throws InterruptedException {
            ReaderLane lane = lanes.get(i);
            int waitingNow = waiting.addAndGet(i, items.size()); // before the merge can take (and count off) any of them
            if (lane.exhausted) {
                consumer.pause(List.of(lane.partition));
            } else if (!lane.paused && waitingNow > PAUSE_AT) {
                consumer.pause(List.of(lane.partition));
                lane.paused = true;
            }
            batches.put(new Batch(i, items, lane.exhausted, null));
        }
    }

    private List<TopicPartition> partitions(String topic) {
        List<PartitionInfo> infos = consumer.partitionsFor(topic, timeout);
        if (infos == null || infos.isEmpty()) {
            throw new KafkaException("Topic " + topic + " does not exist");
        }
        return infos.stream().map(info -> new TopicPartition(info.topic(), info.partition()))
                .sorted(Comparator.comparingInt(TopicPartition::partition)).toList();
    }

    /** The first offset stamped at or after {@code from} less the lookback, or the beginning; the end when none is. */
    private Map<TopicPartition, Long> starts(List<TopicPartition> partitions, Instant from, Map<TopicPartition, Long> ends) {
        if (from == null) {
            return consumer.beginningOffsets(partitions, timeout);
        }
        Map<TopicPartition, Long> at = new HashMap<>();
        partitions.forEach(partition -> at.put(partition, Math.max(0, from.minus(LOOKBACK).toEpochMilli())));
        Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(at, timeout);
        Map<TopicPartition, Long> starts = new HashMap<>();
        partitions.forEach(partition -> {
            OffsetAndTimestamp offset = found.get(partition);
            starts.put(partition, offset == null ? ends.get(partition) : Math.min(offset.offset(), ends.get(partition)));
        });
        return starts;
    }
}
