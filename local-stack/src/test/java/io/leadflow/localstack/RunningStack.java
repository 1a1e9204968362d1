package io.leadflow.localstack;

import io.leadflow.localstack.system.LocalStackOptions;
import io.leadflow.localstack.system.Ports;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The one local stack the end-to-end, browser and restart tests share (starting one takes a while):
 * random ports, a fresh data directory, and webhook secrets for every source it can sign, so the
 * signatures are checked as in production. Stopped when the test JVM exits.
 */
final class RunningStack {

    static final Map<String, String> SECRETS = Map.of(
            "LEADFLOW_WEBSITE_SECRET", "whsec_local_stack_tests",
            "LEADFLOW_CALENDLY_SIGNING_KEY", "calendly_local_stack_tests",
            "LEADFLOW_CALCOM_SECRET", "calcom_local_stack_tests",
            "LEADFLOW_MAILGUN_SIGNING_KEY", "key-mailgun-local-stack-tests",
            "LEADFLOW_HUBSPOT_CLIENT_SECRET", "hubspot-local-stack-tests");

    private static LocalStack stack;
    private static LocalStackOptions options;

    private RunningStack() {
    }

    /** The shared stack, started on first use. */
    static synchronized LocalStack get() {
        if (stack == null) {
            try {
                Path data = Files.createTempDirectory("leadflow-local-stack-tests");
                options = new LocalStackOptions(data, false, false, Duration.ofSeconds(4), Ports.random(), SECRETS);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            stack = LocalStack.start(options);
            Runtime.getRuntime().addShutdownHook(new Thread(RunningStack::stop, "local-stack-tests-shutdown"));
        }
        return stack;
    }

    /** Stops the shared stack and starts it again on the same data directory and ports, as a user restarting it would. */
    static synchronized LocalStack restart() {
        get();
        stack.close();
        stack = LocalStack.start(options);
        return stack;
    }

    private static synchronized void stop() {
        if (stack != null) {
            stack.close();
            stack = null;
        }
    }
}
