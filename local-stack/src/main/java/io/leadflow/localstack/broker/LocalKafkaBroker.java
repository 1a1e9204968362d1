package io.leadflow.localstack.broker;

import io.leadflow.schemas.Topic;
import io.leadflow.schemas.Topics;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A real single-node Kafka broker (KRaft, combined broker and controller) running inside this JVM with
 * its logs under a directory of our choice, so topics and offsets survive a restart. The directory is
 * formatted once (as {@code kafka-storage.sh format} does); later starts reuse it.
 */
public final class LocalKafkaBroker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LocalKafkaBroker.class);
    private static final String CONTROLLER = "CONTROLLER";
    private static final int NODE_ID = 1;
    /** Kafka has no authentication here: its listeners are reachable from this machine only. */
    static final String HOST = "127.0.0.1";

    private final KafkaRaftServer server;
    private final String host;
    private final int port;
    private final Path logDir;
    private final boolean formatted;

    private LocalKafkaBroker(KafkaRaftServer server, String host, int port, Path logDir, boolean formatted) {
        this.server = server;
        this.host = host;
        this.port = port;
        this.logDir = logDir;
        this.formatted = formatted;
    }

    /**
     * Starts the broker on {@code 127.0.0.1:port} (this machine only) with its log directory at {@code logDir}, formats the
     * directory when it is new, waits until the broker answers and creates the catalogue's topics (and
     * dead-letter twins) that do not exist yet.
     *
     * @param controllerPort port of the KRaft controller listener (not persisted, any free port does)
     */
    public static LocalKafkaBroker start(Path logDir, int port, int controllerPort) {
        return start(logDir, HOST, port, controllerPort);
    }

    /**
     * The same on another address of this machine (the chaos suite's bridge to its network namespaces); the KRaft
     * controller stays on loopback.
     */
    public static LocalKafkaBroker start(Path logDir, String host, int port, int controllerPort) {
        Map<String, Object> props = settings(logDir, host, port, controllerPort);
        KafkaConfig config = new KafkaConfig(props, false);
        boolean fresh = !Files.exists(logDir.resolve("meta.properties"));
        if (fresh) {
            format(config, logDir);
        }
        KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
        try {
            server.startup();
        } catch (RuntimeException e) {
            shutdownQuietly(server);
            throw new IllegalStateException("Kafka broker did not start on " + host + ":" + port + " (" + e.getMessage()
                    + "). Is the port taken, or is another local stack using " + logDir + "?", e);
        }
        LocalKafkaBroker broker = new LocalKafkaBroker(server, host, port, logDir, fresh);
        try {
            broker.awaitReadyAndCreateTopics(Duration.ofSeconds(60));
        } catch (RuntimeException e) {
            broker.close();
            throw e;
        }
        log.info("Kafka broker (KRaft) on {}:{}, logs in {}{}", host, port, logDir, fresh ? " (newly formatted)" : "");
        return broker;
    }

    static Map<String, Object> settings(Path logDir, int port, int controllerPort) {
        return settings(logDir, HOST, port, controllerPort);
    }

    static Map<String, Object> settings(Path logDir, String host, int port, int controllerPort) {
        Map<String, Object> props = new HashMap<>();
        props.put("process.roles", "broker,controller");
        props.put("node.id", String.valueOf(NODE_ID));
        props.put("controller.quorum.voters", NODE_ID + "@" + HOST + ":" + controllerPort);
        props.put("listeners", "PLAINTEXT://" + host + ":" + port + "," + CONTROLLER + "://" + HOST + ":" + controllerPort);
        props.put("advertised.listeners", "PLAINTEXT://" + host + ":" + port);
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT," + CONTROLLER + ":PLAINTEXT");
        props.put("controller.listener.names", CONTROLLER);
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("log.dirs", logDir.toAbsolutePath().toString());
        props.put("auto.create.topics.enable", "false");
        props.put("num.partitions", String.valueOf(Topics.DEFAULT_PARTITIONS));
        props.put("default.replication.factor", "1");
        props.put("min.insync.replicas", "1");
        props.put("offsets.topic.replication.factor", "1");
        props.put("offsets.topic.num.partitions", "3");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("transaction.state.log.num.partitions", "3");
        props.put("share.coordinator.state.topic.replication.factor", "1");
        props.put("share.coordinator.state.topic.min.isr", "1");
        props.put("group.initial.rebalance.delay.ms", "0");
        // A laptop stack: keep a week of data but in small segments, so a restart replays little.
        props.put("log.segment.bytes", String.valueOf(16 * 1024 * 1024));
        return props;
    }

    private static void format(KafkaConfig config, Path logDir) {
        try {
            Files.createDirectories(logDir);
            Formatter formatter = new Formatter()
                    .setPrintStream(new PrintStream(PrintStream.nullOutputStream()))
                    .setNodeId(NODE_ID)
                    .setClusterId(Uuid.randomUuid().toString())
                    .setControllerListenerName(CONTROLLER)
                    .setMetadataLogDirectory(config.metadataLogDir())
                    .setReleaseVersion(MetadataVersion.latestProduction())
                    .setIgnoreFormatted(true);
            formatter.addDirectory(logDir.toAbsolutePath().toString());
            formatter.run();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the Kafka log directory " + logDir, e);
        } catch (Exception e) {
            throw new IllegalStateException("Cannot format the Kafka log directory " + logDir + ": " + e.getMessage(), e);
        }
    }

    private void awaitReadyAndCreateTopics(Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000))) {
            while (true) {
                try {
                    admin.describeCluster().nodes().get(10, TimeUnit.SECONDS);
                    Set<String> existing = admin.listTopics().names().get(10, TimeUnit.SECONDS);
                    List<NewTopic> missing = new ArrayList<>();
                    for (Topic<?> topic : Topics.all()) {
                        if (!existing.contains(topic.name())) {
                            missing.add(new NewTopic(topic.name(), topic.partitions(), (short) 1).configs(topic.creationConfigs()));
                        }
                        if (!existing.contains(topic.deadLetter())) {
                            missing.add(new NewTopic(topic.deadLetter(), topic.partitions(), (short) 1).configs(topic.deadLetterConfigs()));
                        }
                    }
                    if (!missing.isEmpty()) {
                        admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
                    }
                    // After a restart the broker recovers its logs before it leads its partitions again.
                    boolean allLed = admin.describeTopics(Topics.allNamesWithDeadLetters()).allTopicNames().get(10, TimeUnit.SECONDS)
                            .values().stream().flatMap(d -> d.partitions().stream()).allMatch(p -> p.leader() != null && !p.leader().isEmpty());
                    if (allLed) {
                        return;
                    }
                    if (Instant.now().isAfter(deadline)) {
                        throw new IllegalStateException("Kafka broker on " + host + ":" + port + " has partitions without a leader after "
                                + timeout.toSeconds() + " s");
                    }
                    Thread.sleep(200);
                } catch (ExecutionException | TimeoutException e) {
                    if (Instant.now().isAfter(deadline)) {
                        throw new IllegalStateException("Kafka broker on " + host + ":" + port + " did not become ready in "
                                + timeout.toSeconds() + " s", e);
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for the Kafka broker", e);
        }
    }

    public String bootstrapServers() {
        return host + ":" + port;
    }

    public int port() {
        return port;
    }

    public Path logDir() {
        return logDir;
    }

    /** Whether this start formatted a new log directory (first run, or after {@code --reset}). */
    public boolean freshlyFormatted() {
        return formatted;
    }

    @Override
    public void close() {
        shutdownQuietly(server);
        log.info("Kafka broker on {}:{} stopped", host, port);
    }

    private static void shutdownQuietly(KafkaRaftServer server) {
        try {
            server.shutdown();
            server.awaitShutdown();
        } catch (RuntimeException e) {
            log.warn("Kafka broker did not shut down cleanly: {}", e.getMessage());
        }
    }
}
