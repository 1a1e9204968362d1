package io.leadflow.benchmarks;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The table every scenario contributes one row to. */
final class Report {

    private Report() {
    }

    static String row(Result r) {
        String figures = r.figures().entrySet().stream().map(Report::figure).collect(Collectors.joining(", "));
        return "| " + r.scenario() + " | " + figures + " | " + r.ratio() + " | " + r.target() + " | " + (r.met() ? "met" : "missed") + " |";
    }

    static String markdown(String date, Machine machine, boolean quick, List<Result> results) {
        StringBuilder md = new StringBuilder();
        md.append("# Benchmark results\n\n");
        md.append(date).append(", ").append(machine).append(quick ? ", quick mode" : "").append(".\n\n");
        md.append("| scenario | figures | ratio to baseline (same run) | target | |\n");
        md.append("| --- | --- | --- | --- | --- |\n");
        results.forEach(r -> md.append(row(r)).append('\n'));
        md.append("\nSettings:\n\n");
        results.forEach(r -> md.append("- ").append(r.scenario()).append(": ").append(r.settings()).append('\n'));
        return md.toString();
    }

    private static String figure(Map.Entry<String, Object> e) {
        Object v = e.getValue();
        String value = v instanceof Double d ? (d.isNaN() ? "n/a" : Math.abs(d) < 1 ? String.format("%.3f", d) : String.format("%.1f", d))
                : String.valueOf(v);
        return e.getKey() + " " + value;
    }
}
