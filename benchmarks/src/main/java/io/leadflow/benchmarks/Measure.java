package io.leadflow.benchmarks;

import java.lang.management.ManagementFactory;
import java.time.Instant;

/** Small measuring helpers the scenarios share. */
final class Measure {

    private Measure() {
    }

    /** Heap in use after asking for full collections, for "does the heap stay flat" figures. */
    static long heapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    static long mib(long bytes) {
        return bytes / (1024 * 1024);
    }

    /** Wall-clock time in microseconds since the epoch, comparable with record timestamps and due times. */
    static long nowMicros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000 + now.getNano() / 1000;
    }
}
