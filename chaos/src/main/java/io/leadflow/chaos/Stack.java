package io.leadflow.chaos;

import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * Leadflow in its production shape on this machine, every part a process of its own: a KRaft broker, the schema
 * registry, the HubSpot and Slack sandboxes from their modules' {@code -exec.jar}s, and each service as many times as asked, each instance a separate JVM
 * from the service's {@code -exec.jar} with its own port and state directory, configured through the environment as
 * docker-compose.yml configures the containers.
 */
final class Stack implements AutoCloseable {

    static final String INTAKE = "lead-intake";
    static final String ROUTING = "routing-service";
    static final String CRM = "crm-sync";
    static final String TRIALS = "trial-tracker";
    static final String NOTIFIER = "rep-notifier";
    static final List<String> SERVICES = List.of(INTAKE, ROUTING, CRM, TRIALS, NOTIFIER);

    /** Placeholders the services present to the sandboxes (they accept any bearer token of the right kind). */
    static final String HUBSPOT_TOKEN = "pat-chaos-sandbox";
    static final String SLACK_TOKEN = "xoxb-chaos-sandbox";
    private static final Duration START_TIMEOUT = Duration.ofMinutes(4);
    /** The key every service names an erased person by, the same for every process of the run (at least 32 bytes). */
    private static final String PRIVACY_KEY = randomKey();

    private static String randomKey() {
        byte[] bytes = new byte[32];
        new java.security.SecureRandom().nextBytes(bytes);
        return java.util.HexFormat.of().formatHex(bytes);
    }

    /**
     * @param repository the repository's root (where {@code <module>/target/<module>-*-exec.jar} are)
     * @param workDir    processes' state and logs; wiped first
     * @param instances  how many instances of each service (absent: none)
     * @param javaOptions JVM options of every process
     * @param isolated   instances (by name, e.g. {@code crm-sync-1}) that run in a network namespace of their own, so
     *                   that they can be cut off ({@link Namespaces}); when any, everything else listens on the bridge
     */
    record Layout(Path repository, Path workDir, Map<String, Integer> instances, List<String> javaOptions, Set<String> isolated) {
    }

    private final Layout layout;
    private final Signing signing;
    /** The namespaces of the isolated instances (null: every process on loopback). */
    private final Namespaces network;
    private final Map<String, Namespaces.Isolated> isolation = new LinkedHashMap<>();
    /** Where the broker, the registry and the sandboxes listen: loopback, or the bridge when instances are isolated. */
    private final String host;
    private final Node broker;
    private final Node registry;
    private final Node hubspot;
    private final Node slack;
    private final Map<String, List<Node>> services = new LinkedHashMap<>();

    Stack(Layout layout, Signing signing) {
        this.layout = layout;
        this.signing = signing;
        wipe(layout.workDir());
        network = layout.isolated().isEmpty() ? null : Namespaces.create();
        host = network == null ? "127.0.0.1" : Namespaces.HOST_ADDRESS;
        List<String> self = Chaos.selfCommand(layout.javaOptions());
        int kafkaPort = freePort();
        broker = infrastructure("kafka", self, "broker", kafkaPort, null, "data", Integer.toString(kafkaPort), Integer.toString(freePort()), host);
        String bootstrap = host + ":" + kafkaPort;
        int registryPort = freePort();
        registry = infrastructure("schema-registry", self, "registry", registryPort, null, bootstrap, Integer.toString(registryPort), host);
        hubspot = sandbox("hubspot-sandbox", Map.of("LEADFLOW_HUBSPOT_SANDBOX_TOKEN", HUBSPOT_TOKEN), "/sandbox/hubspot/faults",
                "--pipelines=" + pipelinesFile(layout.workDir().resolve("hubspot-sandbox")));
        // Slack's api.test needs no token (https://api.slack.com/methods/api.test); the sandbox's fault controls refuse
        // every request without an admin token once it listens beyond loopback
        slack = sandbox("slack-sandbox", Map.of("LEADFLOW_SLACK_SANDBOX_TOKEN", SLACK_TOKEN), "/sandbox/slack/api/api.test");
        for (String service : SERVICES) {
            int count = layout.instances().getOrDefault(service, 0);
            List<Node> nodes = new ArrayList<>();
            for (int i = 1; i <= count; i++) {
                nodes.add(service(service, i, bootstrap));
            }
            services.put(service, nodes);
        }
    }

    private Node infrastructure(String name, List<String> self, String command, int port, URI readyUrl, String... args) {
        Path dir = layout.workDir().resolve(name);
        List<String> line = new ArrayList<>(self);
        line.add(Chaos.SERVE);
        line.add(command);
        line.addAll(List.of(args));
        return new Node(name, line, Map.of(), dir, host, port, readyUrl, dir.resolve("ready"));
    }

    /**
     * A sandbox from its module's {@code -exec.jar} on loopback (with isolated instances: on every address), its state
     * journalled under {@code <dir>/state}, its API taking only the token the services are given; ready once
     * {@code readyPath} answers 200 on loopback.
     */
    private Node sandbox(String module, Map<String, String> env, String readyPath, String... extraArgs) {
        Path dir = layout.workDir().resolve(module);
        int port = freePort();
        List<String> line = new ArrayList<>();
        line.add(Chaos.javaBinary());
        line.addAll(layout.javaOptions());
        line.add("-jar");
        line.add(execJar(module).toString());
        line.add("--server.port=" + port);
        // with isolated instances, on every address: the services reach it on the bridge, while its fault controls
        // (and the readiness check on them) stay open to loopback only
        line.add("--server.address=" + (network == null ? host : "0.0.0.0"));
        line.add("--data-dir=" + dir.resolve("state"));
        line.addAll(List.of(extraArgs));
        return new Node(module, line, env, dir, host, port, URI.create("http://127.0.0.1:" + port + readyPath), null);
    }

    /** The portal's deal pipelines ({@link Infrastructure#pipelines()}) as the HubSpot sandbox's {@code --pipelines} file. */
    private static Path pipelinesFile(Path dir) {
        try {
            Files.createDirectories(dir);
            Path file = dir.resolve("pipelines.json");
            Files.writeString(file, JsonMapper.builder().build().writeValueAsString(Infrastructure.pipelines()));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Node service(String service, int instance, String bootstrap) {
        String name = service + "-" + instance;
        Path dir = layout.workDir().resolve(name);
        int port = freePort();
        List<String> line = new ArrayList<>();
        String address = host;
        if (layout.isolated().contains(name)) {
            Namespaces.Isolated own = network.isolate(name);
            isolation.put(name, own);
            line.addAll(own.exec());
            address = own.address();
        }
        line.add(Chaos.javaBinary());
        line.addAll(layout.javaOptions());
        line.add("-jar");
        line.add(execJar(service).toString());
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PORT", Integer.toString(port));
        env.put("LEADFLOW_KAFKA_BOOTSTRAP_SERVERS", bootstrap);
        env.put("LEADFLOW_SCHEMA_REGISTRY_URL", registryUrl());
        env.put("LEADFLOW_ADMIN_TOKEN", signing.adminToken());
        env.put("LEADFLOW_PRIVACY_KEY", PRIVACY_KEY);
        switch (service) {
            case INTAKE -> {
                env.putAll(signing.intakeEnvironment());
                env.put("LEADFLOW_INTAKE_ALLOW_UNSIGNED", "false");
                env.put("LEADFLOW_HUBSPOT_PIPELINE_HANDS_ON_STAGE", Infrastructure.HANDS_ON_STAGE);
                // the providers back off on their own; a short hint keeps the run short
                env.put("LEADFLOW_INTAKE_RETRY_AFTER", "2s");
            }
            case ROUTING -> {
                env.put("LEADFLOW_ROUTING_STATE_DIR", dir.resolve("state").toString());
                // where the other instances reach this one for the state it holds (interactive queries)
                env.put("LEADFLOW_ROUTING_APPLICATION_SERVER", address + ":" + port);
            }
            case CRM -> {
                env.put("LEADFLOW_HUBSPOT_BASE_URL", hubspotUrl());
                env.put("LEADFLOW_HUBSPOT_TOKEN", HUBSPOT_TOKEN);
                env.put("LEADFLOW_HUBSPOT_PORTAL_ID", "4000001");
                env.put("LEADFLOW_HUBSPOT_PIPELINE_HANDS_ON", Infrastructure.HANDS_ON);
                env.put("LEADFLOW_HUBSPOT_PIPELINE_HANDS_ON_STAGE", Infrastructure.HANDS_ON_STAGE);
                env.put("LEADFLOW_HUBSPOT_CREATE_PROPERTIES", "true");
                // the portal's 190 per 10 s shared by the instances
                env.put("LEADFLOW_HUBSPOT_RATE_LIMIT", Integer.toString(Math.max(20, 180 / Math.max(1, layout.instances().getOrDefault(CRM, 1)))));
            }
            case TRIALS -> {
                env.put("LEADFLOW_TRIALS_STATE_DIR", dir.resolve("state").toString());
                env.put("LEADFLOW_TRIALS_APPLICATION_SERVER", address + ":" + port);
                env.put("LEADFLOW_HUBSPOT_PIPELINE_HANDS_ON", Infrastructure.HANDS_ON);
                env.put("LEADFLOW_TRIAL_STAGE_ID", Infrastructure.EVALUATION_STAGE);
            }
            case NOTIFIER -> {
                env.put("LEADFLOW_SLACK_BASE_URL", slackUrl());
                env.put("LEADFLOW_SLACK_BOT_TOKEN", SLACK_TOKEN);
                env.put("LEADFLOW_HUBSPOT_PORTAL_ID", "4000001");
            }
            default -> throw new IllegalArgumentException(service);
        }
        return new Node(name, line, env, dir, address, port, URI.create("http://" + address + ":" + port + "/actuator/health"), null);
    }

    /** {@code <module>/target/<module>-*-exec.jar}, as the Dockerfile copies it. */
    Path execJar(String module) {
        Path target = layout.repository().resolve(module).resolve("target");
        try (Stream<Path> files = Files.exists(target) ? Files.list(target) : Stream.empty()) {
            return files.filter(p -> p.getFileName().toString().startsWith(module + "-") && p.getFileName().toString().endsWith("-exec.jar"))
                    .findFirst().orElseThrow(() -> new IllegalStateException("No " + module + "-*-exec.jar in " + target
                            + ": build it first (./mvnw -B -pl " + module + " -am package -DskipTests)"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts everything: broker, then registry and sandboxes, then every service instance side by side. */
    void start() {
        for (String service : SERVICES) {
            if (!services.get(service).isEmpty()) {
                execJar(service);
            }
        }
        broker.start();
        broker.awaitReady(START_TIMEOUT);
        startTogether(List.of(registry, hubspot, slack));
        startTogether(services.values().stream().flatMap(List::stream).toList());
    }

    private static void startTogether(List<Node> nodes) {
        nodes.forEach(Node::start);
        ExecutorService waiting = Executors.newFixedThreadPool(Math.max(1, nodes.size()));
        try {
            List<Future<?>> ready = nodes.stream().<Future<?>>map(n -> waiting.submit(() -> n.awaitReady(START_TIMEOUT))).toList();
            for (Future<?> f : ready) {
                f.get();
            }
        } catch (Exception e) {
            throw new IllegalStateException(e.getCause() != null ? e.getCause().getMessage() : e.getMessage(), e);
        } finally {
            waiting.shutdownNow();
        }
    }

    List<Node> instances(String service) {
        return services.getOrDefault(service, List.of());
    }

    List<Node> allServices() {
        return services.values().stream().flatMap(List::stream).toList();
    }

    Node broker() {
        return broker;
    }

    List<String> intakeUrls() {
        return instances(INTAKE).stream().map(n -> "http://" + n.host() + ":" + n.port()).toList();
    }

    /** The namespace an isolated instance runs in (empty: it shares this machine's network). */
    java.util.Optional<Namespaces.Isolated> isolation(Node node) {
        return java.util.Optional.ofNullable(isolation.get(node.name()));
    }

    Namespaces network() {
        if (network == null) {
            throw new IllegalStateException("no instance of this stack runs in a namespace of its own");
        }
        return network;
    }

    String bootstrapServers() {
        return host + ":" + broker.port();
    }

    String registryUrl() {
        return "http://" + host + ":" + registry.port();
    }

    String hubspotUrl() {
        return "http://" + host + ":" + hubspot.port() + "/sandbox/hubspot";
    }

    String slackUrl() {
        return "http://" + host + ":" + slack.port() + "/sandbox/slack/api";
    }

    Signing signing() {
        return signing;
    }

    /** Stops services first (SIGTERM), then the sandboxes, the registry and the broker; removes the namespaces. */
    @Override
    public void close() {
        Duration grace = Duration.ofSeconds(20);
        allServices().parallelStream().forEach(n -> n.stop(grace));
        Stream.of(slack, hubspot, registry).parallel().forEach(n -> n.stop(grace));
        broker.stop(Duration.ofSeconds(30));
        if (network != null) {
            network.close();
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void wipe(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot clear " + dir, e);
        }
    }
}
