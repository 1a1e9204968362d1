package io.leadflow.localstack;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.FileAppender;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;

/**
 * Everything the stack logs from now on (every service shares the one Logback configuration of the local stack), also
 * written to a file as a log shipper would keep it: message, arguments and stack traces, at the levels the stack logs.
 */
final class CapturedLogs implements AutoCloseable {

    private final FileAppender<ILoggingEvent> appender = new FileAppender<>();
    private final Logger root;

    CapturedLogs(Path file) {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("%d{HH:mm:ss.SSS} %-5level [%thread] %logger - %msg%n%ex");
        encoder.start();
        appender.setContext(context);
        appender.setName("captured-" + file.getFileName());
        appender.setFile(file.toString());
        appender.setEncoder(encoder);
        appender.setImmediateFlush(true);
        appender.start();
        root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.addAppender(appender);
    }

    @Override
    public void close() {
        root.detachAppender(appender);
        appender.stop();
    }
}
