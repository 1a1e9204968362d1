package io.leadflow.benchmarks;

import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the benchmark scenarios and writes {@code benchmarks/results/latest.md} and {@code latest.json}.
 * Every figure is reported next to a baseline measured in the same run, because these machines are
 * shared and noisy: a ratio is stable where an absolute number is not. Exits non-zero only when a
 * scenario could not run.
 *
 * <pre>benchmarks/run [--quick] [--append] [--results DIR] [scenario ...]</pre>
 * {@code --append} keeps the rows already in latest.json (e.g. the same scenario on another JDK), replacing
 * only a row of the same scenario.
 */
final class Benchmarks {

    private static final Map<String, Scenario> SCENARIOS = new LinkedHashMap<>();

    static {
        register(new IntakeThroughput());
        register(new RoutingReplay());
        register(new SimulationThroughput());
        register(new TrialTimers());
        register(new SlaClocks());
        register(new HubSpotEfficiency());
        register(new SpeedToLead());
    }

    private static void register(Scenario scenario) {
        SCENARIOS.put(scenario.name(), scenario);
    }

    private Benchmarks() {
    }

    public static void main(String[] args) throws Exception {
        // test-support's logback-test.xml would otherwise win over any logback.xml; this must run before the first logger.
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "benchmarks-logback.xml");
        }
        boolean quick = false;
        boolean append = false;
        Path results = Path.of("benchmarks", "results");
        List<String> names = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> quick = true;
                case "--append" -> append = true;
                case "--results" -> results = Path.of(args[++i]);
                case "--help", "-h" -> {
                    System.out.println("benchmarks/run [--quick] [--results DIR] [" + String.join("|", SCENARIOS.keySet()) + " ...]");
                    return;
                }
                default -> {
                    if (!SCENARIOS.containsKey(args[i])) {
                        System.err.println("Unknown scenario " + args[i] + "; known: " + SCENARIOS.keySet());
                        System.exit(2);
                    }
                    names.add(args[i]);
                }
            }
        }
        if (names.isEmpty()) {
            names.addAll(SCENARIOS.keySet());
        }
        // One logging configuration for the whole JVM (logback.xml): the services' contexts must not re-initialise it.
        System.setProperty("org.springframework.boot.logging.LoggingSystem", "none");
        io.leadflow.schemas.serde.AvroTrust.admitGeneratedClasses();
        if (!org.slf4j.bridge.SLF4JBridgeHandler.isInstalled()) {
            // Tomcat logs through java.util.logging: route it to the same configuration.
            org.slf4j.bridge.SLF4JBridgeHandler.removeHandlersForRootLogger();
            org.slf4j.bridge.SLF4JBridgeHandler.install();
        }
        Machine machine = Machine.describe();
        System.out.println("Leadflow benchmarks on " + machine + (quick ? " (quick mode)" : ""));
        List<Result> done = new ArrayList<>();
        // Properties in declaration order, as the committed latest.json has them.
        ObjectMapper json = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT)
                .disable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY).build();
        Path latestJson = results.resolve("latest.json");
        if (append && Files.exists(latestJson)) {
            for (var node : json.readTree(latestJson.toFile()).path("results")) {
                done.add(json.treeToValue(node, Result.class));
            }
        }
        boolean failed = false;
        for (String name : names) {
            System.out.println("== " + name);
            try {
                Result result = SCENARIOS.get(name).run(quick);
                done.removeIf(earlier -> earlier.scenario().equals(result.scenario()));
                done.add(result);
                System.out.println(Report.row(result));
            } catch (Exception e) {
                failed = true;
                System.err.println("Scenario " + name + " could not run: " + e);
                e.printStackTrace();
            }
        }
        Files.createDirectories(results);
        String date = OffsetDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ISO_LOCAL_DATE);
        Files.writeString(results.resolve("latest.md"), Report.markdown(date, machine, quick, done));
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("date", date);
        document.put("machine", machine);
        document.put("quick", quick);
        document.put("results", done);
        Files.writeString(latestJson, json.writeValueAsString(document) + "\n");
        System.out.println(Report.markdown(date, machine, quick, done));
        System.exit(failed ? 1 : 0);
    }
}
