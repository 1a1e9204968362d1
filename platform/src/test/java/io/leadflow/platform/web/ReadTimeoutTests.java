package io.leadflow.platform.web;

import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A client that sends its headers and then nothing is cut off after the read timeout, not held forever. */
class ReadTimeoutTests {

    @Test
    void theReadTimeoutIsFiveSecondsUnlessConfigured() {
        try (ConfigurableApplicationContext app = TestWebApplication.start("server.address=127.0.0.1")) {
            assertThat(app.getEnvironment().getProperty("server.tomcat.connection-timeout")).isEqualTo("5s");
            assertThat(app.getEnvironment().getProperty("server.tomcat.keep-alive-timeout")).isEqualTo("15s");
            assertThat(app.getEnvironment().getProperty("server.error.include-stacktrace")).isEqualTo("never");
        }
    }

    @Test
    void aConnectionThatSendsHeadersAndThenNothingIsClosedAfterTheReadTimeout() throws Exception {
        try (ConfigurableApplicationContext app = TestWebApplication.start("server.address=127.0.0.1", "LEADFLOW_HTTP_READ_TIMEOUT=1s");
             Socket socket = new Socket(InetAddress.getLoopbackAddress(), TestWebApplication.port(app))) {
            // given a request whose headers promise a body that never comes
            socket.getOutputStream().write(("POST /things HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/plain\r\n"
                    + "Content-Length: 100\r\n\r\nonly this").getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            socket.setSoTimeout(100);
            InputStream in = socket.getInputStream();

            // then the server closes the connection after about a second, not before half of it and not never
            await().atLeast(Duration.ofMillis(500)).atMost(Duration.ofSeconds(10)).pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofMillis(50)).until(() -> closedByServer(in));
        }
    }

    /** Reads what is there (an error answer may come first); true once the server has closed or reset the connection. */
    static boolean closedByServer(InputStream in) throws IOException {
        byte[] buffer = new byte[4096];
        try {
            while (true) {
                if (in.read(buffer) < 0) {
                    return true;
                }
            }
        } catch (SocketTimeoutException e) {
            return false;
        } catch (java.net.SocketException e) {
            return true;
        }
    }
}
