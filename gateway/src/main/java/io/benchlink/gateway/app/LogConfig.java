package io.benchlink.gateway.app;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.spi.ContextAwareBase;
import io.benchlink.common.ops.OneLineMessageConverter;
import io.benchlink.common.ops.OneLineThrowableConverter;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.slf4j.Logger;

/**
 * Issue 18: the bundled {@code logback.xml}, set up in code. Reading the XML loaded about 480 more classes
 * (logback's Joran and an XML parser), a sixth of what the gateway loaded before it listened, on every start.
 * Found by logback through {@code META-INF/services}; it steps aside, so logback reads XML as before, when a
 * configuration file is named ({@code -Dlogback.configurationFile}) or a {@code logback-test.xml} is on the class
 * path (the tests'). {@code LogConfigTest} holds it to the XML: same pattern, same levels.
 */
public final class LogConfig extends ContextAwareBase implements Configurator {
    static final String PATTERN = "%d{yyyy-MM-dd HH:mm:ss.SSS} %-5level [%thread] %logger{0} - %safeMsg%n%safeEx";
    /** The loggers of {@code logback.xml} and their levels, kept in a resource beside it. */
    static final Map<String, Level> LEVELS = levels();

    private static Map<String, Level> levels() {
        Properties file = new Properties();
        try (InputStream in = LogConfig.class.getResourceAsStream("/log-levels.properties")) {
            if (in != null) {
                file.load(in);
            }
        } catch (IOException e) {
            // without the file every logger logs at the root's level: more lines, nothing lost
        }
        Map<String, Level> levels = new TreeMap<>();
        file.stringPropertyNames().forEach(name -> levels.put(name, Level.toLevel(file.getProperty(name).strip())));
        return Map.copyOf(levels);
    }

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (System.getProperty("logback.configurationFile") != null
                || LogConfig.class.getClassLoader().getResource("logback-test.xml") != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        apply(context);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /** Sets up {@code context} as {@code logback.xml} does. */
    static void apply(LoggerContext context) {
        PatternLayout layout = new PatternLayout();
        layout.setContext(context);
        layout.getInstanceConverterMap().put("safeMsg", OneLineMessageConverter::new);
        layout.getInstanceConverterMap().put("safeEx", OneLineThrowableConverter::new);
        layout.setPattern(PATTERN);
        layout.start();
        LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
        encoder.setContext(context);
        encoder.setLayout(layout);
        encoder.start();
        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setContext(context);
        console.setName("CONSOLE");
        console.setTarget("System.err");
        console.setEncoder(encoder);
        console.start();
        LEVELS.forEach((name, level) -> context.getLogger(name).setLevel(level));
        ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.toLevel(rootLevel(), Level.INFO));
        root.addAppender(console);
    }

    /** {@code ${BENCHLINK_LOG_LEVEL:-INFO}} as logback resolves it: a system property, else the environment. */
    static String rootLevel() {
        String level = System.getProperty("BENCHLINK_LOG_LEVEL");
        if (level == null) {
            level = System.getenv("BENCHLINK_LOG_LEVEL");
        }
        return level == null ? "INFO" : level;
    }
}
