package io.leadflow.localstack.system;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Every port the local stack listens on. Defaults are the fixed ports of the design; each can be moved
 * with an environment variable (or a system property of the same name), and {@link #random()} picks free
 * ones (tests, or a second stack beside the first).
 */
public record Ports(int kafka, int kafkaController, int registry, int intake, int routing, int crm, int trials, int notifier,
                    int console) {

    /** Port variables and their defaults. */
    public static final String KAFKA = "LEADFLOW_KAFKA_PORT";
    public static final String KAFKA_CONTROLLER = "LEADFLOW_KAFKA_CONTROLLER_PORT";
    public static final String REGISTRY = "LEADFLOW_SCHEMA_REGISTRY_PORT";
    public static final String INTAKE = "LEADFLOW_INTAKE_PORT";
    public static final String ROUTING = "LEADFLOW_ROUTING_PORT";
    public static final String CRM = "LEADFLOW_CRM_PORT";
    public static final String TRIALS = "LEADFLOW_TRIALS_PORT";
    public static final String NOTIFIER = "LEADFLOW_NOTIFIER_PORT";
    public static final String CONSOLE = "LEADFLOW_CONSOLE_PORT";

    public static Ports defaults() {
        return new Ports(9092, 0, 8081, 8080, 8082, 8083, 8084, 8085, 8090);
    }

    /**
     * The defaults, overridden by the environment. The KRaft controller listener takes a free port unless
     * {@value #KAFKA_CONTROLLER} is set: nothing outside the broker talks to it.
     */
    public static Ports from(Function<String, String> env) {
        Ports d = defaults();
        return new Ports(port(env, KAFKA, d.kafka()), port(env, KAFKA_CONTROLLER, 0), port(env, REGISTRY, d.registry()),
                port(env, INTAKE, d.intake()), port(env, ROUTING, d.routing()), port(env, CRM, d.crm()),
                port(env, TRIALS, d.trials()), port(env, NOTIFIER, d.notifier()), port(env, CONSOLE, d.console())).resolved();
    }

    /** Free ports for everything. */
    public static Ports random() {
        return new Ports(0, 0, 0, 0, 0, 0, 0, 0, 0).resolved();
    }

    /** Replaces every 0 with a port that is free right now (all distinct: the probing sockets stay open until all are picked). */
    public Ports resolved() {
        List<ServerSocket> held = new ArrayList<>();
        try {
            return new Ports(free(kafka, held), free(kafkaController, held), free(registry, held), free(intake, held),
                    free(routing, held), free(crm, held), free(trials, held), free(notifier, held), free(console, held));
        } finally {
            for (ServerSocket socket : held) {
                try {
                    socket.close();
                } catch (IOException e) {
                    // nothing to do: the port is released either way
                }
            }
        }
    }

    private static int free(int port, List<ServerSocket> held) {
        if (port != 0) {
            return port;
        }
        try {
            ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
            socket.setReuseAddress(true);
            held.add(socket);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("No free local port", e);
        }
    }

    private static int port(Function<String, String> env, String name, int fallback) {
        String value = env.apply(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            int port = Integer.parseInt(value.trim());
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException(name + " must be a port between 0 and 65535, was " + value);
            }
            return port;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a port number, was '" + value + "'", e);
        }
    }
}
