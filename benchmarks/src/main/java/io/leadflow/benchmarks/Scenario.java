package io.leadflow.benchmarks;

/** One benchmark scenario: measures something and a baseline in the same run. */
interface Scenario {

    String name();

    /** Runs the scenario; {@code quick} shortens every phase for a first look. */
    Result run(boolean quick) throws Exception;
}
