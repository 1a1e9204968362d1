package io.leadflow.benchmarks;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * N clients, each sending its next request as soon as the previous one is answered, for a warm-up
 * (long enough for the JIT) and then a measured window. Latencies go to an HdrHistogram.
 */
final class ClosedLoop {

    /** One request; returns normally on success, throws on failure. */
    interface Call {
        void call(int client, long sequence) throws Exception;
    }

    /**
     * @param loadCpuShare the share of this process's CPU time in the measured window that the load generator's own
     *                     threads used (the HTTP client runs on them), so a figure can be read against what the
     *                     generator took from the same cores
     */
    record Outcome(long completed, long failed, double perSecond, Histogram latencyMicros, double loadCpuShare) {
        double p50Millis() {
            return latencyMicros.getValueAtPercentile(50) / 1000.0;
        }

        double p99Millis() {
            return latencyMicros.getValueAtPercentile(99) / 1000.0;
        }

        double maxMillis() {
            return latencyMicros.getMaxValue() / 1000.0;
        }
    }

    private ClosedLoop() {
    }

    static Outcome run(int clients, Duration warmUp, Duration measure, Call call) throws InterruptedException {
        Recorder recorder = new Recorder(3);
        AtomicBoolean measuring = new AtomicBoolean(false);
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong completed = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        AtomicLong sequence = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            int client = c;
            Thread t = new Thread(() -> {
                while (running.get()) {
                    long start = System.nanoTime();
                    try {
                        call.call(client, sequence.incrementAndGet());
                        if (measuring.get()) {
                            recorder.recordValue(Math.max(1, (System.nanoTime() - start) / 1000));
                            completed.incrementAndGet();
                        }
                    } catch (Exception e) {
                        if (failed.getAndIncrement() == 0) {
                            System.err.println("First failed call: " + e);
                        }
                    }
                }
            }, "load-" + c);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
        Thread.sleep(warmUp.toMillis());
        recorder.reset();
        failed.set(0);
        measuring.set(true);
        long start = System.nanoTime();
        long loadCpuAtStart = cpuNanos(threads);
        long processCpuAtStart = processCpuNanos();
        Thread.sleep(measure.toMillis());
        measuring.set(false);
        double seconds = (System.nanoTime() - start) / 1e9;
        long processCpu = processCpuNanos() - processCpuAtStart;
        double loadCpuShare = processCpu <= 0 ? Double.NaN : (double) (cpuNanos(threads) - loadCpuAtStart) / processCpu;
        running.set(false);
        for (Thread t : threads) {
            t.join(10_000);
        }
        return new Outcome(completed.get(), failed.get(), completed.get() / seconds, recorder.getIntervalHistogram(), loadCpuShare);
    }

    private static long cpuNanos(List<Thread> threads) {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long sum = 0;
        for (Thread t : threads) {
            sum += Math.max(0, mx.getThreadCpuTime(t.getId()));
        }
        return sum;
    }

    private static long processCpuNanos() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() : -1;
    }
}
