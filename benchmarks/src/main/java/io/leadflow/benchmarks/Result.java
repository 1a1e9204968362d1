package io.leadflow.benchmarks;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a scenario measured: its figures, the baseline measured in the same run, their ratio, and
 * whether the target was met. A missed target is reported, never an error.
 */
record Result(String scenario, String settings, Map<String, Object> figures, String ratio, String target, boolean met) {

    static Builder of(String scenario) {
        return new Builder(scenario);
    }

    static final class Builder {
        private final String scenario;
        private final Map<String, Object> figures = new LinkedHashMap<>();
        private String settings = "";
        private String ratio = "";
        private String target = "";
        private boolean met = true;

        private Builder(String scenario) {
            this.scenario = scenario;
        }

        Builder settings(String settings) {
            this.settings = settings;
            return this;
        }

        Builder figure(String name, Object value) {
            figures.put(name, value);
            return this;
        }

        Builder ratio(String ratio) {
            this.ratio = ratio;
            return this;
        }

        Builder target(String target, boolean met) {
            this.target = target;
            this.met = met;
            return this;
        }

        Result build() {
            return new Result(scenario, settings, figures, ratio, target, met);
        }
    }
}
