package io.leadflow.notifier.delivery;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * Which offsets of {@code rep.alerts} are safe to commit while alerts finish out of order on their channels: per
 * partition, the lowest offset still in flight (or one past the highest seen when none is). Each assignment of a
 * partition gets a new generation, so work begun under an earlier assignment can tell it no longer owns its record.
 */
final class OffsetTracker {

    /** A record being worked on, under the assignment (generation) it was received in. */
    record Ticket(TopicPartition partition, long offset, long generation) {
    }

    private static final class Progress {
        final long generation;
        final TreeSet<Long> inFlight = new TreeSet<>();
        long highestSeen = -1;
        long committed = -1;

        Progress(long generation) {
            this.generation = generation;
        }
    }

    private final Map<TopicPartition, Progress> partitions = new HashMap<>();
    private long generation;
    private int inFlight;

    synchronized void assigned(Collection<TopicPartition> assigned) {
        generation++;
        for (TopicPartition partition : assigned) {
            partitions.put(partition, new Progress(generation));
        }
    }

    synchronized void revoked(Collection<TopicPartition> revoked) {
        for (TopicPartition partition : revoked) {
            Progress progress = partitions.remove(partition);
            if (progress != null) {
                inFlight -= progress.inFlight.size();
            }
        }
    }

    synchronized Ticket begin(TopicPartition partition, long offset) {
        Progress progress = partitions.computeIfAbsent(partition, p -> new Progress(++generation));
        if (progress.inFlight.add(offset)) {
            inFlight++;
        }
        progress.highestSeen = Math.max(progress.highestSeen, offset);
        return new Ticket(partition, offset, progress.generation);
    }

    /** A record finished without going through a lane (e.g. dead-lettered by the error handler). */
    synchronized void skipped(TopicPartition partition, long offset) {
        done(begin(partition, offset));
    }

    synchronized boolean owns(Ticket ticket) {
        Progress progress = partitions.get(ticket.partition());
        return progress != null && progress.generation == ticket.generation();
    }

    synchronized void done(Ticket ticket) {
        Progress progress = partitions.get(ticket.partition());
        if (progress != null && progress.generation == ticket.generation() && progress.inFlight.remove(ticket.offset())) {
            inFlight--;
        }
    }

    synchronized int inFlight() {
        return inFlight;
    }

    /** Offsets to commit for the given partitions, only where they moved since the last successful commit. */
    synchronized Map<TopicPartition, OffsetAndMetadata> committable(Collection<TopicPartition> of) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition partition : of) {
            Progress progress = partitions.get(partition);
            if (progress == null || progress.highestSeen < 0) {
                continue;
            }
            long safe = progress.inFlight.isEmpty() ? progress.highestSeen + 1 : progress.inFlight.first();
            if (safe > progress.committed) {
                offsets.put(partition, new OffsetAndMetadata(safe));
            }
        }
        return offsets;
    }

    synchronized void committed(Map<TopicPartition, OffsetAndMetadata> offsets) {
        offsets.forEach((partition, offset) -> {
            Progress progress = partitions.get(partition);
            if (progress != null) {
                progress.committed = Math.max(progress.committed, offset.offset());
            }
        });
    }
}
