package io.leadflow.intake.system;

import io.leadflow.intake.IntakeIntegrationTest;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A client that sends its headers and then trickles the body a byte at a time (a slow-body attack) is cut off at the
 * body-read deadline with 408, instead of holding a request thread for as long as it likes.
 */
@TestPropertySource(properties = "leadflow.intake.body-read-timeout=2s")
class SlowBodyTests extends IntakeIntegrationTest {

    @Test
    void cutsOffABodyThatTricklesInPastTheDeadline() throws IOException {
        ScheduledExecutorService trickle = Executors.newSingleThreadScheduledExecutor();
        try (Socket socket = new Socket("localhost", port)) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /webhooks/website HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 100000\r\n\r\n{").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            trickle.scheduleAtFixedRate(() -> {
                try {
                    out.write(' ');
                    out.flush();
                } catch (IOException closed) {
                    throw new UncheckedIOException(closed);
                }
            }, 200, 200, TimeUnit.MILLISECONDS);

            StringBuilder answer = new StringBuilder();
            InputStream in = socket.getInputStream();
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> {
                while (in.available() > 0) {
                    answer.append((char) in.read());
                }
                return answer.indexOf("\r\n\r\n") > 0;
            });

            assertThat(answer.toString()).startsWith("HTTP/1.1 408").contains("application/problem+json");
        } finally {
            trickle.shutdownNow();
        }
    }
}
