package io.leadflow.localstack.console;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Browser tests need Debian's {@code chromium} and {@code chromium-driver} packages ({@code /usr/bin/chromium},
 * {@code /usr/bin/chromedriver}). Where they are missing, such a test is skipped and says why, so the README's test
 * command passes on a machine with only a JDK; under {@code CI=true} (where {@code .ci/run} installs them) a missing
 * browser fails the test instead, so a browser test can never silently stop running in CI.
 */
final class Chromium implements ExecutionCondition {

    static final Path BINARY = Path.of("/usr/bin/chromium");
    static final Path DRIVER = Path.of("/usr/bin/chromedriver");

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        if (Files.isExecutable(BINARY) && Files.isExecutable(DRIVER)) {
            return ConditionEvaluationResult.enabled("Chromium and chromedriver are installed");
        }
        String missing = "needs Debian's chromium and chromium-driver packages (" + BINARY + ", " + DRIVER
                + "), which are not installed: apt-get install chromium chromium-driver";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            // enabled, so that the test runs and fails loudly where it opens the browser
            System.err.println("CI=true and the browser test " + missing);
            return ConditionEvaluationResult.enabled("CI=true: browser tests must run");
        }
        System.err.println("Skipped " + context.getDisplayName() + ": it " + missing);
        return ConditionEvaluationResult.disabled("Skipped: it " + missing);
    }
}
