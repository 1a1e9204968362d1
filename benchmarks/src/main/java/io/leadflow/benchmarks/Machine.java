package io.leadflow.benchmarks;

/** Where a run happened: enough to compare two result files honestly. */
record Machine(int cores, String jvm, String vendor, long maxHeapMiB, String os) {

    static Machine describe() {
        Runtime runtime = Runtime.getRuntime();
        return new Machine(runtime.availableProcessors(), System.getProperty("java.version"),
                System.getProperty("java.vendor"), runtime.maxMemory() / (1024 * 1024),
                System.getProperty("os.name") + " " + System.getProperty("os.arch"));
    }

    @Override
    public String toString() {
        return cores + " cores, JDK " + jvm + " (" + vendor + "), max heap " + maxHeapMiB + " MiB, " + os;
    }
}
