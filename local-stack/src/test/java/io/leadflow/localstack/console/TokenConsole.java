package io.leadflow.localstack.console;

import com.sun.net.httpserver.HttpServer;
import io.leadflow.localstack.LocalStack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A second console on the running stack's broker and sandboxes, listening beyond loopback (every interface) with an
 * admin token, whose trial-tracker is a stub that records the {@code Authorization} it is sent. Its own trial-tracker
 * token ({@link #LENT_TOKEN}) differs from the admin token callers must show ({@link #ADMIN_TOKEN}), so a test can tell
 * whose credentials reached trial-tracker.
 */
final class TokenConsole implements AutoCloseable {

    static final String ADMIN_TOKEN = "console-admin-token-for-tests";
    static final String LENT_TOKEN = "console-own-trials-token";
    static final String STUB_TRIAL = "[{\"trialId\":\"trial-from-stub\",\"company\":\"Stub Trial Co\",\"daysLeft\":12}]";

    final List<String> authorizationsSeenByTrialTracker = new CopyOnWriteArrayList<>();
    private final HttpServer trialTracker;
    private final KafkaView kafkaView;
    private final org.springframework.context.ConfigurableApplicationContext console;

    TokenConsole(LocalStack stack) {
        try {
            trialTracker = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        trialTracker.createContext("/trials", exchange -> {
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            authorizationsSeenByTrialTracker.add(authorization == null ? "<none>" : authorization);
            byte[] body = STUB_TRIAL.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        trialTracker.start();
        kafkaView = new KafkaView(stack.bootstrapServers(), stack.registryUrl(), null);
        ConsoleSettings settings = new ConsoleSettings(stack.intakeUrl(),
                "http://127.0.0.1:" + trialTracker.getAddress().getPort(), stack.serviceUrl(LocalStack.ROUTING), LENT_TOKEN, Map.of(), true, true, List.of());
        console = ConsoleApplication.start(0, "0.0.0.0", ADMIN_TOKEN, settings, kafkaView, stack.hubspot(), stack.slack(), stack.slackInteractions(), stack.webhooks());
    }

    /** The console's URL on this machine (it listens on every interface). */
    String url() {
        return "http://127.0.0.1:" + console.getEnvironment().getProperty("local.server.port");
    }

    @Override
    public void close() {
        console.close();
        kafkaView.close();
        trialTracker.stop(0);
    }
}
