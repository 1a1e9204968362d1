package io.leadflow.sandbox.hubspot;

import io.leadflow.sandbox.SandboxStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.http.converter.autoconfigure.HttpMessageConvertersAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.tomcat.autoconfigure.servlet.TomcatServletWebServerAutoConfiguration;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.boot.webmvc.autoconfigure.DispatcherServletAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;

import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A {@link HubSpotSandbox} on a port of its own. In tests, {@code HubSpotSandboxServer.start(sandbox)} listens on a
 * random port of 127.0.0.1; give a HubSpot client {@link #baseUrl()}, read and reset the portal through
 * {@link #sandbox()}. As a process of its own ({@link #main}, the module's {@code -exec.jar}):
 * <pre>
 * java -jar hubspot-sandbox-exec.jar [--server.port=8091] [--server.address=127.0.0.1] [--data-dir=DIR] [--pipelines=FILE]
 * </pre>
 * {@code --pipelines} names a JSON file with the portal's deal pipelines (a list of {@link HubSpotSandboxSettings.Pipeline}:
 * {@code id}, {@code label}, {@code stages} of {@code id}, {@code label}, {@code probability}, {@code closed}) in place of
 * HubSpot's default one, so the portal has the pipelines and stages the services are configured with.
 * The portal is kept under the data directory ({@code --data-dir}, else {@code LEADFLOW_SANDBOX_DATA_DIR}; neither: in
 * memory only), every answered change on disk before its answer (see {@link HubSpotSandbox#persistTo}).
 * {@code LEADFLOW_ADMIN_TOKEN} guards the fault controls ({@code /sandbox/hubspot/faults}); without it they answer only
 * requests from this machine. {@code LEADFLOW_HUBSPOT_SANDBOX_TOKEN} makes the API accept only that bearer token.
 */
public final class HubSpotSandboxServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HubSpotSandboxServer.class);
    static final String DATA_DIR = "LEADFLOW_SANDBOX_DATA_DIR";
    static final int DEFAULT_PORT = 8091;
    private static final String USAGE = "usage: hubspot-sandbox [--server.port=" + DEFAULT_PORT
            + "] [--server.address=127.0.0.1] [--data-dir=DIR (else $" + DATA_DIR + ")] [--pipelines=FILE]";

    private final HubSpotSandbox sandbox;
    private final ConfigurableApplicationContext context;
    private final String baseUrl;
    private final List<Runnable> onClose = new ArrayList<>();

    private HubSpotSandboxServer(HubSpotSandbox sandbox, ConfigurableApplicationContext context) {
        this.sandbox = sandbox;
        this.context = context;
        int port = ((WebServerApplicationContext) context).getWebServer().getPort();
        this.baseUrl = "http://127.0.0.1:" + port + HubSpotSandboxWeb.BASE_PATH;
    }

    /** Starts {@code sandbox} on a random port. */
    public static HubSpotSandboxServer start(HubSpotSandbox sandbox) {
        return start(sandbox, 0);
    }

    /** Starts {@code sandbox} on {@code port} of 127.0.0.1 (0: a random one). */
    public static HubSpotSandboxServer start(HubSpotSandbox sandbox, int port) {
        return start(sandbox, "127.0.0.1", port);
    }

    /** Starts {@code sandbox} on {@code port} of {@code address} (0: a random port). */
    public static HubSpotSandboxServer start(HubSpotSandbox sandbox, String address, int port) {
        ConfigurableApplicationContext context = new SpringApplicationBuilder(Server.class)
                .registerShutdownHook(false)
                .initializers(c -> c.getBeanFactory().registerSingleton("hubSpotSandbox", sandbox))
                .run("--server.port=" + port, "--server.address=" + address, "--spring.main.banner-mode=off",
                        "--spring.application.name=hubspot-sandbox", "--spring.config.location=optional:classpath:/hubspot-sandbox/");
        return new HubSpotSandboxServer(sandbox, context);
    }

    /** The sandbox as a process of its own; stops (compacting its data) on SIGTERM, keeps every answered change on SIGKILL. */
    public static void main(String[] args) {
        HubSpotSandboxServer server;
        try {
            server = run(args, System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "hubspot-sandbox-stop"));
    }

    /** The deal pipelines of a {@code --pipelines} file; each needs an id and at least one stage with an id. */
    static List<HubSpotSandboxSettings.Pipeline> pipelines(Path file) {
        List<HubSpotSandboxSettings.Pipeline> pipelines;
        try {
            pipelines = JsonMapper.builder().build().readValue(file.toFile(), new TypeReference<List<HubSpotSandboxSettings.Pipeline>>() {
            });
        } catch (JacksonException e) {
            throw new IllegalArgumentException("--pipelines: " + file + " is not a JSON list of pipelines: " + e.getOriginalMessage());
        }
        if (pipelines == null || pipelines.isEmpty()) {
            throw new IllegalArgumentException("--pipelines: " + file + " names no pipeline");
        }
        for (HubSpotSandboxSettings.Pipeline p : pipelines) {
            if (p.id() == null || p.id().isBlank() || p.stages() == null || p.stages().isEmpty()
                    || p.stages().stream().anyMatch(s -> s.id() == null || s.id().isBlank())) {
                throw new IllegalArgumentException("--pipelines: every pipeline needs an id and stages with ids (" + p.id() + ")");
            }
        }
        return List.copyOf(pipelines);
    }

    /** What {@link #main} starts, from its arguments and environment. */
    static HubSpotSandboxServer run(String[] args, Map<String, String> env) {
        Map<String, String> options = new LinkedHashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            String name = arg.startsWith("--") && eq > 2 ? arg.substring(2, eq) : null;
            if (name == null || !Set.of("server.port", "server.address", "data-dir", "pipelines").contains(name)) {
                throw new IllegalArgumentException("unknown argument " + arg);
            }
            options.put(name, arg.substring(eq + 1));
        }
        int port;
        try {
            port = Integer.parseInt(options.getOrDefault("server.port", String.valueOf(DEFAULT_PORT)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--server.port must be a port number, not " + options.get("server.port"));
        }
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("--server.port must be a port number, not " + port);
        }
        String dataDir = options.getOrDefault("data-dir", env.get(DATA_DIR));
        HubSpotSandboxSettings settings = HubSpotSandboxSettings.defaults();
        if (options.containsKey("pipelines")) {
            settings = settings.withPipelines(pipelines(Path.of(options.get("pipelines"))));
        }
        HubSpotSandbox sandbox = new HubSpotSandbox(settings, Clock.systemUTC());
        String adminToken = env.get("LEADFLOW_ADMIN_TOKEN");
        if (adminToken != null && !adminToken.isBlank()) {
            sandbox.requireAdminToken(adminToken);
        }
        String apiToken = env.get("LEADFLOW_HUBSPOT_SANDBOX_TOKEN");
        if (apiToken != null && !apiToken.isBlank()) {
            sandbox.requireToken(apiToken);
        }
        SandboxStore store = null;
        if (dataDir != null && !dataDir.isBlank()) {
            store = new SandboxStore(Path.of(dataDir).resolve("hubspot.json"));
            sandbox.persistTo(store);
        } else {
            log.warn("No data directory (--data-dir or {}): the HubSpot sandbox keeps its portal in memory only", DATA_DIR);
        }
        HubSpotSandboxServer server = start(sandbox, options.getOrDefault("server.address", "127.0.0.1"), port);
        if (store != null) {
            SandboxStore kept = store;
            server.onClose.add(() -> {
                sandbox.saveTo(kept);
                kept.close();
            });
        }
        log.info("HubSpot sandbox at {} (data: {}, fault controls at {}/faults)", server.baseUrl(),
                store == null ? "memory only" : Path.of(dataDir).toAbsolutePath(), server.baseUrl());
        return server;
    }

    /** What a HubSpot client is given as its base URL, e.g. {@code http://127.0.0.1:40123/sandbox/hubspot}. */
    public String baseUrl() {
        return baseUrl;
    }

    public HubSpotSandbox sandbox() {
        return sandbox;
    }

    @Override
    public void close() {
        context.close();
        onClose.forEach(Runnable::run);
        onClose.clear();
    }

    /** Only the web server and MVC: nothing else of the classpath it runs in (a service's Kafka, say) is configured. */
    @SpringBootConfiguration(proxyBeanMethods = false)
    @ImportAutoConfiguration({TomcatServletWebServerAutoConfiguration.class, DispatcherServletAutoConfiguration.class,
            WebMvcAutoConfiguration.class, HttpMessageConvertersAutoConfiguration.class})
    @Import(HubSpotSandboxWeb.class)
    static class Server {
    }
}
