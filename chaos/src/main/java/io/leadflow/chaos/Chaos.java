package io.leadflow.chaos;

import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code chaos/run [--quick] [scenario ...]}: runs the fault scenarios against the production shape and writes
 * {@code chaos/results/latest.md} and {@code latest.json}; exits 1 when a lead was lost or duplicated anywhere, 2 on
 * bad usage. The same main also runs the stack's processes that have no executable jar of their own ({@code broker},
 * {@code registry}, after {@code --serve}).
 */
final class Chaos {

    static final String USAGE = """
            usage: chaos/run [--quick] [--rate N] [scenario ...]
              scenarios, in this order (default: all):
                kill     SIGKILL one instance of each service mid-burst, one after another, each restarted
                rolling  rolling restart (SIGTERM) of every instance of every service under load
                broker   the Kafka broker stopped 60 s (quick: 20 s) while webhooks keep coming
                trials   40 evaluations with reminders falling due over 120 s (quick: 60 s); each trial-tracker
                         instance killed around them and restarted
              only when named (set through the sandboxes' fault controls, PUT /sandbox/{hubspot|slack}/faults):
                hubspot  HubSpot answers every call 503 for 10 min, then 429 for 2 min, then 5 s late for 2 min
                         (quick: 40 s, 20 s, 20 s)
                slack    Slack answers every call 503 for 5 min, then 429 with Retry-After 1 s for 2 min
                         (quick: 30 s, 20 s)
                partition  one instance of each service in a network namespace of its own, cut off for 60 s and healed
                           (needs root and iproute2: ip netns, veth pairs, a bridge 10.231.0.1/24)
              --quick   shorter phases
              --rate N  webhooks per second (default 1.5: most leads go to one Slack channel, which takes one
                        message a second; what waits goes out in digests)
            environment: LEADFLOW_CHAOS_JAVA_OPTS (JVM options of every process), LEADFLOW_CHAOS_WORK_DIR (default target/chaos)""";

    /** The first argument of the stack's own processes: {@code --serve broker|registry ...}. */
    static final String SERVE = "--serve";

    /** JVM options of every process by default: small heaps, and a start-up that does not starve 2 cores. */
    static final List<String> DEFAULT_JAVA_OPTIONS = List.of("-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

    private Chaos() {
    }

    public static void main(String[] args) throws InterruptedException {
        if (args.length > 1 && args[0].equals(SERVE)) {
            String[] rest = Arrays.copyOfRange(args, 2, args.length);
            switch (args[1]) {
                case "broker" -> serve(() -> Infrastructure.broker(rest));
                case "registry" -> serve(() -> Infrastructure.registry(rest));
                default -> {
                    System.err.println("Nothing to serve named " + args[1]);
                    System.exit(2);
                }
            }
            return;
        }
        System.exit(run(args));
    }

    private static void serve(Runnable start) throws InterruptedException {
        start.run();
        Thread.currentThread().join();
    }

    static int run(String[] args) {
        boolean quick = false;
        Double rate = null;
        List<String> names = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> quick = true;
                case "--rate" -> rate = Double.parseDouble(args[++i]);
                case "--help", "-h" -> {
                    System.out.println(USAGE);
                    return 0;
                }
                default -> {
                    if (args[i].startsWith("-")) {
                        System.err.println(USAGE);
                        return 2;
                    }
                    names.add(args[i]);
                }
            }
        }
        Map<String, Supplier<Scenario>> known = new LinkedHashMap<>(scenarios(quick));
        if (names.isEmpty()) {
            names.addAll(known.keySet());
        }
        known.putAll(onRequest(quick));
        for (String name : names) {
            if (!known.containsKey(name)) {
                System.err.println("No scenario named " + name + "\n" + USAGE);
                return 2;
            }
        }
        String opts = System.getenv("LEADFLOW_CHAOS_JAVA_OPTS");
        List<String> javaOptions = opts == null || opts.isBlank() ? DEFAULT_JAVA_OPTIONS : List.of(opts.trim().split("\\s+"));
        ScenarioRun.Pace pace = quick
                ? new ScenarioRun.Pace(rate == null ? 1.5 : rate, Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofMinutes(4), javaOptions)
                : new ScenarioRun.Pace(rate == null ? 1.5 : rate, Duration.ofSeconds(15), Duration.ofSeconds(30), Duration.ofMinutes(6), javaOptions);
        Path repository = Path.of("").toAbsolutePath();
        String work = System.getenv("LEADFLOW_CHAOS_WORK_DIR");
        ScenarioRun runner = new ScenarioRun(repository, work == null || work.isBlank() ? repository.resolve("target/chaos") : Path.of(work), pace);
        List<ScenarioRun.Result> results = new ArrayList<>();
        for (String name : names) {
            ScenarioRun.Result result = runner.run(known.get(name).get());
            results.add(result);
            Report.write(repository.resolve("chaos/results"), results, pace);
        }
        System.out.println();
        System.out.print(Report.markdown(results, pace));
        return results.stream().allMatch(ScenarioRun.Result::clean) ? 0 : 1;
    }

    /** The scenarios by name, in the order a full run takes them. */
    static Map<String, Supplier<Scenario>> scenarios(boolean quick) {
        Map<String, Supplier<Scenario>> all = new LinkedHashMap<>();
        all.put("kill", () -> KillMidBurst.full(Duration.ofSeconds(quick ? 5 : 15)));
        all.put("rolling", RollingRestart::new);
        all.put("broker", () -> new BrokerOutage(Duration.ofSeconds(quick ? 20 : 60)));
        all.put("trials", () -> new TrialRestarts(40, Duration.ofSeconds(30), Duration.ofSeconds(quick ? 60 : 120),
                Duration.ofSeconds(quick ? 5 : 15)));
        return all;
    }

    /** Scenarios run only when named, set through the sandboxes' fault controls ({@code PUT /sandbox/{hubspot|slack}/faults}). */
    static Map<String, Supplier<Scenario>> onRequest(boolean quick) {
        Map<String, Supplier<Scenario>> all = new LinkedHashMap<>();
        all.put("hubspot", () -> quick
                ? SandboxFault.hubspot(Duration.ofSeconds(40), Duration.ofSeconds(20), Duration.ofSeconds(20))
                : SandboxFault.hubspot(Duration.ofMinutes(10), Duration.ofMinutes(2), Duration.ofMinutes(2)));
        all.put("slack", () -> quick
                ? SandboxFault.slack(Duration.ofSeconds(30), Duration.ofSeconds(20))
                : SandboxFault.slack(Duration.ofMinutes(5), Duration.ofMinutes(2)));
        // 60 s even when quick: longer than a consumer's session, so the group moves the cut instances' partitions
        all.put("partition", () -> new NetworkPartition(Duration.ofSeconds(60)));
        return all;
    }

    /** This JVM's java executable. */
    static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /**
     * The command line that runs this class's main again in a new JVM: {@code java -jar <chaos-exec.jar>} when this
     * JVM runs the executable jar, else {@code java -cp <this class path> io.leadflow.chaos.Chaos}.
     */
    static List<String> selfCommand(List<String> javaOptions) {
        List<String> command = new ArrayList<>();
        command.add(javaBinary());
        command.addAll(javaOptions);
        String classPath = System.getProperty("java.class.path");
        if (!classPath.contains(File.pathSeparator) && classPath.endsWith("-exec.jar")) {
            command.add("-jar");
            command.add(Path.of(classPath).toAbsolutePath().toString());
        } else {
            command.add("-cp");
            command.add(Arrays.stream(classPath.split(File.pathSeparator)).map(p -> Path.of(p).toAbsolutePath().toString())
                    .collect(java.util.stream.Collectors.joining(File.pathSeparator)));
            command.add(Chaos.class.getName());
        }
        return command;
    }
}
