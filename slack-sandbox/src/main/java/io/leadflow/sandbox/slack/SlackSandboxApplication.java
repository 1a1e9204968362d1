package io.leadflow.sandbox.slack;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Slack sandbox as a process of its own: {@code java -jar slack-sandbox-<version>-exec.jar --server.port=8086}.
 * <ul>
 *   <li>{@code --server.port} (default 8086) and {@code --server.address} (default 127.0.0.1);</li>
 *   <li>{@code --data-dir} or {@code LEADFLOW_SANDBOX_DATA_DIR} (default {@code ./.leadflow/data/sandbox}): where the
 *       workspace is kept, crash-safe ({@code slack.json} and {@code slack.json.journal});</li>
 *   <li>{@code LEADFLOW_SLACK_SANDBOX_TOKEN}: the only bot token the Web API accepts (required beyond loopback; on
 *       loopback any {@code xoxb-}/{@code xoxp-} token is accepted without it);</li>
 *   <li>{@code LEADFLOW_ADMIN_TOKEN}: what the fault controls ({@code /sandbox/slack/faults}) need; without it they are
 *       open on loopback and refused beyond it, like every admin endpoint of Leadflow.</li>
 * </ul>
 * The workspace has the handbook's two reps as members.
 */
public final class SlackSandboxApplication {

    private static final Logger log = LoggerFactory.getLogger(SlackSandboxApplication.class);

    /** The workspace's members: the reps of the handbook, as the local stack has them. */
    static final Map<String, String> USERS = Map.of("U00CAMERON1", "cameron@example.com", "U00SIMON001", "simon@example.com");

    private SlackSandboxApplication() {
    }

    public static void main(String[] args) {
        Running running = start(args, System.getenv());
        Runtime.getRuntime().addShutdownHook(new Thread(running::close, "slack-sandbox-shutdown"));
        log.info("Slack sandbox: Web API at {}, fault controls at {}, workspace kept in {}", running.server().baseUrl(),
                running.server().faultsUrl(), running.dataDir().toAbsolutePath());
    }

    /** The sandbox and its server, started. */
    record Running(SlackSandbox sandbox, SlackSandboxServer server, Path dataDir) implements AutoCloseable {
        @Override
        public void close() {
            server.close();
            sandbox.close();
        }
    }

    /**
     * Starts the sandbox as {@link #main} does, with the given arguments and environment.
     *
     * @throws IllegalArgumentException naming the argument that is wrong
     */
    static Running start(String[] args, Map<String, String> env) {
        Map<String, String> options = options(args);
        int port = port(options.getOrDefault("server.port", env.getOrDefault("SERVER_PORT", "8086")));
        String address = options.getOrDefault("server.address", "127.0.0.1");
        String dir = options.getOrDefault("data-dir", env.getOrDefault("LEADFLOW_SANDBOX_DATA_DIR", ".leadflow/data/sandbox"));
        Path dataDir = Path.of(dir);
        SlackSandbox sandbox = new SlackSandbox(Clock.systemUTC(), 5, 2000, USERS);
        String botToken = env.get("LEADFLOW_SLACK_SANDBOX_TOKEN");
        if (botToken != null && !botToken.isBlank()) {
            sandbox.requireToken(botToken.trim());
        } else if (!isLoopback(address)) {
            throw new IllegalArgumentException("LEADFLOW_SLACK_SANDBOX_TOKEN: required when the sandbox listens beyond loopback ("
                    + address + ")");
        }
        sandbox.persistIn(dataDir);
        try {
            SlackSandboxServer server = SlackSandboxServer.start(sandbox, port, address, env.get("LEADFLOW_ADMIN_TOKEN"));
            return new Running(sandbox, server, dataDir);
        } catch (RuntimeException e) {
            sandbox.close();
            throw e;
        }
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new LinkedHashMap<>();
        for (String arg : args) {
            if (!arg.startsWith("--") || !arg.contains("=")) {
                throw new IllegalArgumentException(arg + ": expected --server.port=N, --server.address=A or --data-dir=DIR");
            }
            String name = arg.substring(2, arg.indexOf('='));
            if (!name.equals("server.port") && !name.equals("server.address") && !name.equals("data-dir")) {
                throw new IllegalArgumentException("--" + name + ": not an option; expected --server.port, --server.address or --data-dir");
            }
            options.put(name, arg.substring(arg.indexOf('=') + 1));
        }
        return options;
    }

    private static int port(String value) {
        try {
            int port = Integer.parseInt(value.trim());
            if (port >= 0 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new IllegalArgumentException("--server.port: " + value + " is not a port (0 to 65535)");
    }

    private static boolean isLoopback(String address) {
        return address.equals("localhost") || address.equals("::1") || address.equals("[::1]") || address.startsWith("127.");
    }
}
