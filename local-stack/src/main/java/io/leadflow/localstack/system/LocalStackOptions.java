package io.leadflow.localstack.system;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * How to run the local stack.
 *
 * @param dataDir    where the broker's logs, the Kafka Streams state and the sandboxes' state live
 * @param reset      wipe {@code dataDir} before starting
 * @param demo       post a stream of sample leads and start trials
 * @param demoEvery  pause between two demo webhooks
 * @param ports      every listening port
 * @param binding    where the services and the console listen (127.0.0.1 unless {@code --bind} says otherwise)
 * @param env        the environment the stack and its services read (the process environment, system
 *                   properties of the same names, and anything a test adds)
 */
public record LocalStackOptions(Path dataDir, boolean reset, boolean demo, Duration demoEvery, Ports ports, Binding binding,
                                Map<String, String> env) {

    public static final String DATA_DIR = "LEADFLOW_DATA_DIR";
    public static final String DEMO_INTERVAL = "LEADFLOW_DEMO_INTERVAL";
    public static final Path DEFAULT_DATA_DIR = Path.of(".leadflow", "data");

    public LocalStackOptions {
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(ports, "ports");
        binding = binding == null ? Binding.loopback() : binding;
        demoEvery = demoEvery == null ? Duration.ofSeconds(4) : demoEvery;
        env = Map.copyOf(env);
    }

    /** One environment lookup: {@code env} first, then a system property, then the process environment. */
    public String get(String name) {
        String value = env.get(name);
        if (value == null) {
            value = System.getProperty(name);
        }
        if (value == null) {
            value = System.getenv(name);
        }
        return value == null || value.isBlank() ? null : value;
    }

    public Function<String, String> lookup() {
        return this::get;
    }

    /** Listening on 127.0.0.1 (the default). */
    public LocalStackOptions(Path dataDir, boolean reset, boolean demo, Duration demoEvery, Ports ports, Map<String, String> env) {
        this(dataDir, reset, demo, demoEvery, ports, null, env);
    }

    public LocalStackOptions withReset(boolean reset) {
        return new LocalStackOptions(dataDir, reset, demo, demoEvery, ports, binding, env);
    }

    public LocalStackOptions withBinding(Binding binding) {
        return new LocalStackOptions(dataDir, reset, demo, demoEvery, ports, binding, env);
    }

    public LocalStackOptions withEnv(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(env);
        more.put(name, value);
        return new LocalStackOptions(dataDir, reset, demo, demoEvery, ports, binding, more);
    }

    /**
     * Reads {@code --reset}, {@code --demo}, {@code --data-dir <dir>} (or {@code --data-dir=<dir>}),
     * {@code --bind <address>} (or {@code --bind=<address>}) and {@code --random-ports}; everything else comes from
     * the environment ({@value #DATA_DIR}, {@value Binding#ENV}, the port variables of {@link Ports},
     * {@value #DEMO_INTERVAL}).
     */
    public static LocalStackOptions parse(String[] args, Function<String, String> env) {
        boolean reset = false;
        boolean demo = false;
        boolean randomPorts = false;
        String dataDir = env.apply(DATA_DIR);
        String bind = env.apply(Binding.ENV);
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--reset")) {
                reset = true;
            } else if (arg.equals("--demo")) {
                demo = true;
            } else if (arg.equals("--random-ports")) {
                randomPorts = true;
            } else if (arg.equals("--data-dir")) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("--data-dir needs a directory");
                }
                dataDir = args[++i];
            } else if (arg.startsWith("--data-dir=")) {
                dataDir = arg.substring("--data-dir=".length());
            } else if (arg.equals("--bind")) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("--bind needs an address, e.g. --bind 0.0.0.0");
                }
                bind = args[++i];
            } else if (arg.startsWith("--bind=")) {
                bind = arg.substring("--bind=".length());
            } else if (arg.equals("--help") || arg.equals("-h")) {
                throw new UsageRequested();
            } else {
                throw new IllegalArgumentException("Unknown option '" + arg + "'");
            }
        }
        String interval = env.apply(DEMO_INTERVAL);
        return new LocalStackOptions(dataDir == null || dataDir.isBlank() ? DEFAULT_DATA_DIR : Path.of(dataDir), reset, demo,
                interval == null || interval.isBlank() ? null : Duration.parse("PT" + interval.trim().toUpperCase()),
                randomPorts ? Ports.random() : Ports.from(env), bind == null || bind.isBlank() ? Binding.loopback() : Binding.of(bind),
                Map.of());
    }

    public static final String USAGE = """
            Usage: leadflow [--demo] [--reset] [--data-dir <dir>] [--bind <address>] [--random-ports]

              --demo           post a realistic stream of sample leads every few seconds and start trials
              --reset          wipe the data directory first (topics, offsets, schemas, state, sandboxes)
              --data-dir <dir> where everything is kept (default ./.leadflow/data; env LEADFLOW_DATA_DIR)
              --bind <address> where the services and the console listen (default 127.0.0.1, this machine only;
                               env LEADFLOW_BIND_ADDRESS). Beyond loopback every admin endpoint needs the admin
                               token (LEADFLOW_ADMIN_TOKEN, made up for the run when unset). Kafka and the schema
                               registry stay on 127.0.0.1.
              --random-ports   listen on free ports instead of 9092, 8081, 8080, 8082-8085 and 8090

            Ports: LEADFLOW_KAFKA_PORT, LEADFLOW_SCHEMA_REGISTRY_PORT, LEADFLOW_INTAKE_PORT, LEADFLOW_ROUTING_PORT,
            LEADFLOW_CRM_PORT, LEADFLOW_TRIALS_PORT, LEADFLOW_NOTIFIER_PORT, LEADFLOW_CONSOLE_PORT.
            Admin token: LEADFLOW_ADMIN_TOKEN (else one made up for the run, kept in <data-dir>/admin-token).
            Real APIs: LEADFLOW_HUBSPOT_TOKEN (else the HubSpot sandbox), LEADFLOW_SLACK_BOT_TOKEN (else the Slack sandbox).
            Webhook secrets: LEADFLOW_WEBSITE_SECRET, LEADFLOW_CALENDLY_SIGNING_KEY, LEADFLOW_CALCOM_SECRET,
            LEADFLOW_MAILGUN_SIGNING_KEY, LEADFLOW_SENDGRID_PUBLIC_KEY, LEADFLOW_HUBSPOT_CLIENT_SECRET
            (sources without one are accepted unsigned).
            """;

    /** {@code --help}: print {@link #USAGE} and exit. */
    public static final class UsageRequested extends RuntimeException {
        UsageRequested() {
            super("usage", null, false, false);
        }
    }
}
