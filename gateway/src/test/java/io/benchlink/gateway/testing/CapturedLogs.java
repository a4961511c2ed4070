package io.benchlink.gateway.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Every log line of this JVM at DEBUG and above while open (the Java-WebSocket library's included), rendered with
 * its exception text, so a test can grep them (issue 7: tokens never appear in logs). Restores the levels on close.
 */
public final class CapturedLogs implements AutoCloseable {
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private final Logger library = (Logger) LoggerFactory.getLogger("org.java_websocket");
    private final Level rootLevel = root.getLevel();
    private final Level libraryLevel = library.getLevel();

    public CapturedLogs() {
        appender.start();
        root.addAppender(appender);
        root.setLevel(Level.DEBUG);
        library.setLevel(Level.DEBUG);
    }

    public List<String> lines() {
        List<String> lines = new ArrayList<>();
        for (ILoggingEvent event : new ArrayList<>(appender.list)) {
            StringBuilder line = new StringBuilder(event.getLoggerName()).append(" ").append(event.getFormattedMessage());
            for (IThrowableProxy t = event.getThrowableProxy(); t != null; t = t.getCause()) {
                line.append(" | ").append(t.getClassName()).append(": ").append(t.getMessage());
            }
            lines.add(line.toString());
        }
        return lines;
    }

    @Override
    public void close() {
        root.detachAppender(appender);
        root.setLevel(rootLevel);
        library.setLevel(libraryLevel);
    }
}
