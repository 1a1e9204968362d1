package io.leadflow.localstack.system;

import org.apache.kafka.streams.KafkaStreams;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.UrlResource;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One Leadflow service running as its own Spring application context inside the local stack's JVM.
 *
 * <p>Every service jar carries its own {@code application.yml} at the classpath root, so the context is
 * told exactly which one is its own ({@code spring.config.location} pointing into the jar or classes
 * directory its main class came from). Overrides go in as command-line properties, the highest-precedence
 * source a Spring Boot application reads; they may be either property keys or the environment-variable
 * names the service's application.yml uses as placeholders.
 */
public final class EmbeddedService implements AutoCloseable {

    private final String name;
    private final Class<?> application;
    private final int port;
    private final Map<String, String> properties;
    /** Longer than a stream thread can block on the broker (a producer's max.block.ms, 60 s by default). */
    private static final Duration STREAMS_GONE_WITHIN = Duration.ofSeconds(90);

    private volatile ConfigurableApplicationContext context;

    public EmbeddedService(String name, Class<?> application, int port, Map<String, String> properties) {
        this.name = name;
        this.application = application;
        this.port = port;
        this.properties = new LinkedHashMap<>(properties);
    }

    public String name() {
        return name;
    }

    public int port() {
        return port;
    }

    public String url() {
        return "http://localhost:" + port;
    }

    public ConfigurableApplicationContext context() {
        return context;
    }

    /** Starts the context; fails with the service's name when it cannot start. */
    public EmbeddedService start() {
        Map<String, String> all = new LinkedHashMap<>();
        all.put("spring.config.location", ownApplicationYaml(application));
        all.put("server.port", Integer.toString(port));
        all.putAll(properties);
        List<String> args = new ArrayList<>();
        all.forEach((k, v) -> args.add("--" + k + "=" + v));
        try {
            context = new SpringApplicationBuilder(application)
                    .registerShutdownHook(false)
                    .run(args.toArray(String[]::new));
            return this;
        } catch (RuntimeException e) {
            throw new IllegalStateException(name + " did not start: " + rootMessage(e), e);
        }
    }

    /**
     * A setting as the service will see it, before it starts: its own application.yml with this launcher's
     * overrides and the process environment applied. Lets the launcher shape the sandboxes to the
     * service's configuration (e.g. the HubSpot pipelines crm-sync expects).
     */
    public Optional<String> preview(String key) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("local-stack", new LinkedHashMap<>(properties)));
        try {
            for (PropertySource<?> source : new YamlPropertySourceLoader().load("application.yml",
                    new UrlResource(ownApplicationYaml(application)))) {
                environment.getPropertySources().addLast(source);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + name + "'s application.yml", e);
        }
        return Optional.ofNullable(environment.getProperty(key)).filter(v -> !v.isBlank());
    }

    /** The {@code application.yml} next to {@code application}'s class: in its jar, or in its classes directory. */
    static String ownApplicationYaml(Class<?> application) {
        URL location = application.getProtectionDomain().getCodeSource().getLocation();
        String base = location.toString();
        if (base.startsWith("jar:")) {
            return base.endsWith("!/") ? base + "application.yml" : base + "!/application.yml";
        }
        if (base.endsWith(".jar")) {
            return "jar:" + base + "!/application.yml";
        }
        return (base.endsWith("/") ? base : base + "/") + "application.yml";
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }

    /**
     * Closes the context, then waits until its Kafka Streams threads have really ended. Spring gives a Streams
     * instance 10 s to close; a stream thread that is still blocked (for example in a rebalance or in
     * {@code initTransactions} right after start-up) outlives the context and keeps its state directory locked, so
     * the same service started again in this JVM (a restart of the stack) would fail on that lock.
     */
    @Override
    public void close() {
        ConfigurableApplicationContext running = context;
        if (running != null) {
            List<KafkaStreams> streams = running.getBeansOfType(StreamsBuilderFactoryBean.class).values().stream()
                    .map(StreamsBuilderFactoryBean::getKafkaStreams)
                    .filter(Objects::nonNull)
                    .toList();
            running.close();
            context = null;
            streams.forEach(s -> s.close(STREAMS_GONE_WITHIN));
        }
    }
}
