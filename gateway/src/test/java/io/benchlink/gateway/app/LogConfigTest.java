package io.benchlink.gateway.app;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.pattern.PatternLayoutEncoderBase;
import java.io.InputStream;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

/** Issue 18: the gateway's logging set up in code ({@link LogConfig}) is the bundled {@code logback.xml}'s. */
class LogConfigTest {

    private static LoggerContext fromXml() throws Exception {
        LoggerContext context = new LoggerContext();
        JoranConfigurator joran = new JoranConfigurator();
        joran.setContext(context);
        try (InputStream xml = LogConfig.class.getResourceAsStream("/logback.xml")) {
            joran.doConfigure(xml);
        }
        return context;
    }

    private static LoggerContext fromCode() {
        LoggerContext context = new LoggerContext();
        LogConfig.apply(context);
        return context;
    }

    @Test
    void setsTheSameLevelsAsTheBundledXml() throws Exception {
        assertThat(LogConfig.LEVELS).hasSize(4);
        LoggerContext xml = fromXml();
        LoggerContext code = fromCode();
        for (String name : LogConfig.LEVELS.keySet()) {
            assertThat(code.getLogger(name).getLevel()).as(name).isEqualTo(xml.getLogger(name).getLevel());
        }
        assertThat(xml.getLoggerList())
                .filteredOn(l -> l.getLevel() != null && !l.getName().equals(Logger.ROOT_LOGGER_NAME))
                .extracting(ch.qos.logback.classic.Logger::getName)
                .containsExactlyInAnyOrderElementsOf(LogConfig.LEVELS.keySet());
        assertThat(code.getLogger(Logger.ROOT_LOGGER_NAME).getLevel())
                .isEqualTo(xml.getLogger(Logger.ROOT_LOGGER_NAME).getLevel()).isEqualTo(Level.INFO);
    }

    @Test
    void writesTheXmlsPatternToStandardError() throws Exception {
        ConsoleAppender<ILoggingEvent> xml = console(fromXml());
        ConsoleAppender<ILoggingEvent> code = console(fromCode());
        assertThat(code.getTarget()).isEqualTo(xml.getTarget()).isEqualTo("System.err");
        assertThat(pattern(code)).isEqualTo(pattern(xml)).isEqualTo(LogConfig.PATTERN);
        assertThat(code.isStarted()).isTrue();
    }

    @Test
    void stepsAsideForALogbackTestXmlOnTheClassPath() {
        LoggerContext context = new LoggerContext();
        LogConfig config = new LogConfig();
        config.setContext(context);
        assertThat(config.configure(context)).isEqualTo(Configurator.ExecutionStatus.INVOKE_NEXT_IF_ANY);
        assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).iteratorForAppenders().hasNext()).isFalse();
    }

    private static ConsoleAppender<ILoggingEvent> console(LoggerContext context) {
        return (ConsoleAppender<ILoggingEvent>) context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("CONSOLE");
    }

    private static String pattern(ConsoleAppender<ILoggingEvent> appender) {
        if (appender.getEncoder() instanceof PatternLayoutEncoderBase<ILoggingEvent> encoder) {
            return encoder.getPattern();
        }
        return ((ch.qos.logback.classic.PatternLayout) ((LayoutWrappingEncoder<ILoggingEvent>) appender.getEncoder())
                .getLayout()).getPattern();
    }
}
