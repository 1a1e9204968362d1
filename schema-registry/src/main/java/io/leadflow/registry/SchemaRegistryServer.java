package io.leadflow.registry;

import com.sun.net.httpserver.HttpServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Confluent-compatible schema registry (REST API v1, Avro) stored in a compacted Kafka topic, for the
 * embedded default. Embed it with {@link #start(SchemaRegistryConfig)} and {@link #close()}, or run
 * {@link #main} alone. Start-up replays the store topic to its end before the HTTP port opens.
 *
 * <p>Exactly one instance may write to a store topic: ids are allocated from this instance's view
 * (Confluent's leader election is not implemented). Point production at a Confluent Schema Registry.
 */
public final class SchemaRegistryServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SchemaRegistryServer.class);

    private final SchemaRegistryConfig config;
    private final KafkaStore store;
    private final HttpServer http;
    private final ExecutorService executor;

    private SchemaRegistryServer(SchemaRegistryConfig config, KafkaStore store, HttpServer http, ExecutorService executor) {
        this.config = config;
        this.store = store;
        this.http = http;
        this.executor = executor;
    }

    /** Prepares the store topic, replays it, then opens the HTTP port. Fails fast when Kafka or the port is unavailable. */
    public static SchemaRegistryServer start(SchemaRegistryConfig config) {
        RegistryState state = new RegistryState();
        KafkaStore store = new KafkaStore(config, state);
        ExecutorService executor = null;
        try {
            store.start();
            HttpServer http = HttpServer.create(new InetSocketAddress(config.host(), config.port()), 64);
            executor = Executors.newFixedThreadPool(8, threads());
            http.setExecutor(executor);
            http.createContext("/", new HttpApi(new Registry(state, store, config.defaultCompatibility())));
            http.start();
            SchemaRegistryServer server = new SchemaRegistryServer(config, store, http, executor);
            log.info("Schema registry listening on {}:{} (store topic {} at {})", config.host(), server.port(), config.topic(),
                    config.bootstrapServers());
            return server;
        } catch (IOException | RuntimeException e) {
            store.close();
            if (executor != null) {
                executor.shutdownNow();
            }
            if (e instanceof IOException io) {
                throw new UncheckedIOException("Cannot listen on " + config.host() + ":" + config.port() + ": " + io.getMessage(), io);
            }
            throw (RuntimeException) e;
        }
    }

    /** The HTTP port actually bound (useful with port 0). */
    public int port() {
        return http.getAddress().getPort();
    }

    /** The base URL clients use as {@code schema.registry.url}. */
    public String url() {
        String host = config.host().equals("0.0.0.0") || config.host().equals("::") ? "localhost" : config.host();
        return "http://" + host + ":" + port();
    }

    public SchemaRegistryConfig config() {
        return config;
    }

    @Override
    public void close() {
        int port = port();
        http.stop(0);
        executor.shutdown();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        store.close();
        log.info("Schema registry on port {} stopped", port);
    }

    private static ThreadFactory threads() {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, "schema-registry-http-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** Runs the registry alone; settings from the environment (see {@link SchemaRegistryConfig#fromEnvironment}). */
    public static void main(String[] args) throws InterruptedException {
        SchemaRegistryServer server = start(SchemaRegistryConfig.fromEnvironment(System.getenv()));
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "schema-registry-shutdown"));
        Thread.currentThread().join();
    }
}
