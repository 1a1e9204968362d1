package io.leadflow.intake.system;

import io.leadflow.platform.logging.Masking;
import io.leadflow.platform.web.HttpProblem;
import io.leadflow.platform.web.ProblemListener;
import io.leadflow.platform.web.ProblemMapping;
import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;
import org.springframework.web.method.HandlerMethod;

import java.time.DateTimeException;

/**
 * lead-intake's part in the platform's problem answers: a value in a body that cannot be read (a date, a number out
 * of range) is a 400 naming the body, not a fault of the service; and every problem answered is counted in
 * {@code leadflow.intake.received} with its outcome ({@link RejectedRequest#outcome()}, else one by status) and each
 * rejection logged without personal data.
 */
@Component
class IntakeProblems implements ProblemMapping, ProblemListener {

    private static final Logger log = LoggerFactory.getLogger(IntakeProblems.class);

    private final IntakeMetrics metrics;

    IntakeProblems(IntakeMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public HttpProblem problem(Exception exception, HandlerMethod handler) {
        if (exception instanceof DateTimeException || exception instanceof IllegalArgumentException
                || exception instanceof ArithmeticException) {
            log.info("A value could not be read ({})", exception.getClass().getSimpleName());
            return RejectedRequest.invalid("body", "holds a value that cannot be read");
        }
        return null;
    }

    @Override
    public void answered(HttpServletRequest request, Exception exception, HttpStatusCode status, ProblemDetail problem) {
        String path = request == null ? null : request.getRequestURI();
        if (exception instanceof RejectedRequest rejected) {
            metrics.received(WebhookSource.fromPath(path), rejected.outcome());
            if (status.is4xxClientError()) {
                log.info("Rejected {} with {}: {}{}", path, status.value(),
                        rejected.field() == null ? "" : Masking.printable(rejected.field()) + " ", Masking.printable(rejected.reason()));
            }
            return;
        }
        metrics.received(WebhookSource.fromPath(path), outcome(status));
    }

    private static String outcome(HttpStatusCode status) {
        return switch (status.value()) {
            case 415 -> "unsupported_media_type";
            case 413 -> "too_large";
            case 405, 404 -> "not_found";
            default -> status.is4xxClientError() ? "invalid" : "error";
        };
    }
}
