package io.leadflow.chaos;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One process of the stack: a command line, its environment, its own directory (state and log) and how to tell it is
 * ready (an HTTP URL answering 200, or a file the process writes once it serves). It can be started, killed with
 * SIGKILL, stopped with SIGTERM and started again with the same command, port and directory.
 */
final class Node {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final List<String> command;
    private final Map<String, String> env;
    private final Path dir;
    private final String host;
    private final int port;
    private final URI readyUrl;
    private final Path readyFile;
    private Process process;
    private int starts;

    /**
     * @param readyUrl  answers 200 once the process serves (null: use {@code readyFile})
     * @param readyFile written by the process once it serves; removed before every start (null: use {@code readyUrl})
     */
    Node(String name, List<String> command, Map<String, String> env, Path dir, String host, int port, URI readyUrl, Path readyFile) {
        this.name = name;
        this.command = List.copyOf(command);
        this.env = Map.copyOf(env);
        this.dir = dir;
        this.host = host;
        this.port = port;
        this.readyUrl = readyUrl;
        this.readyFile = readyFile;
    }

    String name() {
        return name;
    }

    /** The address it listens on: loopback, the bridge, or its own namespace's. */
    String host() {
        return host;
    }

    int port() {
        return port;
    }

    Path dir() {
        return dir;
    }

    /** Starts the process; its output goes to {@code <dir>/process.log} (appended across restarts). */
    synchronized void start() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException(name + " already runs (pid " + process.pid() + ")");
        }
        try {
            Files.createDirectories(dir);
            if (readyFile != null) {
                Files.deleteIfExists(readyFile);
            }
            Path log = dir.resolve("process.log");
            Files.writeString(log, "---- start " + (++starts) + " at " + Instant.now() + "\n", java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.APPEND);
            ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            builder.environment().putAll(env);
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start " + name + ": " + e.getMessage(), e);
        }
    }

    /** Waits until the process serves; fails naming its log when it dies or does not get there in time. */
    void awaitReady(Duration timeout) {
        try {
            Awaitility.await(name + " ready").atMost(timeout).pollInterval(Duration.ofMillis(250)).until(() -> {
                Process p = current();
                if (p == null || !p.isAlive()) {
                    throw new IllegalStateException(name + " exited with " + (p == null ? "-" : p.exitValue()) + "; see " + dir.resolve("process.log"));
                }
                return readyUrl != null ? answers200() : Files.exists(readyFile);
            });
        } catch (ConditionTimeoutException e) {
            throw new IllegalStateException(name + " was not ready within " + timeout.toSeconds() + " s; see " + dir.resolve("process.log"), e);
        }
    }

    private boolean answers200() {
        try {
            HttpResponse<Void> response = HTTP.send(HttpRequest.newBuilder(readyUrl).timeout(Duration.ofSeconds(2)).GET().build(),
                    HttpResponse.BodyHandlers.discarding());
            return response.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** SIGKILL: no shutdown hook, no flush, no goodbye to the group coordinator. Returns when the process is gone. */
    void kill() {
        Process p = current();
        if (p != null && p.isAlive()) {
            p.destroyForcibly();
            waitFor(p, Duration.ofSeconds(30));
        }
    }

    /** SIGTERM, then waits for the JVM's orderly shutdown (SIGKILL after {@code grace}). */
    void stop(Duration grace) {
        Process p = current();
        if (p != null && p.isAlive()) {
            p.destroy();
            if (!waitFor(p, grace)) {
                p.destroyForcibly();
                waitFor(p, Duration.ofSeconds(30));
            }
        }
    }

    boolean alive() {
        Process p = current();
        return p != null && p.isAlive();
    }

    long pid() {
        Process p = current();
        return p == null ? -1 : p.pid();
    }

    private synchronized Process current() {
        return process;
    }

    private static boolean waitFor(Process p, Duration timeout) {
        try {
            return p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public String toString() {
        return name + " (" + host + ":" + port + ", pid " + pid() + ")";
    }
}
