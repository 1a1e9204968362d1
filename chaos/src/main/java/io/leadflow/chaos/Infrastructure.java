package io.leadflow.chaos;

import io.leadflow.localstack.broker.LocalKafkaBroker;
import io.leadflow.localstack.sandbox.slack.SlackSandbox;
import io.leadflow.localstack.sandbox.slack.SlackSandboxWeb;
import io.leadflow.registry.SchemaRegistryConfig;
import io.leadflow.registry.SchemaRegistryServer;
import io.leadflow.sandbox.SandboxStore;
import io.leadflow.sandbox.hubspot.HubSpotSandbox;
import io.leadflow.sandbox.hubspot.HubSpotSandboxServer;
import io.leadflow.sandbox.hubspot.HubSpotSandboxSettings;
import io.leadflow.schemas.serde.AvroTrust;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.http.converter.autoconfigure.HttpMessageConvertersAutoConfiguration;
import org.springframework.boot.tomcat.autoconfigure.servlet.TomcatServletWebServerAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.DispatcherServletAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The mains of the processes the services depend on: a KRaft broker with a fixed log directory (so it can be stopped
 * and started again with its data), the schema registry, and the HubSpot and Slack sandboxes, each on a port of its
 * own with its state in a directory. Each writes a {@code ready} file into its working directory once it serves.
 *
 * <p>The sandboxes' processes are started here until the sandbox modules ship their own {@code -exec.jar}s; the
 * runner only knows them as a command line and a port ({@link Stack}), so swapping the command is all it takes.
 */
final class Infrastructure {

    /** The hands-on pipeline and its stages as crm-sync and trial-tracker are configured in {@link Stack}. */
    static final String HANDS_ON = "hands-on";
    static final String HANDS_ON_STAGE = "hands-on-qualified";
    static final String EVALUATION_STAGE = "hands-on-evaluation";
    /** The reps of routing's default rules, by Slack member id, with their email (the Slack sandbox's members). */
    static final Map<String, String> SLACK_USERS = Map.of("U00CAMERON1", "cameron@example.com", "U00SIMON001", "simon@example.com",
            "U00SALES001", "sales@example.com");

    private Infrastructure() {
    }

    /** {@code broker <log-dir> <port> <controller-port>}: runs until SIGTERM (orderly) or SIGKILL. */
    static void broker(String[] args) {
        LocalKafkaBroker broker = LocalKafkaBroker.start(Path.of(args[0]), Integer.parseInt(args[1]), Integer.parseInt(args[2]));
        Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "broker-shutdown"));
        ready();
    }

    /** {@code registry <bootstrap-servers> <port>}. */
    static void registry(String[] args) {
        AvroTrust.admitGeneratedClasses();
        SchemaRegistryServer server = SchemaRegistryServer.start(SchemaRegistryConfig.defaults(args[0]).withHost("127.0.0.1")
                .withPort(Integer.parseInt(args[1])));
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "registry-shutdown"));
        ready();
    }

    /** {@code hubspot-sandbox <port> <state-dir>}: the portal crm-sync expects, saved every second and on shutdown. */
    static void hubspotSandbox(String[] args) {
        int port = Integer.parseInt(args[0]);
        HubSpotSandbox sandbox = new HubSpotSandbox(HubSpotSandboxSettings.defaults().withPipelines(pipelines()), Clock.systemUTC());
        SandboxStore store = new SandboxStore(Path.of(args[1]).resolve("hubspot.json"));
        sandbox.loadFrom(store);
        HubSpotSandboxServer server = HubSpotSandboxServer.start(sandbox, port);
        saveEverySecond(() -> sandbox.saveTo(store), server::close);
        ready();
    }

    /** {@code slack-sandbox <port> <state-dir>}: the workspace with the reps of routing's default rules. */
    static void slackSandbox(String[] args) {
        int port = Integer.parseInt(args[0]);
        SlackSandbox sandbox = new SlackSandbox(Clock.systemUTC(), 5, 2000, SLACK_USERS);
        SandboxStore store = new SandboxStore(Path.of(args[1]).resolve("slack.json"));
        sandbox.loadFrom(store);
        ConfigurableApplicationContext context = new SpringApplicationBuilder(SlackServer.class)
                .registerShutdownHook(false)
                .initializers(c -> c.getBeanFactory().registerSingleton("slackSandbox", sandbox))
                .run("--server.port=" + port, "--server.address=127.0.0.1", "--spring.main.banner-mode=off",
                        "--spring.application.name=slack-sandbox", "--spring.config.location=optional:classpath:/slack-sandbox/");
        saveEverySecond(() -> sandbox.saveTo(store), context::close);
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

    private static void saveEverySecond(Runnable save, Runnable close) {
        ScheduledExecutorService saver = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sandbox-saver");
            t.setDaemon(true);
            return t;
        });
        saver.scheduleWithFixedDelay(save, 1, 1, TimeUnit.SECONDS);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            saver.shutdownNow();
            close.run();
            save.run();
        }, "sandbox-shutdown"));
    }

    /** Tells the runner this process serves: a {@code ready} file in the working directory. */
    private static void ready() {
        try {
            Files.writeString(Path.of("ready"), Long.toString(ProcessHandle.current().pid()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Only the web server and MVC, serving the Slack sandbox's Web API. */
    @SpringBootConfiguration(proxyBeanMethods = false)
    @ImportAutoConfiguration({TomcatServletWebServerAutoConfiguration.class, DispatcherServletAutoConfiguration.class,
            WebMvcAutoConfiguration.class, HttpMessageConvertersAutoConfiguration.class})
    @Import(SlackSandboxWeb.class)
    static class SlackServer {
    }
}
