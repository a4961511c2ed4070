package io.benchlink.common.ops;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.rolling.SizeAndTimeBasedRollingPolicy;
import ch.qos.logback.core.util.FileSize;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import org.slf4j.ILoggerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Start-up log settings on top of the bundled {@code logback.xml} (console on stderr), through logback's plain API:
 * the root level from {@code --log-level}, and a rolling file instead of the console when the environment variable
 * {@value #LOG_DIR_ENV} names a directory (as the systemd units and Windows wrappers do). Done in code rather than
 * in XML because conditional XML needs janino. Called once from {@code main} before anything logs much.
 */
public final class LogSetup {
    public static final String LOG_DIR_ENV = "BENCHLINK_LOG_DIR";
    /** Issue 14.6: {@code %safeMsg}/{@code %safeEx} keep each line one line whatever a peer sent (see {@link LogEscape}). */
    static final String PATTERN = "%d{yyyy-MM-dd HH:mm:ss.SSS} %-5level [%thread] %logger{20} - %safeMsg%n%safeEx";
    private static final List<String> LEVELS = List.of("ERROR", "WARN", "INFO", "DEBUG", "TRACE");

    private LogSetup() {
    }

    /** Parses a level name (any case); null if it is none of ERROR, WARN, INFO, DEBUG, TRACE. */
    public static String normalizeLevel(String text) {
        String upper = text == null ? "" : text.strip().toUpperCase(Locale.ROOT);
        return LEVELS.contains(upper) ? upper : null;
    }

    /** Sets the root logger's level; the caller has validated the name with {@link #normalizeLevel}. */
    public static void rootLevel(String level) {
        LoggerContext context = context();
        if (context != null) {
            context.getLogger(Logger.ROOT_LOGGER_NAME).setLevel(Level.toLevel(level, Level.INFO));
        }
    }

    /** Switches from the console to {@code <dir>/<app>.log} when {@value #LOG_DIR_ENV} is set; else does nothing. */
    public static void fileFromEnvironment(String app) {
        String dir = System.getenv(LOG_DIR_ENV);
        if (dir != null && !dir.isBlank()) {
            rollingFile(Path.of(dir), app);
        }
    }

    /**
     * Logs to {@code <dir>/<app>.log}, rolled daily and at 50 MB into {@code <app>.yyyy-MM-dd.N.log.gz}, kept 14
     * days and at most 1 GB in total; the console appenders of the bundled configuration are removed.
     */
    public static void rollingFile(Path dir, String app) {
        LoggerContext context = context();
        if (context == null) {
            return;
        }
        LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
        encoder.setContext(context);
        encoder.setLayout(oneLineLayout(context, PATTERN));
        encoder.start();
        RollingFileAppender<ILoggingEvent> file = new RollingFileAppender<>();
        file.setContext(context);
        file.setName("FILE");
        file.setFile(dir.resolve(app + ".log").toString());
        file.setEncoder(encoder);
        SizeAndTimeBasedRollingPolicy<ILoggingEvent> policy = new SizeAndTimeBasedRollingPolicy<>();
        policy.setContext(context);
        policy.setParent(file);
        policy.setFileNamePattern(dir.resolve(app + ".%d{yyyy-MM-dd}.%i.log.gz").toString());
        policy.setMaxFileSize(FileSize.valueOf("50MB"));
        policy.setMaxHistory(14);
        policy.setTotalSizeCap(FileSize.valueOf("1GB"));
        policy.start();
        file.setRollingPolicy(policy);
        file.start();
        if (!file.isStarted()) {
            return; // logback has printed why (e.g. the directory is not writable); keep the console
        }
        ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        List<Appender<ILoggingEvent>> consoles = new ArrayList<>();
        for (Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext(); ) {
            consoles.add(it.next());
        }
        root.addAppender(file);
        consoles.forEach(a -> {
            root.detachAppender(a);
            a.stop();
        });
    }

    /** A pattern layout that knows the one-line words {@code %safeMsg} and {@code %safeEx} of the bundled XML. */
    static PatternLayout oneLineLayout(LoggerContext context, String pattern) {
        PatternLayout layout = new PatternLayout();
        layout.setContext(context);
        layout.getInstanceConverterMap().put("safeMsg", OneLineMessageConverter::new);
        layout.getInstanceConverterMap().put("safeEx", OneLineThrowableConverter::new);
        layout.setPattern(pattern);
        layout.start();
        return layout;
    }

    private static LoggerContext context() {
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        return factory instanceof LoggerContext ? (LoggerContext) factory : null;
    }
}
