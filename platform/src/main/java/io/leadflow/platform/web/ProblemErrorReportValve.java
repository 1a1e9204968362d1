package io.leadflow.platform.web;

import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;
import org.apache.tomcat.util.ExceptionUtils;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Tomcat's answer to requests it rejects before any application code runs (an encoded {@code /} in the path, an
 * invalid %-escape, a malformed request line, headers over the size limit): {@code application/problem+json} with
 * the status, a title and a plain detail, instead of Tomcat's HTML page. No exception text, stack or server version.
 * Installed as the host's error report valve by {@link LeadflowWebAutoConfiguration}; public with a no-argument
 * constructor because Tomcat instantiates it by class name.
 */
public class ProblemErrorReportValve extends ErrorReportValve {

    public ProblemErrorReportValve() {
        setShowReport(false);
        setShowServerInfo(false);
    }

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        // As Tomcat's own valve: only errors, only when nothing was written yet, and only once.
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        AtomicBoolean ioAllowed = new AtomicBoolean(true);
        response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
        if (!ioAllowed.get()) {
            return;
        }
        try {
            response.setContentType(Problems.CONTENT_TYPE);
            response.setCharacterEncoding(StandardCharsets.UTF_8.name());
            PrintWriter writer = response.getReporter();
            if (writer != null) {
                writer.write(Problems.body(status, Problems.detail(status), null, null));
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException e) {
            // The connection is gone or the response cannot take a body any more: nothing left to tell the client.
        } catch (Throwable t) {
            ExceptionUtils.handleThrowable(t);
        }
    }
}
