package io.leadflow.intake.system;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.util.unit.DataSize;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;

/**
 * Reads the request body as the exact bytes the provider signed, never more than a limit and never for
 * longer than a deadline: a declared {@code Content-Length} over the limit is refused before reading, a
 * chunked body as soon as it passes it, and a body still arriving at the deadline is refused with 408.
 * Each single read is bounded by the connector's read timeout ({@code server.tomcat.connection-timeout}),
 * so a client that trickles a byte now and then holds a thread for at most deadline + that timeout.
 */
public final class RawBody {

    private RawBody() {
    }

    public static byte[] read(HttpServletRequest request, DataSize limit, Duration deadline) {
        long max = limit.toBytes();
        long declared = request.getContentLengthLong();
        if (declared > max) {
            throw RejectedRequest.tooLarge(max);
        }
        long giveUpAt = System.nanoTime() + deadline.toNanos();
        try (InputStream in = request.getInputStream()) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(declared > 0 ? (int) declared : 8192);
            byte[] buffer = new byte[8192];
            long total = 0;
            int n;
            while ((n = in.read(buffer)) != -1) {
                total += n;
                if (total > max) {
                    throw RejectedRequest.tooLarge(max);
                }
                out.write(buffer, 0, n);
                if (System.nanoTime() - giveUpAt > 0) {
                    throw RejectedRequest.tooSlow(deadline);
                }
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw RejectedRequest.invalid("body", "could not be read completely");
        }
    }
}
