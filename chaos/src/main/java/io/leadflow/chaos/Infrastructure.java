package io.leadflow.chaos;

import io.leadflow.localstack.broker.LocalKafkaBroker;
import io.leadflow.registry.SchemaRegistryConfig;
import io.leadflow.registry.SchemaRegistryServer;
import io.leadflow.sandbox.hubspot.HubSpotSandboxSettings;
import io.leadflow.schemas.serde.AvroTrust;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The mains of the processes the services depend on that have no executable jar of their own: a KRaft broker with a
 * fixed log directory (so it can be stopped and started again with its data) and the schema registry. Each writes a
 * {@code ready} file into its working directory once it serves. The HubSpot and Slack sandboxes run from their
 * modules' {@code -exec.jar}s ({@link Stack}); {@link #pipelines()} is the portal the HubSpot one is given.
 */
final class Infrastructure {

    /** The hands-on pipeline and its stages as crm-sync and trial-tracker are configured in {@link Stack}. */
    static final String HANDS_ON = "hands-on";
    static final String HANDS_ON_STAGE = "hands-on-qualified";
    static final String EVALUATION_STAGE = "hands-on-evaluation";

    private Infrastructure() {
    }

    /** {@code broker <log-dir> <port> <controller-port> <host>}: runs until SIGTERM (orderly) or SIGKILL. */
    static void broker(String[] args) {
        LocalKafkaBroker broker = LocalKafkaBroker.start(Path.of(args[0]), args[3], Integer.parseInt(args[1]), Integer.parseInt(args[2]));
        Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "broker-shutdown"));
        ready();
    }

    /** {@code registry <bootstrap-servers> <port> <host>}. */
    static void registry(String[] args) {
        AvroTrust.admitGeneratedClasses();
        SchemaRegistryServer server = SchemaRegistryServer.start(SchemaRegistryConfig.defaults(args[0]).withHost(args[2])
                .withPort(Integer.parseInt(args[1])));
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "registry-shutdown"));
        ready();
    }

    /** HubSpot's default pipeline, and the hands-on pipeline with crm-sync's opening stage and trial-tracker's evaluation stage. */
    static List<HubSpotSandboxSettings.Pipeline> pipelines() {
        List<HubSpotSandboxSettings.Pipeline> pipelines = new ArrayList<>(HubSpotSandboxSettings.defaults().pipelines());
        pipelines.add(new HubSpotSandboxSettings.Pipeline(HANDS_ON, "Hands-on", List.of(
                new HubSpotSandboxSettings.Stage(HANDS_ON_STAGE, "Qualified", "0.5", false),
                new HubSpotSandboxSettings.Stage(EVALUATION_STAGE, "30-day evaluation", "0.5", false),
                new HubSpotSandboxSettings.Stage(HANDS_ON + "-review-call", "Review call with decision makers", "0.5", false),
                new HubSpotSandboxSettings.Stage(HANDS_ON + "-closed-won", "Closed won", "1.0", true),
                new HubSpotSandboxSettings.Stage(HANDS_ON + "-closed-lost", "Closed lost", "0.0", true))));
        return pipelines;
    }

    /** Tells the runner this process serves: a {@code ready} file in the working directory. */
    private static void ready() {
        try {
            Files.writeString(Path.of("ready"), Long.toString(ProcessHandle.current().pid()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
