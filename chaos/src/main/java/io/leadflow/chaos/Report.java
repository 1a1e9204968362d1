package io.leadflow.chaos;

import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@code latest.md} and {@code latest.json}: the machine, each scenario's figures and every sink's audit. */
final class Report {

    private static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    private Report() {
    }

    static String machine() {
        return Runtime.getRuntime().availableProcessors() + " cores, " + (ManagementFactory.getOperatingSystemMXBean() instanceof
                com.sun.management.OperatingSystemMXBean os ? os.getTotalMemorySize() / (1024 * 1024 * 1024) + " GiB, " : "")
                + "JDK " + System.getProperty("java.version") + ", " + System.getProperty("os.name") + " " + System.getProperty("os.arch");
    }

    static void write(Path dir, List<ScenarioRun.Result> results, ScenarioRun.Pace pace) {
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("latest.md"), markdown(results, pace));
            Files.writeString(dir.resolve("latest.json"), JSON.writeValueAsString(json(results, pace)) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String markdown(List<ScenarioRun.Result> results, ScenarioRun.Pace pace) {
        StringBuilder md = new StringBuilder();
        md.append("# Chaos suite: latest run\n\n");
        md.append("- date: ").append(Instant.now().truncatedTo(ChronoUnit.SECONDS)).append('\n');
        md.append("- machine: ").append(machine()).append(" (broker, registry, sandboxes, every service JVM and the load generator share it)\n");
        md.append("- load: ").append(String.format(Locale.ROOT, "%.1f", pace.webhooksPerSecond()))
                .append(" signed webhooks/s, website form, Calendly, Cal.com, Mailgun and SendGrid in turn, each a new person and company\n");
        md.append("- JVM options of every process: `").append(String.join(" ", pace.javaOptions())).append("`\n\n");
        md.append("| scenario | webhooks sent / acknowledged (retried) | lost | duplicated | time to serve again | converged after the last fault | verdict |\n");
        md.append("| --- | --- | --- | --- | --- | --- | --- |\n");
        for (ScenarioRun.Result r : results) {
            md.append("| ").append(r.scenario()).append(" | ");
            if (r.error() != null) {
                md.append("could not run: ").append(r.error().replace('|', '/').replace('\n', ' ')).append(" | | | | | FAILED |\n");
                continue;
            }
            md.append(r.sent()).append(" / ").append(r.accepted()).append(" (").append(r.retried()).append(")").append(" | ")
                    .append(r.lost()).append(" | ").append(r.duplicated()).append(" | ");
            r.events().forEach(e -> md.append(e.target()).append(' ').append(seconds(e.toServeAgain())).append("; "));
            md.append(" | ").append(r.convergedAfter() == null ? "not converged" : seconds(r.convergedAfter())).append(" | ")
                    .append(r.clean() ? "clean" : "LOST OR DUPLICATED").append(" |\n");
        }
        for (ScenarioRun.Result r : results) {
            md.append("\n## ").append(r.scenario()).append("\n\n").append(r.description()).append(". Instances: ").append(r.instances())
                    .append(". Took ").append(seconds(r.took())).append(".\n\n");
            if (r.error() != null) {
                md.append("Could not run: ").append(r.error()).append("\n");
                continue;
            }
            md.append("Webhooks: ").append(r.sent()).append(" sent, ").append(r.accepted()).append(" acknowledged (")
                    .append(r.retried()).append(" after retries), ").append(r.refused()).append(" refused, ").append(r.gaveUp())
                    .append(" given up.\n\n");
            md.append("| sink | expected | found | lost | duplicated | complete after the last fault | examples |\n")
                    .append("| --- | --- | --- | --- | --- | --- | --- |\n");
            for (Audit.Sink s : r.sinks()) {
                Duration complete = r.sinkCompleteAfter().get(s.name());
                md.append("| ").append(s.name()).append(" | ").append(s.expected()).append(" | ").append(s.found()).append(" | ")
                        .append(s.lost()).append(" | ").append(s.duplicated()).append(" | ")
                        .append(complete == null ? "never" : seconds(complete)).append(" | ")
                        .append(String.join(", ", s.lostExamples())).append(s.duplicatedExamples().isEmpty() ? "" : " dup: "
                                + String.join(", ", s.duplicatedExamples())).append(" |\n");
            }
            md.append("\n| fault | process | at | serving again after |\n| --- | --- | --- | --- |\n");
            r.events().forEach(e -> md.append("| ").append(e.what()).append(" | ").append(e.target()).append(" | ")
                    .append(e.at().truncatedTo(ChronoUnit.SECONDS)).append(" | ").append(seconds(e.toServeAgain())).append(" |\n"));
        }
        return md.toString();
    }

    private static Map<String, Object> json(List<ScenarioRun.Result> results, ScenarioRun.Pace pace) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("date", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        root.put("machine", machine());
        root.put("webhooksPerSecond", pace.webhooksPerSecond());
        root.put("javaOptions", pace.javaOptions());
        root.put("scenarios", results.stream().map(r -> {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("scenario", r.scenario());
            s.put("description", r.description());
            s.put("instances", r.instances());
            s.put("error", r.error());
            s.put("sent", r.sent());
            s.put("acknowledged", r.accepted());
            s.put("retried", r.retried());
            s.put("refused", r.refused());
            s.put("gaveUp", r.gaveUp());
            s.put("lost", r.lost());
            s.put("duplicated", r.duplicated());
            s.put("clean", r.clean());
            s.put("convergedAfterSeconds", r.convergedAfter() == null ? null : r.convergedAfter().toMillis() / 1000.0);
            s.put("tookSeconds", r.took().toSeconds());
            s.put("faults", r.events().stream().map(e -> Map.of("what", e.what(), "process", e.target(), "at", e.at().toString(),
                    "servingAgainAfterSeconds", e.toServeAgain().toMillis() / 1000.0)).toList());
            s.put("sinks", r.sinks().stream().map(sink -> {
                Map<String, Object> m = Audit.asMap(sink);
                Duration complete = r.sinkCompleteAfter().get(sink.name());
                m.put("completeAfterLastFaultSeconds", complete == null ? null : complete.toMillis() / 1000.0);
                return m;
            }).toList());
            return s;
        }).toList());
        return root;
    }

    private static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }
}
