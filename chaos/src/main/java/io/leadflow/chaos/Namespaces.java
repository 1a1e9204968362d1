package io.leadflow.chaos;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Linux network namespaces for the partition scenario, made with iproute2 ({@code ip netns}, {@code ip link}; needs
 * root): a bridge {@value #BRIDGE} with {@value #HOST_ADDRESS}/24 on this machine, where the broker, the registry, the
 * sandboxes and the instances that keep their network listen, and one namespace per isolated instance, joined to the
 * bridge by a veth pair, with an address of its own. Taking the bridge's end of a pair down cuts that instance off
 * from everything else (its open connections hang, new ones fail) while the process keeps running; bringing it up heals
 * it. No Java library manages namespaces, hence the {@code ip} commands.
 */
final class Namespaces implements AutoCloseable {

    static final String BRIDGE = "lfchaos0";
    static final String HOST_ADDRESS = "10.231.0.1";
    private static final String PREFIX = "lfchaos-";

    /** An isolated instance's namespace, its address and the bridge's end of its veth pair. */
    record Isolated(String namespace, String address, String hostEnd) {

        /** The command prefix that runs a program inside the namespace ({@code ip netns exec} execs it: same pid). */
        List<String> exec() {
            return List.of("ip", "netns", "exec", namespace);
        }
    }

    private final Map<String, Isolated> isolated = new LinkedHashMap<>();

    private Namespaces() {
    }

    /** Removes what an earlier run may have left, then makes the bridge. */
    static Namespaces create() {
        removeLeftovers();
        ip("link", "add", BRIDGE, "type", "bridge");
        ip("addr", "add", HOST_ADDRESS + "/24", "dev", BRIDGE);
        ip("link", "set", BRIDGE, "up");
        return new Namespaces();
    }

    /** A namespace of its own for {@code node}, on the bridge. */
    synchronized Isolated isolate(String node) {
        int index = isolated.size() + 1;
        String namespace = PREFIX + node;
        String hostEnd = "lfc" + index + "h";
        String innerEnd = "lfc" + index + "n";
        String address = "10.231.0." + (10 + index);
        ip("netns", "add", namespace);
        ip("link", "add", hostEnd, "type", "veth", "peer", "name", innerEnd);
        ip("link", "set", innerEnd, "netns", namespace);
        ip("link", "set", hostEnd, "master", BRIDGE);
        ip("link", "set", hostEnd, "up");
        ip("netns", "exec", namespace, "ip", "addr", "add", address + "/24", "dev", innerEnd);
        ip("netns", "exec", namespace, "ip", "link", "set", innerEnd, "up");
        ip("netns", "exec", namespace, "ip", "link", "set", "lo", "up");
        Isolated made = new Isolated(namespace, address, hostEnd);
        isolated.put(node, made);
        return made;
    }

    /** Cuts the instance off: no packet in or out until {@link #heal}. */
    void cut(Isolated node) {
        ip("link", "set", node.hostEnd(), "down");
    }

    void heal(Isolated node) {
        ip("link", "set", node.hostEnd(), "up");
    }

    @Override
    public synchronized void close() {
        isolated.values().forEach(n -> quietly("netns", "del", n.namespace()));
        isolated.clear();
        quietly("link", "del", BRIDGE);
    }

    /** Whether this machine lets us make namespaces (root, iproute2 installed). */
    static boolean available() {
        try {
            return run(List.of("ip", "netns", "list")).exit == 0 && ProcessHandle.current().info().user().map("root"::equals).orElse(false);
        } catch (UncheckedIOException e) {
            return false;
        }
    }

    private static void removeLeftovers() {
        Result list = run(List.of("ip", "netns", "list"));
        for (String line : list.output.split("\n")) {
            String name = line.trim().split("\\s+")[0];
            if (name.startsWith(PREFIX)) {
                quietly("netns", "del", name);
            }
        }
        quietly("link", "del", BRIDGE);
    }

    private static void ip(String... args) {
        List<String> command = new ArrayList<>(List.of("ip"));
        command.addAll(List.of(args));
        Result result = run(command);
        if (result.exit != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed (" + result.exit + "): " + result.output.trim());
        }
    }

    private static void quietly(String... args) {
        List<String> command = new ArrayList<>(List.of("ip"));
        command.addAll(List.of(args));
        run(command);
    }

    private record Result(int exit, String output) {
    }

    private static Result run(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return new Result(-1, "timed out");
            }
            return new Result(process.exitValue(), output);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot run " + String.join(" ", command) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted running " + String.join(" ", command), e);
        }
    }
}
